BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-PodShellUnderTest

    $script:One = New-TestPodName 'bind1'
    $script:Two = New-TestPodName 'bind2'
    New-PodSandbox -Name $One | Out-Null
    Add-PodContainer $One -Name only -Command sh, -c, 'echo from-only; exec sleep infinity' -RestartPolicy Never | Out-Null
    New-PodSandbox -Name $Two | Out-Null
    Add-PodContainer $Two -Name app -Command sh, -c, 'echo from-app; exec sleep infinity' -RestartPolicy Never | Out-Null
    Add-PodContainer $Two -Name sidecar -Command sh, -c, 'echo from-sidecar; exec sleep infinity' -RestartPolicy Never | Out-Null
    Wait-Until -Because 'the containers'' first lines' {
        (Get-PodLog $One only) -contains 'from-only' -and (Get-PodLog $Two sidecar) -contains 'from-sidecar' -and (Get-PodLog $Two app) -contains 'from-app'
    } | Out-Null
}

AfterAll { Remove-TestPod $One, $Two }

Describe 'A piped Pod binds to -Pod, never to the container name' {
    It 'Get-Pod | Get-PodLog takes the only container' {
        Get-Pod $One | Get-PodLog | Should -Be 'from-only'
    }

    It 'Get-Pod | Invoke-PodCommand runs in the only container' {
        Get-Pod $One | Invoke-PodCommand -- hostname | Should -Be $One
        $LASTEXITCODE | Should -Be 0
    }

    It 'Get-Pod | Get-PodLog with several containers is an error that lists them' {
        $err = $null
        Get-Pod $Two | Get-PodLog -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ContainerNameRequired,*'
        $err[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $err[0].Exception.Message | Should -Match 'app, sidecar'
        $err[0].ErrorDetails.RecommendedAction | Should -Match "Get-PodLog $Two app"
    }

    It 'Get-Pod | Get-PodLog -Container picks one of several' {
        Get-Pod $Two | Get-PodLog -Container sidecar | Should -Be 'from-sidecar'
    }

    It 'Get-Pod | <command> takes the only container' -TestCases @(
        @{ command = 'Stop-PodContainer' }
    ) {
        Get-Pod $One | Stop-PodContainer -Timeout 0 -Confirm:$false
        (Get-PodContainer $One only).State | Should -Be 'Exited'
        Get-Pod $One | Start-PodContainer -PassThru | ForEach-Object State | Should -Be 'Running'
    }

    It 'Get-Pod | Stop-PodContainer with several containers stops none and lists them' {
        $err = $null
        Get-Pod $Two | Stop-PodContainer -Timeout 0 -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ContainerNameRequired,*'
        Get-PodContainer $Two | ForEach-Object State | Should -Be @('Running', 'Running')
    }

    It 'Get-PodContainer | Get-PodLog reads each container, prefixed' {
        $lines = Get-PodContainer $Two | Get-PodLog
        $lines | Should -Contain "[$Two/app] from-app"
        $lines | Should -Contain "[$Two/sidecar] from-sidecar"
    }

    It 'Get-PodLog -All reads every container of the pod, prefixed' {
        $lines = Get-PodLog $Two -All
        $lines.Count | Should -Be 2
        $lines | Should -Contain "[$Two/app] from-app"
    }

    It 'Get-PodContainer <pod> <name> | Stop-PodContainer binds both from the container' {
        Get-PodContainer $Two sidecar | Stop-PodContainer -Timeout 0 -Confirm:$false
        (Get-PodContainer $Two sidecar).State | Should -Be 'Exited'
        (Get-PodContainer $Two app).State | Should -Be 'Running'
        Get-PodContainer $Two sidecar | Start-PodContainer
        (Get-PodContainer $Two sidecar).State | Should -Be 'Running'
    }
}

Describe 'Positional Pod Container everywhere' {
    It 'Get-PodLog <pod> <container>' {
        Get-PodLog $Two app | Should -Be 'from-app'
        # Earlier tests restarted it: the log holds every run.
        Get-PodLog $One | Select-Object -First 1 | Should -Be 'from-only'
    }

    It 'Invoke-PodCommand <pod> <container> -- <command>' {
        Invoke-PodCommand $Two app -- sh -c 'echo $HOSTNAME' | Should -Be $Two
        Invoke-PodCommand $One -- echo hi | Should -Be 'hi'
    }

    It 'Invoke-PodCommand names the only container in the error when there are several' {
        $err = $null
        Invoke-PodCommand -ErrorVariable err -ErrorAction SilentlyContinue $Two -- hostname
        $err | Where-Object { $_.FullyQualifiedErrorId -like 'ContainerNameRequired,*' } | Should -Not -BeNullOrEmpty
    }

    It 'Get-PodContainer <pod> <name> and a wildcard pod' {
        (Get-PodContainer $Two sidecar).Name | Should -Be 'sidecar'
        @(Get-PodContainer -Pod 'bind*' | Where-Object { $_.PodName -in $One, $Two }).Count | Should -Be 3
    }

    It 'Stop-PodContainer and Start-PodContainer <pod> <name>' {
        Stop-PodContainer $Two app -Timeout 0
        (Get-PodContainer $Two app).State | Should -Be 'Exited'
        Start-PodContainer $Two app
        (Get-PodContainer $Two app).State | Should -Be 'Running'
    }
}
