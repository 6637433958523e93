BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-PodShellUnderTest

    $script:Name = New-TestPodName 'views-with-a-rather-long-pod-name'
    New-PodSandbox -Name $Name -Label @{ app = 'web' } | Out-Null
    Add-PodContainer $Name -Name application-server -Command sleep, infinity -Memory 256Mi -Cpu 0.5 | Out-Null
    Add-PodContainer $Name -Name crashes -Command sh, -c, 'exit 3' -RestartPolicy Never | Out-Null
    Wait-Until -Because 'the crashing container to exit' { (Get-PodContainer $Name crashes).State -eq 'Exited' } | Out-Null
    $script:Pod = Get-Pod $Name
}

AfterAll { Remove-TestPod $Name }

Describe 'Format views' {
    It 'shows whole names at 80 columns: <what>' -TestCases @(
        @{ what = 'Get-Pod'; command = { Get-Pod $Name }; names = { $Name } }
        @{ what = 'Get-PodContainer'; command = { Get-PodContainer $Name }; names = { $Name, 'application-server', 'crashes' } }
    ) {
        $text = & $command | Out-String -Width 80
        foreach ($n in & $names) { $text | Should -Match ([regex]::Escape($n)) }
        foreach ($line in $text -split "`n") { $line.TrimEnd().Length | Should -BeLessOrEqual 80 }
    }

    It 'does not cut names or reasons when the width allows (Out-String -Width 200)' {
        $text = Get-PodContainer $Name | Out-String -Width 200
        $text | Should -Match "$([regex]::Escape($Name))\s+crashes\s+Exited\s+3\s+Error"
        (Get-Pod $Name | Out-String -Width 200) | Should -Match "$([regex]::Escape($Name))\s+Ready\s+1/2\s+0\s+\d+[smhd]\s+Burstable\s+\d+\s+(\S+\s+)?app=web"
    }

    It 'shows the cgroup tree with each container''s limits as cores and Kubernetes sizes' {
        $text = Get-Pod $Name | Get-PodCgroup | Out-String -Width 80
        # The group header wraps a long path onto the next line rather than cutting it.
        ($text -replace '\r?\n\s*', '') | Should -Match ([regex]::Escape("Cgroup: $($Pod.CgroupPath)"))
        $text | Should -Match '├─application-serv\S*\s+cpu\s+1\s+0\.5 cpu'
        $text | Should -Match 'application-serv\S*\s+memory\s+1\s+256Mi'
        foreach ($line in $text -split "`n") { $line.TrimEnd().Length | Should -BeLessOrEqual 80 }
    }

    It 'heads each container''s rows with its own cgroup path (Get-PodContainer | Get-PodCgroup)' {
        $app = Get-PodContainer $Name application-server
        $text = $app | Get-PodCgroup | Out-String -Width 200
        $text | Should -Match ([regex]::Escape("Cgroup: $($app.CgroupPath)"))
        # Witness: the folder the header names is the container's, holding its pid.
        (Get-Content "/sys/fs/cgroup/memory$($app.CgroupPath)/cgroup.procs") | Should -Contain "$($app.Pid)"
    }

    It 'fits the namespace view in 80 columns without wrapping its header' {
        $text = Get-Pod $Name | Get-PodNamespace | Out-String -Width 80
        $lines = $text -split "`n" | Where-Object { $_.Trim() }
        $lines[0].Trim() | Should -Be "Pod: $Name"
        $lines[1] | Should -Match '^\s*ProcessId\s+Type\s+Inode\s+Scope\s+Node\s+Container/Command\s*$'
        foreach ($line in $lines) { $line.TrimEnd().Length | Should -BeLessOrEqual 80 }
        $text | Should -Match '\s(pause|application-server|crashes)\s*\n'
        $text | Should -Match 'net\s+\d+\s+Pod\s+application-server'
        (Get-Process -Id $PID | Get-PodNamespace | Out-String -Width 80) | Should -Match 'Pod: \(none: node processes\)'
    }

    It 'writes enums as strings in ConvertTo-Json' {
        $json = Get-Pod $Name | ConvertTo-Json -Depth 4
        $json | Should -Match '"State": "Ready"'
        $json | Should -Match '"QosClass": "Burstable"'
        $json | Should -Match '"Engine": "Native"'
        $json | Should -Match '"Network": "Pod"'
        $json | Should -Match '"RestartPolicy": "Always"'
        (Get-Pod $Name | Get-PodNamespace | Select-Object -First 1 | ConvertTo-Json) | Should -Match '"Type": "Net"'
        ($json | ConvertFrom-Json).Containers[0].State | Should -BeIn 'Running', 'Exited'
    }
}
