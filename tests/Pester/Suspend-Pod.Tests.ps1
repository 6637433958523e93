BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-PodShellUnderTest

    # Lines in the container's log file, read from disk (not through PodShell).
    function Get-TickCount([string] $Pod) {
        $log = Join-Path $env:PODSHELL_ROOT "pods/$Pod/containers/ticker/container.log"
        @(Get-Content $log -ErrorAction Ignore).Count
    }
}

Describe 'Suspend-Pod and Resume-Pod' {
    BeforeAll {
        $script:Name = New-TestPodName 'frz'
        $pod = New-PodSandbox -Name $Name
        $pod | Add-PodContainer -Name ticker -Command sh, -c, 'while :; do echo tick; sleep 0.02; done' | Out-Null
        $script:Freezer = "/sys/fs/cgroup/freezer$($pod.CgroupPath)"
        Wait-Until -Because 'the first ticks' { (Get-TickCount $Name) -gt 3 } | Out-Null
    }
    AfterAll { Remove-TestPod $Name }

    It 'freezes every process of the pod: the kernel says FROZEN and the ticks stop' {
        $paused = Suspend-Pod $Name -PassThru
        $paused.State | Should -Be 'Paused'
        (Get-Content "$Freezer/freezer.state") | Should -Be 'FROZEN'
        (Get-PodContainer $Name ticker).State | Should -Be 'Paused'
        $before = Get-TickCount $Name
        Start-Sleep -Milliseconds 400
        Get-TickCount $Name | Should -Be $before
        # The container's shell is in the frozen cgroup's tasks (the witness for "every process").
        (Get-Content "$Freezer/ticker/cgroup.procs") | Should -Contain "$((Get-PodContainer $Name ticker).Pid)"
        (Get-Pod $Name | Out-String -Width 120) | Should -Match "$Name\s+Paused"
    }

    It 'refuses container operations while paused, saying to resume' {
        $err = $null
        Stop-PodContainer $Name ticker -Timeout 0 -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'PodPaused,*'
        $err[0].ErrorDetails.RecommendedAction | Should -Match "Resume-Pod $Name"
    }

    It 'thaws it again: THAWED, Ready and ticking' {
        $before = Get-TickCount $Name
        Get-Pod $Name | Resume-Pod
        (Get-Content "$Freezer/freezer.state") | Should -Be 'THAWED'
        (Get-Pod $Name).State | Should -Be 'Ready'
        (Get-PodContainer $Name ticker).State | Should -Be 'Running'
        Wait-Until -Because 'new ticks after the thaw' { (Get-TickCount $Name) -gt $before + 3 } | Out-Null
        { Resume-Pod $Name -ErrorAction Stop } | Should -Not -Throw
    }

    It 'stops a paused pod (thawing it first) within the grace period' {
        Suspend-Pod $Name
        $pid1 = (Get-PodContainer $Name ticker).Pid
        $stopped = Stop-Pod $Name -Timeout 1 -PassThru
        $stopped.State | Should -Be 'NotReady'
        Test-ProcessAlive $pid1 | Should -BeFalse
        (Get-Content "$Freezer/freezer.state") | Should -Be 'THAWED'
    }

    It 'says PodNotReady for a stopped pod' {
        $err = $null
        Suspend-Pod $Name -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'PodNotReady,*'
    }

    It 'removes a paused pod with -Force, leaving no freezer cgroup' {
        Start-Pod $Name
        Suspend-Pod $Name
        Remove-Pod $Name -Force -Timeout 1
        Test-Path $Freezer | Should -BeFalse
    }
}

Describe 'The freezer on cgroup v2 (fixture tree)' {
    It 'writes cgroup.freeze and reads cgroup.events' {
        $root = Join-Path ([IO.Path]::GetTempPath()) ("frz-" + [guid]::NewGuid().ToString('N').Substring(0, 8))
        try {
            New-Item -ItemType Directory "$root/podshell/pod1" | Out-Null
            Set-Content "$root/cgroup.controllers" 'cpu memory pids'
            Set-Content "$root/cgroup.subtree_control" ''
            Set-Content "$root/podshell/pod1/cgroup.freeze" '0'
            Set-Content "$root/podshell/pod1/cgroup.events" "populated 1`nfrozen 0"
            $manager = [PodShell.Cgroups.CgroupManager]::new([PodShell.Cgroups.CgroupFileSystem]::Detect($root))
            # The kernel would update cgroup.events; the fixture does not, so the wait gives up.
            $manager.SetFrozen('podshell/pod1', $true, [TimeSpan]::FromMilliseconds(50)) | Should -BeFalse
            (Get-Content "$root/podshell/pod1/cgroup.freeze") | Should -Be '1'
            $manager.IsFrozen('podshell/pod1') | Should -BeTrue
            Set-Content "$root/podshell/pod1/cgroup.events" "populated 1`nfrozen 1"
            $manager.SetFrozen('podshell/pod1', $true, [TimeSpan]::FromMilliseconds(50)) | Should -BeTrue
            Set-Content "$root/podshell/pod1/cgroup.events" "populated 1`nfrozen 0"
            $manager.SetFrozen('podshell/pod1', $false, [TimeSpan]::FromMilliseconds(50)) | Should -BeTrue
            (Get-Content "$root/podshell/pod1/cgroup.freeze") | Should -Be '0'
            $manager.IsFrozen('podshell/pod1') | Should -BeFalse
        }
        finally { Remove-Item -Recurse -Force $root }
    }
}
