<#
.SYNOPSIS
    A Pester test of a pod: the article's pod foo, checked with the kernel's own witnesses.
.EXAMPLE
    Invoke-Pester ./examples/pod.Tests.ps1
#>
BeforeAll {
    $modulePath = if ($env:PODSHELL_MODULE) { $env:PODSHELL_MODULE } else { Join-Path $PSScriptRoot '../out/PodShell' }
    Import-Module (Join-Path $modulePath 'PodShell.psd1') -Force
    $script:Name = 'foo-test-' + [guid]::NewGuid().ToString('N').Substring(0, 6)
    $pod = New-PodSandbox -Name $Name
    $pod | Add-PodContainer -Name app -Command python3, -m, http.server, 80 | Out-Null
    $pod | Add-PodContainer -Name sidecar -Command sleep, infinity | Out-Null
}

AfterAll { Remove-Pod $Name -Force -Timeout 0 }

Describe 'The pod foo' {
    It 'runs both containers' {
        Get-PodContainer $Name | ForEach-Object State | Should -Be @('Running', 'Running')
    }

    It 'gives both containers the pause''s network namespace (readlink is the witness)' {
        $pause = (Get-Pod $Name).PausePid
        $net = readlink "/proc/$pause/ns/net"
        foreach ($c in Get-PodContainer $Name) { readlink "/proc/$($c.Pid)/ns/net" | Should -Be $net }
    }

    It 'lets the sidecar reach the app over localhost' {
        $page = $null
        for ($i = 0; $i -lt 50 -and -not $page; $i++) {
            $page = Invoke-PodCommand $Name sidecar -- curl -s --max-time 2 http://localhost:80/
            if (-not $page) { Start-Sleep -Milliseconds 100 }
        }
        $page -join "`n" | Should -Match 'Directory listing'
    }

    It 'keeps a mount namespace per container' {
        $app, $sidecar = Get-PodContainer $Name
        readlink "/proc/$($app.Pid)/ns/mnt" | Should -Not -Be (readlink "/proc/$($sidecar.Pid)/ns/mnt")
    }
}
