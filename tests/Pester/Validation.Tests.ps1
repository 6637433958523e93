# The bad-input table (issue 7): each input is refused at the cmdlet with its stable error id and a precise message,
# and nothing is left behind (no container folder, no cgroup). Start-stage failures come back as ContainerStartFailed.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-PodShellUnderTest
}

Describe 'Bad input is refused with a stable error id, and makes nothing' -Tag 'Validation' {
    BeforeAll {
        $name = New-TestPodName 'bad'
        $pod = New-PodSandbox -Name $name
        $script:Scratch = Join-Path ([IO.Path]::GetTempPath()) "podshell-bad-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
        New-Item -ItemType Directory -Force "$Scratch/w:x", "$Scratch/a,b", "$Scratch/rf/bin" | Out-Null
        Copy-Item /bin/busybox "$Scratch/rf/bin/busybox"
    }
    AfterAll {
        Remove-TestPod $name
        Remove-Item -Recurse -Force $Scratch -ErrorAction Ignore
    }

    It 'refuses <Case> with <Id>' -TestCases @(
        @{ Case = 'a container name with a trailing newline'; Id = 'InvalidContainerName'; Arguments = @{ Name = "app`n" } }
        @{ Case = 'an upper-case container name'; Id = 'InvalidContainerName'; Arguments = @{ Name = 'App' } }
        @{ Case = 'an empty environment name'; Id = 'InvalidEnvironment'; Arguments = @{ Environment = @{ '' = 'x' } } }
        @{ Case = 'an environment name with ='; Id = 'InvalidEnvironment'; Arguments = @{ Environment = @{ 'A=B' = 'x' } } }
        @{ Case = 'an environment name with a control character'; Id = 'InvalidEnvironment'; Arguments = @{ Environment = @{ "A`tB" = 'x' } } }
        @{ Case = 'a NUL in an environment value'; Id = 'InvalidEnvironment'; Arguments = @{ Environment = @{ 'A' = "x`0y" } } }
        @{ Case = 'a NUL in an argument'; Id = 'InvalidArgument'; Arguments = @{ Command = @('sleep', "1`0") } }
        @{ Case = 'a relative working directory'; Id = 'InvalidWorkingDirectory'; Arguments = @{ WorkingDirectory = 'app' } }
        @{ Case = 'a working directory in /proc'; Id = 'InvalidWorkingDirectory'; Arguments = @{ WorkingDirectory = '/proc/self/fd/3' } }
        @{ Case = 'a memory quantity that is not one'; Id = 'InvalidQuantity'; Arguments = @{ Memory = '12 parsecs' } }
        @{ Case = 'a cpu below 1m'; Id = 'InvalidQuantity'; Arguments = @{ Cpu = '0.0001' }; Message = "'0.0001' is below 1m" }
        @{ Case = 'a cpu request below 1m in micro-cores'; Id = 'InvalidQuantity'; Arguments = @{ CpuRequest = '500u' }; Message = "'500u' is below 1m" }
        @{ Case = 'a rootfs path with a colon (overlay option injection)'; Id = 'InvalidRootFs'; Arguments = @{ RootFs = 'w:x' } }
        @{ Case = 'a rootfs path with a comma'; Id = 'InvalidRootFs'; Arguments = @{ RootFs = 'a,b' } }
        @{ Case = 'the node''s root as rootfs'; Id = 'InvalidRootFs'; Arguments = @{ RootFs = '/' } }
        @{ Case = 'the node''s root by another name'; Id = 'InvalidRootFs'; Arguments = @{ RootFs = '/proc/self/root/tmp/..' } }
        @{ Case = 'a file as rootfs'; Id = 'InvalidRootFs'; Arguments = @{ RootFs = '/etc/passwd' } }
        @{ Case = 'a missing rootfs'; Id = 'RootFsNotFound'; Arguments = @{ RootFs = '/nonexistent/rootfs' } }
    ) {
        $splat = @{ Pod = $name; Name = 'c'; Command = @('sleep', 'infinity') }
        foreach ($key in $Arguments.Keys) { $splat[$key] = $Arguments[$key] }
        if ($splat.RootFs -and -not $splat.RootFs.StartsWith('/')) { $splat.RootFs = Join-Path $Scratch $splat.RootFs }
        if ($splat.RootFs) { $splat.Command = @('/bin/busybox', 'sleep', '1000') }
        $err = $null
        Add-PodContainer @splat -ErrorVariable err -ErrorAction SilentlyContinue | Out-Null
        $err | Should -Not -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike "$Id,*"
        $err[0].Exception.Message | Should -Not -Match 'Exception|at PodShell'
        if ($Message) { $err[0].Exception.Message | Should -BeLike "*$Message*" }
        Get-PodContainer -Pod $name | Should -BeNullOrEmpty
        Test-Path (Join-Path $pod.EngineDetails.StateDirectory 'containers/c') | Should -BeFalse
        Get-ChildItem "/sys/fs/cgroup/memory$($pod.CgroupPath)" -Directory -ErrorAction Ignore | Where-Object Name -EQ 'c' | Should -BeNullOrEmpty
    }

    It 'refuses a pod name with a trailing newline' {
        $err = $null
        New-PodSandbox -Name "$(New-TestPodName 'nl')`n" -ErrorVariable err -ErrorAction SilentlyContinue | Out-Null
        $err[0].FullyQualifiedErrorId | Should -BeLike 'InvalidPodName,*'
    }

    It 'takes -Memory 0 and -Cpu 0 as no limit, as Kubernetes does (cgroupfs)' {
        $c = Add-PodContainer -Pod $name -Name zero -Image host -Command sleep, infinity -Memory 0 -Cpu 0
        try {
            [long] (Get-Content "/sys/fs/cgroup/memory$($c.CgroupPath)/memory.limit_in_bytes") | Should -BeGreaterThan 1TB
            Get-Content "/sys/fs/cgroup/cpu$($c.CgroupPath)/cpu.cfs_quota_us" | Should -Be '-1'
        }
        finally { Remove-PodContainer -Pod $name -Name zero -Force -Confirm:$false }
    }

    It 'reports a start-stage failure as ContainerStartFailed with the reason: <Case>' -TestCases @(
        @{ Case = 'a working directory that is a file'; Arguments = @{ Image = 'host'; WorkingDirectory = '/etc/passwd' }; Reason = 'file' }
        @{ Case = 'a rootfs whose sys is a file'; Arguments = @{ RootFs = 'sysfile' }; Reason = 'sys' }
    ) {
        $splat = $Arguments.Clone()
        if ($splat.RootFs) {
            $rootfs = Join-Path $Scratch $splat.RootFs
            foreach ($dir in 'bin', 'etc', 'proc', 'dev', 'tmp') { New-Item -ItemType Directory -Force "$rootfs/$dir" | Out-Null }
            Copy-Item /bin/busybox "$rootfs/bin/busybox"
            Set-Content "$rootfs/etc/passwd" 'root:x:0:0::/:/bin/sh'
            Set-Content "$rootfs/sys" 'not a folder'
            $splat.RootFs = $rootfs
        }
        $err = $null
        $c = Add-PodContainer -Pod $name -Name s -Command /bin/busybox, sleep, 1000 -RestartPolicy Never @splat -ErrorVariable err -ErrorAction SilentlyContinue
        $c | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ContainerStartFailed,*'
        $err[0].Exception.Message | Should -Match $Reason
        $err[0].Exception.Message | Should -Not -Match 'Exception'
        Get-PodContainer -Pod $name | Should -BeNullOrEmpty
    }
}

Describe 'A default pids limit per pod, as kubelet''s podPidsLimit (PODSHELL_POD_PIDS_LIMIT)' -Tag 'Validation' {
    It 'writes the limit to the pod cgroup''s pids.max, and a fork loop in a container stops at it' {
        $limited = New-TestPodName 'pids'
        $open = New-TestPodName 'nopids'
        try {
            $env:PODSHELL_POD_PIDS_LIMIT = '24'
            try { $pod = New-PodSandbox -Name $limited -Network None }
            finally { Remove-Item Env:PODSHELL_POD_PIDS_LIMIT }
            $cgroup = "/sys/fs/cgroup/pids$($pod.CgroupPath)"
            Get-Content "$cgroup/pids.max" | Should -Be '24'

            # A fork loop that survives a refused fork, and says how far it got.
            $bomb = "import os, time`nn = 0`nfor i in range(200):`n    try:`n        pid = os.fork()`n    except OSError as e:`n        print('fork refused:', e.strerror, flush=True)`n        break`n    if pid == 0:`n        time.sleep(1000)`n        os._exit(0)`n    n += 1`nprint('forked', n, flush=True)`ntime.sleep(1000)"
            $pod | Add-PodContainer -Name bomb -Image host -Command python3, -c, $bomb | Out-Null
            $log = Wait-Until -Because 'the fork loop to end' { Get-PodLog -Pod $limited -Container bomb | Where-Object { $_ -like 'forked *' } }
            [int] ($log -replace 'forked ', '') | Should -BeLessThan 24 -Because 'the loop stopped at the pod''s limit, not at its 200'
            Get-PodLog -Pod $limited -Container bomb | Should -Contain 'fork refused: Resource temporarily unavailable'
            Get-Content "$cgroup/pids.current" | Should -Be '24'
            @(Get-ChildItem $cgroup -Recurse -Filter cgroup.procs | Get-Content).Count | Should -BeLessOrEqual 24 -Because 'the pod''s processes, counted in the cgroupfs'
            [int] ((Get-Content "$cgroup/bomb/pids.events") -split ' ')[1] | Should -BeGreaterThan 0 -Because 'the kernel counted the refused fork'

            $other = New-PodSandbox -Name $open -Network None
            Get-Content "/sys/fs/cgroup/pids$($other.CgroupPath)/pids.max" | Should -Be 'max' -Because 'unset means no limit'
        }
        finally { Remove-TestPod $limited, $open }
    }
}
