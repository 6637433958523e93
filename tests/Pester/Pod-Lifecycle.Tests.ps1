BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-PodShellUnderTest
}

Describe 'Pod lifecycle: Stop-Pod, Start-Pod, Remove-Pod' {
    It 'stops a pod (idempotently), starts it again in a new sandbox, and removes everything' {
        $name = New-TestPodName 'cycle'
        try {
            $pod = New-PodSandbox -Name $name
            $c = $pod | Add-PodContainer -Name web -Image host -Command sleep, infinity
            $firstPause = $pod.PausePid

            $stopped = Stop-Pod $name -Timeout 1 -PassThru
            $stopped.State | Should -Be 'NotReady'
            Test-ProcessAlive $firstPause | Should -BeFalse
            Test-ProcessAlive $c.Pid | Should -BeFalse
            (Get-PodContainer -Pod $name -Name web).State | Should -Be 'Exited'
            { Stop-Pod $name -Timeout 1 -ErrorAction Stop } | Should -Not -Throw

            $started = Start-Pod $name -PassThru
            $started.State | Should -Be 'Ready'
            $started.PausePid | Should -Not -Be $firstPause
            $web = Get-PodContainer -Pod $name -Name web
            $web.State | Should -Be 'Running'
            Get-NamespaceInodeByReadlink $web.Pid net | Should -Be (Get-NamespaceInodeByReadlink $started.PausePid net)

            $pauses = @($started.PausePid, $web.Pid)
            Get-Pod $name | Remove-Pod -Force -Confirm:$false -Timeout 1
            Get-Pod $name -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            foreach ($p in $pauses) { Test-ProcessAlive $p | Should -BeFalse }
            Test-Path $pod.EngineDetails.StateDirectory | Should -BeFalse
            Get-TestCgroupFolder $pod.CgroupPath | Should -BeNullOrEmpty
            Get-Content /proc/self/mountinfo | Where-Object { $_ -like "*$($pod.EngineDetails.StateDirectory)*" } | Should -BeNullOrEmpty
            { Remove-Pod $name -Force -Confirm:$false -ErrorAction Stop } | Should -Not -Throw
        }
        finally { Remove-TestPod $name }
    }

    It 'refuses to remove a running pod without -Force' {
        $name = New-TestPodName 'busy'
        try {
            New-PodSandbox -Name $name | Out-Null
            $err = $null
            Remove-Pod $name -Confirm:$false -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].FullyQualifiedErrorId | Should -BeLike 'PodRunning,*'
            (Get-Pod $name).State | Should -Be 'Ready'
        }
        finally { Remove-TestPod $name }
    }

    It 'says PodNotFound for a pod that does not exist' {
        $err = $null
        Stop-Pod 'no-such-pod' -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'PodNotFound,*'
        $err[0].TargetObject | Should -Be 'no-such-pod'
    }

    It 'keeps pods alive after the pwsh that made them exits, and another session finds them' {
        $name = New-TestPodName 'survive'
        try {
            $pwsh = @([Environment]::ProcessPath)
            if ((Split-Path -Leaf $pwsh[0]) -like 'dotnet*') { $pwsh += (Join-Path $PSHOME 'pwsh.dll') }
            $script = "Import-Module '$env:PODSHELL_TEST_MODULE/PodShell.psd1'; New-PodSandbox -Name $name | Add-PodContainer -Name c -Image host -Command sleep,infinity | Out-Null"
            & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -Command $script
            $LASTEXITCODE | Should -Be 0
            $pod = Get-Pod $name
            $pod.State | Should -Be 'Ready'
            Test-ProcessAlive $pod.PausePid | Should -BeTrue
            $c = Get-PodContainer -Pod $name -Name c
            $c.State | Should -Be 'Running'
            Get-NamespaceInodeByReadlink $c.Pid net | Should -Be (Get-NamespaceInodeByReadlink $pod.PausePid net)
        }
        finally { Remove-TestPod $name }
    }

    It 'cleans up with Remove-Pod -Force after a create that died half-way' {
        $name = New-TestPodName 'half'
        $pod = New-PodSandbox -Name $name
        $c = $pod | Add-PodContainer -Name c -Image host -Command sleep, infinity
        # What a pwsh killed mid-create leaves: a record that never became complete, pids never written.
        $record = Get-Content (Join-Path $pod.EngineDetails.StateDirectory 'pod.json') -Raw | ConvertFrom-Json
        $record.complete = $false
        $record.pausePid = 0
        $container = Join-Path $pod.EngineDetails.StateDirectory 'containers/c/container.json'
        $crecord = Get-Content $container -Raw | ConvertFrom-Json
        $crecord.shimPid = 0
        $crecord | ConvertTo-Json -Depth 5 | Set-Content $container
        $record | ConvertTo-Json -Depth 5 | Set-Content (Join-Path $pod.EngineDetails.StateDirectory 'pod.json')
        try {
            # No session holds the pod's lock: its create is over, not going on.
            $seen = Get-Pod $name -WarningAction SilentlyContinue
            $seen.State | Should -Be 'Unknown'
            $seen.Message | Should -Match 'did not finish'
            Remove-Pod $name -Force -Confirm:$false -Timeout 1
            Test-ProcessAlive $pod.PausePid | Should -BeFalse
            Test-ProcessAlive $c.Pid | Should -BeFalse
            Test-Path $pod.EngineDetails.StateDirectory | Should -BeFalse
            Get-Content /proc/self/mountinfo | Where-Object { $_ -like "*$($pod.EngineDetails.StateDirectory)*" } | Should -BeNullOrEmpty
            Get-TestCgroupFolder $pod.CgroupPath | Should -BeNullOrEmpty
        }
        finally { Remove-TestPod $name }
    }
}
