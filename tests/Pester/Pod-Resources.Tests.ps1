# Requests and limits on the real cgroup v1 node: the QoS class computed and the pod cgroup moved with its processes,
# the limits' effect seen by the kernel's own counters (OOM kill, cpu usage, pids), oom_score_adj, and
# Get-PodCgroup -Id / -Explain. Witnesses: /proc/<pid>/cgroup, the cgroupfs files, cpuacct.usage, pids.events.

BeforeDiscovery {
    $IsV1Host = Test-Path /sys/fs/cgroup/memory/memory.limit_in_bytes
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'CgroupTestHelpers.psm1') -Force
    Import-PodShellUnderTest
    $root = $env:PODSHELL_CGROUP_ROOT
}

Describe 'The QoS class is computed, and the pod cgroup moves with its processes' -Skip:(-not $IsV1Host) {
    BeforeAll { $name = New-TestPodName 'qos' }
    AfterAll { Remove-TestPod $name }

    It 'starts BestEffort, becomes Guaranteed, then Burstable, moving pause and containers each time' {
        $pod = New-PodSandbox -Name $name
        $pod.QosClass | Should -Be 'BestEffort'
        Get-ProcessCgroupPath $pod.PausePid | Should -Be "/$root/besteffort/pod$($pod.Uid)/pause"

        $g = $pod | Add-PodContainer -Name g -Command sleep, infinity -Cpu 250m -Memory 64Mi
        (Get-Pod $name).QosClass | Should -Be 'Guaranteed'
        foreach ($controller in 'memory', 'cpu', 'pids') {
            Get-ProcessCgroupPath $pod.PausePid $controller | Should -Be "/$root/pod$($pod.Uid)/pause"
            Get-ProcessCgroupPath $g.Pid $controller | Should -Be "/$root/pod$($pod.Uid)/g"
        }
        Test-Path "/sys/fs/cgroup/memory/$root/besteffort/pod$($pod.Uid)" | Should -BeFalse
        Get-Content "/sys/fs/cgroup/memory/$root/pod$($pod.Uid)/memory.limit_in_bytes" | Should -Be 67108864

        $b = $pod | Add-PodContainer -Name b -Command sleep, infinity
        $now = Get-Pod $name
        $now.QosClass | Should -Be 'Burstable'
        $now.CgroupPath | Should -Be "/$root/burstable/pod$($pod.Uid)"
        Get-ProcessCgroupPath $pod.PausePid | Should -Be "/$root/burstable/pod$($pod.Uid)/pause"
        Get-ProcessCgroupPath $g.Pid 'cpu' | Should -Be "/$root/burstable/pod$($pod.Uid)/g"
        Get-ProcessCgroupPath $b.Pid | Should -Be "/$root/burstable/pod$($pod.Uid)/b"
        Test-Path "/sys/fs/cgroup/cpu/$root/pod$($pod.Uid)" | Should -BeFalse
        # The moved container keeps its limits, and the pod's follow kubelet's Burstable rule (b declares none).
        Get-Content "/sys/fs/cgroup/cpu/$root/burstable/pod$($pod.Uid)/g/cpu.cfs_quota_us" | Should -Be 25000
        Get-Content "/sys/fs/cgroup/cpu/$root/burstable/pod$($pod.Uid)/cpu.cfs_quota_us" | Should -Be -1
        Get-Content "/sys/fs/cgroup/cpu/$root/burstable/pod$($pod.Uid)/cpu.shares" | Should -Be 256   # the sum of requests: 250m and none
        Test-ProcessAlive $g.Pid | Should -BeTrue
        (Get-PodContainer $name g).CgroupPath | Should -Be "/$root/burstable/pod$($pod.Uid)/g"
        if (Test-Path /sys/fs/cgroup/devices/devices.list) {
            # The moved container's new devices cgroup has runc's list, not the pod's 'a *:* rwm'.
            $devices = Get-Content "/sys/fs/cgroup/devices/$root/burstable/pod$($pod.Uid)/g/devices.list"
            $devices | Should -Not -Contain 'a *:* rwm'
            $devices | Should -Contain 'c 1:3 rwm'
        }

        # A command run in the moved container joins its new cgroup.
        $inside = Invoke-PodCommand -Pod $name -Container g -- cat /proc/self/cgroup
        ($inside | Where-Object { $_ -match ':memory:' }) | Should -Match "burstable/pod$($pod.Uid)/g$"

        # Removing b makes it Guaranteed again: back it goes.
        Remove-PodContainer -Pod $name -Name b -Force -Confirm:$false
        (Get-Pod $name).QosClass | Should -Be 'Guaranteed'
        Get-ProcessCgroupPath $g.Pid | Should -Be "/$root/pod$($pod.Uid)/g"
    }

    It 'gives each container oom_score_adj per its class, and changes it when the class changes' {
        $nodeBytes = [long](((Get-Content /proc/meminfo | Where-Object { $_ -like 'MemTotal:*' }) -split '\s+')[1]) * 1024
        function Expected([long] $request) { [math]::Max(3, [math]::Min(999, 1000 - [math]::Floor(1000 * $request / $nodeBytes))) }
        $g = Get-PodContainer $name g
        # Guaranteed is -997; a node without CAP_SYS_RESOURCE refuses negative values, and 0 stands in.
        [int](Get-Content "/proc/$($g.Pid)/oom_score_adj") | Should -BeIn @(-997, 0)
        [int](Get-Content "/proc/$((Get-Pod $name).PausePid)/oom_score_adj") | Should -BeIn @(-998, 0)
        $c = Get-Pod $name | Add-PodContainer -Name req -Command sleep, infinity -MemoryRequest 1Gi
        (Get-Pod $name).QosClass | Should -Be 'Burstable'
        [int](Get-Content "/proc/$($c.Pid)/oom_score_adj") | Should -Be (Expected 1GB)
        [int](Get-Content "/proc/$($g.Pid)/oom_score_adj") | Should -Be (Expected 64MB)
        [int](Get-Content "/proc/$((Get-Pod $name).PausePid)/oom_score_adj") | Should -BeIn @(-998, 0)
    }

    It 'keeps -QosClass as an assertion and leaves nothing of a refused container' {
        $asserted = New-TestPodName 'qg'
        try {
            $pod = New-PodSandbox -Name $asserted -QosClass Guaranteed
            $pod.CgroupPath | Should -Be "/$root/pod$($pod.Uid)"
            $err = $null
            $pod | Add-PodContainer -Name loose -Command sleep, infinity -Memory 64Mi -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].FullyQualifiedErrorId | Should -BeLike 'QosClassMismatch,*'
            $err[0].Exception.Message | Should -Match 'Burstable'
            Get-PodContainer -Pod $asserted | Should -BeNullOrEmpty
            Test-Path "/sys/fs/cgroup/memory$($pod.CgroupPath)/loose" | Should -BeFalse
            $ok = $pod | Add-PodContainer -Name tight -Command sleep, infinity -Memory 64Mi -Cpu 100m
            $ok.State | Should -Be 'Running'
            (Get-Pod $asserted).CgroupPath | Should -Be "/$root/pod$($pod.Uid)"
        }
        finally { Remove-TestPod $asserted }
    }

    It 'refuses a request above its limit with InvalidResources' {
        $err = $null
        Add-PodContainer -Pod $name -Name bad -Command sleep, 1 -CpuRequest 2 -CpuLimit 1 -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'InvalidResources,*'
        Add-PodContainer -Pod $name -Name bad -Command sleep, 1 -MemoryLimit 1KiB -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'InvalidQuantity,*'
        Get-PodContainer -Pod $name -Name bad -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }
}

Describe 'Pod-level resources on New-PodSandbox' -Skip:(-not $IsV1Host) {
    BeforeAll {
        $name = New-TestPodName 'plr'
        $pod = New-PodSandbox -Name $name -CpuLimit 500m -MemoryLimit 96Mi -PidsLimit 50
        $app = $pod | Add-PodContainer -Name app -Command sleep, infinity -Memory 64Mi
    }
    AfterAll { Remove-TestPod $name }

    It 'is Guaranteed from its pod-level limits and writes them on the pod cgroup' {
        $now = Get-Pod $name
        $now.QosClass | Should -Be 'Guaranteed'
        $now.Resources.MemoryLimit | Should -Be 96MB
        Get-Content "/sys/fs/cgroup/cpu$($now.CgroupPath)/cpu.cfs_quota_us" | Should -Be 50000
        Get-Content "/sys/fs/cgroup/cpu$($now.CgroupPath)/cpu.shares" | Should -Be 512
        Get-Content "/sys/fs/cgroup/memory$($now.CgroupPath)/memory.limit_in_bytes" | Should -Be 100663296
        Get-Content "/sys/fs/cgroup/pids$($now.CgroupPath)/pids.max" | Should -Be 50
    }

    It 'shows the binding limit for a process: the pod''s 50 pids and 0.5 cpu, its own 64Mi under the pod''s 96Mi' {
        $mem = Get-PodCgroup -Id $app.Pid | Where-Object Controllers -EQ 'memory'
        $podPath = (Get-Pod $name).CgroupPath
        $mem.MemoryLimit | Should -Be 64MB
        $mem.EffectiveMemoryLimit | Should -Be 64MB
        $mem.EffectiveMemoryLimitPath | Should -Be "$podPath/app"
        $mem.Limits | Should -Be 'memory 64Mi'
        $cpu = Get-PodCgroup -Id $app.Pid | Where-Object Controllers -EQ 'cpu'
        $cpu.CpuLimit | Should -BeNullOrEmpty
        $cpu.EffectiveCpuLimit | Should -Be 0.5
        $cpu.EffectiveCpuLimitPath | Should -Be $podPath
        $pids = Get-PodCgroup -Id $app.Pid | Where-Object Controllers -EQ 'pids'
        $pids.EffectivePidsLimit | Should -Be 50
        $pids.Limits | Should -Be "pids max, 50 at $podPath"
        (Get-PodCgroup -Id $app.Pid | Out-String -Width 300) | Should -Match ([regex]::Escape("cpu max, 0.5 cpu at $podPath"))
    }

    It 'explains each value with its quantity, formula and file, which holds it' {
        $rows = Get-Pod $name | Get-PodCgroup -Explain
        $quota = $rows | Where-Object { $_.Target -eq $name -and $_.Name -eq 'cpu.cfs_quota_us' }
        $quota.Value | Should -Be '50000'
        $quota.Quantity | Should -Be 'pod cpu limit 500m'
        $quota.Formula | Should -Match 'MilliCPUToQuota'
        Get-Content $quota.File | Should -Be $quota.Value
        $memory = $rows | Where-Object { $_.Target -eq "$name/app" -and $_.Name -eq 'memory.limit_in_bytes' }
        $memory.Quantity | Should -Be 'memory limit 64Mi'
        Get-Content $memory.File | Should -Be '67108864'
        ($rows | Where-Object { $_.Target -eq "$name/pause" }).Name | Should -Be 'oom_score_adj'
        $oom = $rows | Where-Object { $_.Target -eq "$name/app" -and $_.Name -eq 'oom_score_adj' }
        $oom.Value | Should -Be '-997'
        $oom.File | Should -Be "/proc/$($app.Pid)/oom_score_adj"
        $text = Get-PodContainer $name app | Get-PodCgroup -Explain | Out-String -Width 250
        $text | Should -Match 'memory limit 64Mi'
        $text | Should -Not -Match 'pause'
    }
}

Describe 'Limits the kernel enforces (cgroup v1)' -Skip:(-not $IsV1Host) {
    BeforeAll {
        $name = New-TestPodName 'lim'
        $pod = New-PodSandbox -Name $name
    }
    AfterAll { Remove-TestPod $name }

    It 'OOM-kills a 64Mi container that allocates 200 MB: OOMKilled, exit code 137' {
        $c = $pod | Add-PodContainer -Name hog -Command python3, -c, 'b = b"x" * (200 * 1024 * 1024); print(len(b))' -Memory 64Mi -RestartPolicy Never
        $done = Wait-Until -TimeoutSeconds 30 -Because 'the OOM kill' { $x = Get-PodContainer $name hog; if ($x.State -eq 'Exited') { $x } }
        $done.Reason | Should -Be 'OOMKilled'
        $done.ExitCode | Should -Be 137
        (Get-Content "/sys/fs/cgroup/memory$($done.CgroupPath)/memory.oom_control" | Where-Object { $_ -like 'oom_kill *' }) | Should -Match 'oom_kill [1-9]'
        [long](Get-Content "/sys/fs/cgroup/memory$($done.CgroupPath)/memory.failcnt") | Should -BeGreaterThan 0
        (Get-PodContainer $name hog | Format-List | Out-String) | Should -Match 'OOMKilled'
    }

    It 'holds a 0.2-cpu spinner to about 0.2 cores (cpuacct.usage over 3 s)' {
        $c = $pod | Add-PodContainer -Name spin -Command sh, -c, 'while :; do :; done' -Cpu 0.2
        $cores = Measure-CgroupCpu (Get-PodContainer $name spin).CgroupPath 3
        Write-Host "0.2-cpu spinner: $([math]::Round($cores, 3)) cores"
        $cores | Should -BeLessOrEqual 0.25
        # A loaded node (other suites on 2 cores) may give it less than its limit, never more.
        $cores | Should -BeGreaterThan 0.01
        (Get-Content "/sys/fs/cgroup/cpu$((Get-PodContainer $name spin).CgroupPath)/cpu.cfs_quota_us") | Should -Be 20000
    }

    It 'stops a fork loop at a pids limit of 20' {
        $script = 'import os, time' + "`n" + 'n = 0' + "`n" + 'for i in range(60):' + "`n" + '    try:' + "`n" +
            '        pid = os.fork()' + "`n" + '    except OSError as e:' + "`n" + '        print("fork failed after", n, "errno", e.errno, flush=True); break' + "`n" +
            '    if pid == 0:' + "`n" + '        time.sleep(300); os._exit(0)' + "`n" + '    n += 1' + "`n" + 'time.sleep(300)'
        $c = $pod | Add-PodContainer -Name forky -Command python3, -c, $script -PidsLimit 20 -RestartPolicy Never
        $line = Wait-Until -TimeoutSeconds 20 -Because 'the failed fork' { Get-PodLog -Pod $name -Container forky | Where-Object { "$_" -match 'fork failed' } }
        "$line" | Should -Match 'fork failed after 19 errno 11'
        $cg = (Get-PodContainer $name forky).CgroupPath
        Get-Content "/sys/fs/cgroup/pids$cg/pids.max" | Should -Be 20
        [int](Get-Content "/sys/fs/cgroup/pids$cg/pids.current") | Should -Be 20
        Get-Content "/sys/fs/cgroup/pids$cg/pids.events" | Should -Match '^max [1-9]'
    }
}
