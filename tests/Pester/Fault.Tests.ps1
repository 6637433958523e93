# The fault suite (issue 7): state files broken in every way (missing, empty, garbage, wrong types) never hide a pod
# or a container, and Remove-Pod -Force still finds every process, mount and cgroup of the pod from the kernel.
# Witnesses: /proc (processes alive), /proc/self/mountinfo, the cgroupfs folders, the state folder.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-PodShellUnderTest

    # Everything of a pod the kernel can show: its pause, its shims and containers, its mounts, its cgroup folders.
    function Get-PodFootprint($Pod, [int[]] $ProcessIds) {
        $dir = $Pod.EngineDetails.StateDirectory
        [pscustomobject]@{
            Processes = @($ProcessIds | Where-Object { Test-ProcessAlive $_ })
            Mounts    = @(Get-Content /proc/self/mountinfo | Where-Object { ($_ -split ' ')[4] -like "$dir/*" })
            Cgroups   = @(Get-TestCgroupFolder $Pod.CgroupPath)
            State     = Test-Path $dir
        }
    }

    function New-FaultPod([string] $Prefix) {
        $name = New-TestPodName $Prefix
        $pod = New-PodSandbox -Name $name
        $c = $pod | Add-PodContainer -Name c -Image host -Command sleep, infinity
        $shim = [int] ((Get-Content "/proc/$($c.Pid)/status" | Where-Object { $_ -like 'PPid:*' }) -split '\s+')[1]
        [pscustomobject]@{ Name = $name; Pod = $pod; Container = $c; Ids = @($pod.PausePid, $shim, $c.Pid) }
    }
}

Describe 'Fault: a broken pod.json never hides the pod, and Remove-Pod -Force cleans it from the kernel' -Tag 'Fault' {
    It 'shows the pod as Unknown and removes everything when pod.json is <Case>' -TestCases @(
        @{ Case = 'missing'; Content = $null }
        @{ Case = 'empty'; Content = '' }
        @{ Case = 'truncated'; Content = '{"name": "x", "uid": ' }
        @{ Case = 'of the wrong types'; Content = '{"name": 5, "uid": [1], "namespaces": "no", "labels": 7}' }
        @{ Case = 'another JSON value'; Content = '[1, 2, 3]' }
    ) {
        $f = New-FaultPod 'podjson'
        try {
            $file = Join-Path $f.Pod.EngineDetails.StateDirectory 'pod.json'
            if ($null -eq $Content) { Remove-Item $file } else { [IO.File]::WriteAllText($file, $Content) }

            $listed = Get-Pod | Where-Object Name -EQ $f.Name
            $listed | Should -Not -BeNullOrEmpty -Because 'Get-Pod never hides a pod'
            $listed.State | Should -Be 'Unknown'
            $listed.Message | Should -Match 'pod\.json'
            (Get-Pod $f.Name).State | Should -Be 'Unknown'

            $err = $null
            Remove-Pod $f.Name -Confirm:$false -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].FullyQualifiedErrorId | Should -BeLike 'PodRunning,*' -Because 'its processes still run: -Force is needed'

            Remove-Pod $f.Name -Force -Confirm:$false
            $left = Get-PodFootprint $f.Pod $f.Ids
            $left.Processes | Should -BeNullOrEmpty
            $left.Mounts | Should -BeNullOrEmpty
            $left.Cgroups | Should -BeNullOrEmpty
            $left.State | Should -BeFalse
            Get-Pod | Where-Object Name -EQ $f.Name | Should -BeNullOrEmpty
        }
        finally { Remove-TestPod $f.Name }
    }
}

Describe 'Fault: broken container state files' -Tag 'Fault' {
    It 'shows the container as Unknown, and Get-Pod | Remove-Pod -Force cleans everything, when <File> is <Case>' -TestCases @(
        @{ File = 'container.json'; Case = 'garbage'; Content = 'not json at all' }
        @{ File = 'container.json'; Case = 'empty'; Content = '' }
        @{ File = 'container.json'; Case = 'of the wrong types'; Content = '{"name": {"a": 1}, "args": 3}' }
        @{ File = 'status.json'; Case = 'garbage'; Content = '}}}' }
        @{ File = 'status.json'; Case = 'of an unknown state'; Content = '{"state": "Dancing"}' }
        @{ File = 'both'; Case = 'garbage'; Content = 'xx' }
    ) {
        $f = New-FaultPod 'ctrjson'
        try {
            $dir = $f.Container.EngineDetails.StateDirectory
            $files = if ($File -eq 'both') { 'container.json', 'status.json' } else { @($File) }
            foreach ($stateFile in $files) { [IO.File]::WriteAllText((Join-Path $dir $stateFile), $Content) }

            $shown = Get-PodContainer -Pod $f.Name
            $shown | Should -HaveCount 1 -Because 'a container with broken state is never hidden'
            $shown.State | Should -Be 'Unknown'
            $shown.Message | Should -Match ($files[0] -replace '\.', '\.')

            { Get-Pod | Where-Object Name -EQ $f.Name | Remove-Pod -Force -Confirm:$false -ErrorAction Stop } | Should -Not -Throw
            $left = Get-PodFootprint $f.Pod $f.Ids
            $left.Processes | Should -BeNullOrEmpty
            $left.Mounts | Should -BeNullOrEmpty
            $left.Cgroups | Should -BeNullOrEmpty
            $left.State | Should -BeFalse
        }
        finally { Remove-TestPod $f.Name }
    }

    It 'removes one container with broken state by -Force, leaving the pod and its other containers' {
        $f = New-FaultPod 'ctrone'
        try {
            $other = Add-PodContainer -Pod $f.Name -Name other -Image host -Command sleep, infinity
            [IO.File]::WriteAllText((Join-Path $f.Container.EngineDetails.StateDirectory 'container.json'), 'garbage')
            [IO.File]::WriteAllText((Join-Path $f.Container.EngineDetails.StateDirectory 'status.json'), 'garbage')
            Remove-PodContainer -Pod $f.Name -Name c -Force -Confirm:$false
            Test-ProcessAlive $f.Container.Pid | Should -BeFalse
            Test-ProcessAlive $f.Ids[1] | Should -BeFalse -Because 'its shim is found by its command line'
            Test-Path "/sys/fs/cgroup/pids$($f.Container.CgroupPath)" | Should -BeFalse
            (Get-PodContainer -Pod $f.Name).Name | Should -Be 'other'
            Test-ProcessAlive $other.Pid | Should -BeTrue
        }
        finally { Remove-TestPod $f.Name }
    }
}

Describe 'Fault: a killed shim is noticed, and Start-PodContainer takes the container back' -Tag 'Fault' {
    It 'marks the container, warns, and restarts it under a new shim' {
        $f = New-FaultPod 'shim'
        try {
            $shim = $f.Ids[1]
            & kill -9 $shim
            Wait-ProcessExit $shim | Should -BeTrue
            Test-ProcessAlive $f.Container.Pid | Should -BeTrue -Because 'the container outlives its shim'

            $warnings = $null
            $seen = Get-PodContainer -Pod $f.Name -Name c -WarningVariable warnings -WarningAction SilentlyContinue
            $seen.State | Should -Be 'Running'
            $seen.Reason | Should -Be 'ShimLost'
            ($warnings -join "`n") | Should -Match 'unwatched'
            $warnings = $null
            Get-Pod $f.Name -WarningVariable warnings -WarningAction SilentlyContinue | Out-Null
            ($warnings -join "`n") | Should -Match "Container 'c'"

            $back = Start-PodContainer -Pod $f.Name -Name c -PassThru -WarningAction SilentlyContinue
            $back.State | Should -Be 'Running'
            $back.Reason | Should -BeNullOrEmpty
            $back.Pid | Should -Not -Be $f.Container.Pid
            Wait-ProcessExit $f.Container.Pid | Should -BeTrue -Because 'the unwatched process is replaced, not doubled'
            $newShim = [int] ((Get-Content "/proc/$($back.Pid)/status" | Where-Object { $_ -like 'PPid:*' }) -split '\s+')[1]
            (Get-Content -Raw "/proc/$newShim/cmdline") | Should -Match 'shim-run'
            @(Get-Content "/sys/fs/cgroup/pids$($back.CgroupPath)/cgroup.procs") | Should -Be @("$($back.Pid)")
        }
        finally { Remove-TestPod $f.Name }
    }
}

Describe 'Fault: logs are rotated as kubelet does, and a full state disk does not make the shim spin' -Tag 'Fault' {
    It 'keeps at most PODSHELL_CONTAINER_LOG_MAX_FILES files of about PODSHELL_CONTAINER_LOG_MAX_SIZE' {
        $name = New-TestPodName 'logrot'
        $env:PODSHELL_CONTAINER_LOG_MAX_SIZE = '64Ki'
        $env:PODSHELL_CONTAINER_LOG_MAX_FILES = '3'
        try {
            $pod = New-PodSandbox -Name $name
            $c = $pod | Add-PodContainer -Name c -Image host -Command sh, -c, 'i=0; while [ $i -lt 4000 ]; do echo "line $i 0123456789012345678901234567890123456789"; i=$((i+1)); done; echo last-line; sleep infinity'
            $dir = $c.EngineDetails.StateDirectory
            Wait-Until -Because 'the last line' { (Get-PodLog -Pod $name -Container c -Tail 1) -eq 'last-line' } | Out-Null
            $files = @(Get-ChildItem $dir -Filter 'container.log*' | Sort-Object Name)
            $files.Name | Should -Be @('container.log', 'container.log.1', 'container.log.2')
            foreach ($file in $files) { $file.Length | Should -BeLessOrEqual (64KB + 200) }
            (Get-Content "$dir/container.log.1" -TotalCount 1) | Should -Match '^\S+ stdout F line \d+ '
        }
        finally {
            Remove-Item Env:PODSHELL_CONTAINER_LOG_MAX_SIZE, Env:PODSHELL_CONTAINER_LOG_MAX_FILES -ErrorAction Ignore
            Remove-TestPod $name
        }
    }

    It 'backs off while the state file system is full (shim CPU time), keeps the container running, and removes cleanly' {
        $root = Join-Path $env:PODSHELL_ROOT "small-$([guid]::NewGuid().ToString('N').Substring(0, 6))"
        New-Item -ItemType Directory -Force $root | Out-Null
        & mount -t tmpfs -o size=1m podshell-test-small $root
        $saved = $env:PODSHELL_ROOT
        $name = New-TestPodName 'full'
        try {
            $env:PODSHELL_ROOT = $root
            $pod = New-PodSandbox -Name $name
            $c = $pod | Add-PodContainer -Name c -Image host -Command sh, -c, 'while :; do echo 0123456789012345678901234567890123456789012345678901234567890123456789; done'
            $shim = [int] ((Get-Content "/proc/$($c.Pid)/status" | Where-Object { $_ -like 'PPid:*' }) -split '\s+')[1]
            Wait-Until -Because 'the disk to fill' { (& df --output=avail $root | Select-Object -Last 1).Trim() -eq '0' } | Out-Null
            Start-Sleep -Milliseconds 500
            $ticks = { $f = (Get-Content -Raw "/proc/$shim/stat").Split(')')[1].Trim().Split(' '); [long] $f[11] + [long] $f[12] }
            $before = & $ticks
            Start-Sleep -Seconds 3
            $used = (& $ticks) - $before
            $used | Should -BeLessThan 100 -Because 'under a second of CPU in 3 s (clock ticks of 10 ms): the shim backs off instead of spinning'
            Test-ProcessAlive $shim | Should -BeTrue
            $seen = Get-PodContainer -Pod $name -Name c
            $seen.State | Should -Be 'Running'
            $seen.Message | Should -Match 'LogWriteFailed' -Because 'status.json is rewritten in place when no new file fits'
            Remove-Pod $name -Force -Confirm:$false
            Test-ProcessAlive $shim | Should -BeFalse
            Test-Path "$root/pods/$name" | Should -BeFalse
        }
        finally {
            Remove-TestPod $name
            $env:PODSHELL_ROOT = $saved
            & umount -l $root
            Remove-Item -Recurse -Force $root -ErrorAction Ignore
        }
    }
}
