# Get-PodCgroup, the cgroup library (CgroupFileSystem, CgroupManager) and KubeQuantity.
# Real cgroups are made only under /sys/fs/cgroup/<hierarchy>/$env:PODSHELL_CGROUP_ROOT_NAME and removed in AfterAll.

BeforeDiscovery {
    # -Skip is evaluated at discovery: the real-cgroup blocks need a v1 (or hybrid) node.
    $IsV1Host = Test-Path /sys/fs/cgroup/memory/memory.limit_in_bytes
    $HasUnifiedMount = Test-Path /sys/fs/cgroup/unified/cgroup.controllers
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'CgroupTestHelpers.psm1') -Force
    Import-PodShellUnderTest
    $script:RootName = $env:PODSHELL_CGROUP_ROOT_NAME
    if (-not $script:RootName) { $script:RootName = 'podshell-test-' + [guid]::NewGuid().ToString('N').Substring(0, 8) }
}

AfterAll {
    Remove-TestCgroupTree -Name $script:RootName
}

Describe 'KubeQuantity converts exactly as Kubernetes and kubelet do' {
    It 'ParseCpuMilli <Quantity> -> <Milli>' -TestCases @(
        @{ Quantity = '500m'; Milli = 500 }
        @{ Quantity = '0.5'; Milli = 500 }
        @{ Quantity = '2'; Milli = 2000 }
        @{ Quantity = '100m'; Milli = 100 }
        @{ Quantity = '1'; Milli = 1000 }
        @{ Quantity = '0.001'; Milli = 1 }
        @{ Quantity = '0.0001'; Milli = 1 }      # MilliValue rounds up
        @{ Quantity = '1500u'; Milli = 2 }
        @{ Quantity = '250000n'; Milli = 1 }
        @{ Quantity = '1k'; Milli = 1000000 }
        @{ Quantity = '2e-1'; Milli = 200 }
        @{ Quantity = '.5'; Milli = 500 }
    ) {
        [PodShell.Cgroups.KubeQuantity]::ParseCpuMilli($Quantity) | Should -Be $Milli
    }

    It 'ParseBytes <Quantity> -> <Bytes>' -TestCases @(
        @{ Quantity = '256Mi'; Bytes = 268435456 }
        @{ Quantity = '123Mi'; Bytes = 128974848 }
        @{ Quantity = '128974848'; Bytes = 128974848 }
        @{ Quantity = '129e6'; Bytes = 129000000 }
        @{ Quantity = '129M'; Bytes = 129000000 }
        @{ Quantity = '1G'; Bytes = 1000000000 }
        @{ Quantity = '1Gi'; Bytes = 1073741824 }
        @{ Quantity = '0.5Gi'; Bytes = 536870912 }
        @{ Quantity = '1Ki'; Bytes = 1024 }
        @{ Quantity = '1k'; Bytes = 1000 }
        @{ Quantity = '1Ti'; Bytes = 1099511627776 }
        @{ Quantity = '1Ei'; Bytes = 1152921504606846976 }
        @{ Quantity = '1E'; Bytes = 1000000000000000000 }
        @{ Quantity = '1E3'; Bytes = 1000 }
        @{ Quantity = '100m'; Bytes = 1 }          # Value rounds up
        @{ Quantity = '1.5'; Bytes = 2 }
    ) {
        [PodShell.Cgroups.KubeQuantity]::ParseBytes($Quantity) | Should -Be $Bytes
    }

    It 'rejects <Quantity> with a clear FormatException' -TestCases @(
        @{ Quantity = '' }; @{ Quantity = 'abc' }; @{ Quantity = '1.2.3' }; @{ Quantity = '10MB' }
        @{ Quantity = ' 1' }; @{ Quantity = '1e' }; @{ Quantity = 'Mi' }; @{ Quantity = '-1Gi' }; @{ Quantity = '1mi' }
    ) {
        foreach ($parse in 'ParseBytes', 'ParseCpuMilli') {
            $caught = $null
            try { [PodShell.Cgroups.KubeQuantity]::$parse($Quantity) } catch { $caught = $_.Exception.InnerException }
            $caught | Should -BeOfType ([System.FormatException])
            $caught.Message | Should -Match "'$([regex]::Escape($Quantity))'.*(quantity|negative)"
        }
    }

    It 'cpu <Cpu>: shares <Shares>, quota <Quota>' -TestCases @(
        @{ Cpu = '100m'; Shares = 102; Quota = 10000 }
        @{ Cpu = '1'; Shares = 1024; Quota = 100000 }
        @{ Cpu = '0.001'; Shares = 2; Quota = 1000 }     # clamp to MinShares, quota min 1000
        @{ Cpu = '5m'; Shares = 5; Quota = 1000 }
        @{ Cpu = '250m'; Shares = 256; Quota = 25000 }
        @{ Cpu = '2'; Shares = 2048; Quota = 200000 }
        @{ Cpu = '300'; Shares = 262144; Quota = 30000000 }   # clamp to MaxShares
    ) {
        $milli = [PodShell.Cgroups.KubeQuantity]::ParseCpuMilli($Cpu)
        [PodShell.Cgroups.KubeQuantity]::SharesFromMilli($milli) | Should -Be $Shares
        [PodShell.Cgroups.KubeQuantity]::QuotaFromMilli($milli) | Should -Be $Quota
    }

    It 'no cpu: shares 2 (kubelet MinShares) and quota 0 (no limit)' {
        [PodShell.Cgroups.KubeQuantity]::SharesFromMilli(0) | Should -Be 2
        [PodShell.Cgroups.KubeQuantity]::QuotaFromMilli(0) | Should -Be 0
        [PodShell.Cgroups.KubeQuantity]::QuotaFromMilli(500, 50000) | Should -Be 25000
    }

    It 'weight from shares <Shares> is <Weight> (runc formula)' -TestCases @(
        @{ Shares = 2; Weight = 1 }; @{ Shares = 1024; Weight = 39 }; @{ Shares = 102; Weight = 4 }
        @{ Shares = 262144; Weight = 10000 }; @{ Shares = 0; Weight = 0 }
    ) {
        [PodShell.Cgroups.KubeQuantity]::WeightFromShares($Shares) | Should -Be $Weight
    }
}

Describe 'CgroupFileSystem.Detect' {
    BeforeAll {
        $fixtures = Join-Path ([System.IO.Path]::GetTempPath()) "podshell-cgfs-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
    }
    AfterAll { Remove-Item -Recurse -Force $fixtures -ErrorAction Ignore }

    It 'reads the real mounts of this node from mountinfo' -Skip:(-not $IsV1Host) {
        $fs = [PodShell.Cgroups.CgroupFileSystem]::Detect()
        $fs.Mode | Should -BeIn @('V1', 'Hybrid')
        $fs.FindController('memory').MountPoint | Should -Be (Get-Content /proc/self/mountinfo | Where-Object { $_ -match ' - cgroup \S+ \S*\bmemory\b' } | ForEach-Object { ($_ -split ' ')[4] } | Select-Object -First 1)
        $fs.FindController('memory').Version | Should -Be 1
        $fs.FindController('memory').Id | Should -Be ((Get-Content /proc/self/cgroup | Where-Object { $_ -match '^\d+:memory:' }) -split ':')[0]
        $fs.Hierarchies.Name | Should -Contain 'name=systemd'
        if (Test-Path /sys/fs/cgroup/unified/cgroup.controllers) {
            $fs.Mode | Should -Be 'Hybrid'
            $fs.Unified.MountPoint | Should -Be '/sys/fs/cgroup/unified'
        }
    }

    It 'detects a v2 fixture by cgroup.controllers' {
        $root = Join-Path $fixtures 'v2'
        New-CgroupFixture $root @{ 'cgroup.controllers' = "cpuset cpu io memory pids`n"; 'cgroup.procs' = '' }
        $fs = [PodShell.Cgroups.CgroupFileSystem]::Detect($root)
        $fs.Mode | Should -Be 'V2'
        $fs.Hierarchies.Count | Should -Be 1
        $fs.Unified.Controllers | Should -Be @('cpuset', 'cpu', 'io', 'memory', 'pids')
        $fs.FindController('memory') | Should -Be $fs.Unified
        $fs.FindController('hugetlb') | Should -BeNullOrEmpty
    }

    It 'detects a v1 fixture (co-mounted cpu,cpuacct) and a hybrid one' {
        $root = Join-Path $fixtures 'v1'
        New-CgroupFixture $root @{ 'cpu,cpuacct/cgroup.procs' = ''; 'memory/cgroup.procs' = ''; 'pids/cgroup.procs' = '' }
        $fs = [PodShell.Cgroups.CgroupFileSystem]::Detect($root)
        $fs.Mode | Should -Be 'V1'
        $fs.FindController('cpuacct').Name | Should -Be 'cpu,cpuacct'
        $fs.FindController('cpu') | Should -Be $fs.FindController('cpuacct')
        ([PodShell.Cgroups.CgroupManager]::new($fs)).Hierarchies.Count | Should -Be 3

        New-CgroupFixture $root @{ 'unified/cgroup.controllers' = ''; 'unified/cgroup.procs' = '' }
        $fs = [PodShell.Cgroups.CgroupFileSystem]::Detect($root)
        $fs.Mode | Should -Be 'Hybrid'
        $fs.Unified.MountPoint | Should -Be (Join-Path $root 'unified')
        $fs.FindController('memory').Version | Should -Be 1
    }

    It 'says plainly when there is no cgroup file system' {
        $empty = Join-Path $fixtures 'empty'
        New-Item -ItemType Directory -Force $empty | Out-Null
        { [PodShell.Cgroups.CgroupFileSystem]::Detect($empty) } | Should -Throw '*No cgroup file system*'
        { Get-PodCgroup -CgroupRoot $empty -ErrorAction Stop } | Should -Throw -ErrorId 'CgroupFileSystemNotFound,PodShell.Cmdlets.GetPodCgroupCommand'
        { Get-PodCgroup -CgroupRoot (Join-Path $fixtures 'missing') -ErrorAction Stop } | Should -Throw -ErrorId 'CgroupRootNotFound,PodShell.Cmdlets.GetPodCgroupCommand'
    }
}

Describe 'Get-PodCgroup on the real cgroup v1 hierarchies' -Skip:(-not $IsV1Host) {
    BeforeAll {
        $name = $script:RootName
        $memory = "/sys/fs/cgroup/memory/$name"
        $cpu = "/sys/fs/cgroup/cpu/$name"
        & mkdir -p "$memory/t1/child" "$cpu/t1"
        Set-CgroupFileByEcho "$memory/t1/memory.limit_in_bytes" 134217728
        Set-CgroupFileByEcho "$cpu/t1/cpu.cfs_quota_us" 50000
        Set-CgroupFileByEcho "$cpu/t1/cpu.shares" 512
        $sleeper = Start-TestProcess -ArgumentList sleep, 300
        $sleepPid = $sleeper.Id
        Set-CgroupFileByEcho "$memory/t1/cgroup.procs" $sleepPid
        Set-CgroupFileByEcho "$cpu/t1/cgroup.procs" $sleepPid
    }
    AfterAll {
        Stop-TestProcess $sleeper
        Remove-TestCgroupTree -Name $name
    }

    It 'reports the memory limit, usage and processes of one cgroup' {
        $node = Get-PodCgroup -Path "/memory/$name/t1"
        $node | Should -HaveCount 1
        $node.Path | Should -Be "/$name/t1"
        $node.FullPath | Should -Be "$memory/t1"
        $node.Hierarchy | Should -Be 'memory'
        $node.Version | Should -Be 1
        $node.MemoryLimit | Should -Be 134217728
        $node.MemoryUsage | Should -BeGreaterOrEqual 0
        $node.ProcessIds | Should -Be @($sleepPid)
        $node.Depth | Should -Be 0
        $node.CpuQuota | Should -BeNullOrEmpty
    }

    It 'reports cpu quota, period and shares' {
        $node = Get-PodCgroup -Path "/cpu/$name/t1"
        $node.Hierarchy | Should -Be 'cpu'
        $node.CpuQuota | Should -Be 50000
        $node.CpuPeriod | Should -Be ([long](Get-Content "$cpu/t1/cpu.cfs_period_us"))
        $node.CpuShares | Should -Be 512
        $node.CpuWeight | Should -BeNullOrEmpty
        $node.MemoryLimit | Should -BeNullOrEmpty
        $node.ProcessIds | Should -Contain $sleepPid
    }

    It 'treats the page-aligned maximum as unlimited' {
        Get-Content "$memory/memory.limit_in_bytes" | Should -Be '9223372036854771712'
        $node = Get-PodCgroup -Path "/memory/$name"
        $node.MemoryLimit | Should -BeNullOrEmpty
        $node.MemoryUsage | Should -Not -BeNullOrEmpty
    }

    It 'shows a path without a hierarchy prefix in every hierarchy that has it' {
        $nodes = Get-PodCgroup -Path "/$name/t1"
        @($nodes.Hierarchy | Sort-Object) | Should -Be @('cpu', 'memory')
        $nodes | ForEach-Object { $_.ProcessIds | Should -Contain $sleepPid }
    }

    It 'shows the subtree with -Recurse, depth first with depths' {
        $nodes = @(Get-PodCgroup -Path "/memory/$name" -Recurse)
        $nodes.Path | Should -Be @("/$name", "/$name/t1", "/$name/t1/child")
        $nodes.Depth | Should -Be @(0, 1, 2)
        $text = $nodes | Out-String -Width 200
        $text | Should -Match '└─t1'
        $text | Should -Match '128Mi'
    }

    It 'gives a process''s cgroups as /proc/<pid>/cgroup does' {
        $cgroups = Get-PodCgroup -Id $sleepPid
        $expected = Get-Content "/proc/$sleepPid/cgroup"
        $cgroups | Should -HaveCount $expected.Count
        $memoryLine = $expected | Where-Object { ($_ -split ':')[1] -eq 'memory' }
        $mem = $cgroups | Where-Object Controllers -EQ 'memory'
        $mem.Path | Should -Be "/$name/t1"
        $mem.Path | Should -Be ($memoryLine -split ':', 3)[2]
        $mem.HierarchyId | Should -Be ([int]($memoryLine -split ':')[0])
        $mem.Version | Should -Be 1
        $mem.FullPath | Should -Be "$memory/t1"
        ($cgroups | Where-Object Controllers -EQ 'cpu').Path | Should -Be "/$name/t1"
        foreach ($c in $cgroups) { "$($c.HierarchyId):$($c.Controllers):$($c.Path)" | Should -BeIn $expected }
        if (Test-Path /sys/fs/cgroup/unified/cgroup.controllers) {
            ($cgroups | Where-Object HierarchyId -EQ 0).Version | Should -Be 2
        }
    }

    It 'takes processes from the pipeline by Id and defaults to the current process' {
        (Get-Process -Id $sleepPid | Get-PodCgroup | Where-Object Controllers -EQ 'memory').Path | Should -Be "/$name/t1"
        ($sleepPid | Get-PodCgroup | Where-Object Controllers -EQ 'memory').Path | Should -Be "/$name/t1"
        (Get-PodCgroup -ProcessId $sleepPid | Where-Object Controllers -EQ 'memory').ProcessId | Should -Be $sleepPid
        (Get-PodCgroup)[0].ProcessId | Should -Be $PID
    }

    It 'writes ProcessNotFound for a missing process and goes on' {
        $out = Get-PodCgroup -Id 999999999, $sleepPid -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs | Should -HaveCount 1
        $errs[0].FullyQualifiedErrorId | Should -Be 'ProcessNotFound,PodShell.Cmdlets.GetPodCgroupCommand'
        $errs[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $errs[0].TargetObject | Should -Be 999999999
        $out.ProcessId | Select-Object -Unique | Should -Be $sleepPid
    }

    It 'writes CgroupNotFound with advice for a missing cgroup' {
        $out = Get-PodCgroup -Path "/memory/$name/nope" -ErrorVariable errs -ErrorAction SilentlyContinue
        $out | Should -BeNullOrEmpty
        $errs[0].FullyQualifiedErrorId | Should -Be 'CgroupNotFound,PodShell.Cmdlets.GetPodCgroupCommand'
        $errs[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $errs[0].TargetObject | Should -Be "/memory/$name/nope"
        $errs[0].ErrorDetails.RecommendedAction | Should -Match 'Get-PodCgroup'
        { Get-PodCgroup -Path "/$name/nope" -ErrorAction Stop } | Should -Throw -ErrorId 'CgroupNotFound,PodShell.Cmdlets.GetPodCgroupCommand'
    }
}

Describe 'Get-PodCgroup on a cgroup v2 fixture' {
    BeforeAll {
        $root = Join-Path ([System.IO.Path]::GetTempPath()) "podshell-cgv2-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
        New-CgroupFixture $root @{
            'cgroup.controllers'              = 'cpuset cpu io memory hugetlb pids'
            'cgroup.subtree_control'          = 'cpu memory pids'
            'cgroup.procs'                    = "1`n"
            'memory.current'                  = '999999'
            'podshell/cgroup.controllers'     = 'cpu memory pids'
            'podshell/cgroup.procs'           = ''
            'podshell/memory.max'             = 'max'
            'podshell/memory.current'         = '4096'
            'podshell/cpu.max'                = 'max 100000'
            'podshell/cpu.weight'             = '100'
            'podshell/pids.max'               = 'max'
            'podshell/pids.current'           = '2'
            'podshell/pod1/cgroup.controllers' = 'cpu memory pids'
            'podshell/pod1/cgroup.procs'      = "4242`n4243`n"
            'podshell/pod1/memory.max'        = "268435456`n"
            'podshell/pod1/memory.current'    = "1234`n"
            'podshell/pod1/cpu.max'           = "50000 100000`n"
            'podshell/pod1/cpu.weight'        = "39`n"
            'podshell/pod1/pids.max'          = "100`n"
            'podshell/pod1/pids.current'      = "2`n"
            'podshell/pod1/app/cgroup.procs'  = ''
            'podshell/pod2/cgroup.procs'      = ''
        }
    }
    AfterAll { Remove-Item -Recurse -Force $root -ErrorAction Ignore }

    It 'reads limits and usage from the unified files' {
        $node = Get-PodCgroup -CgroupRoot $root -Path /podshell/pod1
        $node.Version | Should -Be 2
        $node.Hierarchy | Should -Be 'unified'
        $node.Path | Should -Be '/podshell/pod1'
        $node.FullPath | Should -Be "$root/podshell/pod1"
        $node.ProcessIds | Should -Be @(4242, 4243)
        $node.MemoryLimit | Should -Be 268435456
        $node.MemoryUsage | Should -Be 1234
        $node.CpuQuota | Should -Be 50000
        $node.CpuPeriod | Should -Be 100000
        $node.CpuWeight | Should -Be 39
        $node.CpuShares | Should -BeNullOrEmpty
        $node.PidsLimit | Should -Be 100
        $node.PidsCurrent | Should -Be 2
    }

    It 'reads "max" as unlimited' {
        $node = Get-PodCgroup -CgroupRoot $root -Path podshell
        $node.MemoryLimit | Should -BeNullOrEmpty
        $node.MemoryUsage | Should -Be 4096
        $node.CpuQuota | Should -BeNullOrEmpty
        $node.CpuPeriod | Should -Be 100000
        $node.PidsLimit | Should -BeNullOrEmpty
    }

    It 'walks the tree from the root with -Recurse' {
        $nodes = @(Get-PodCgroup -CgroupRoot $root -Path / -Recurse)
        $nodes.Path | Should -Be @('/', '/podshell', '/podshell/pod1', '/podshell/pod1/app', '/podshell/pod2')
        $nodes.Depth | Should -Be @(0, 1, 2, 3, 2)
        $nodes.TreeLabel | Should -Be @('/', '└─podshell', '  ├─pod1', '  │ └─app', '  └─pod2')
        $nodes[0].ProcessIds | Should -Be @(1)
        ($nodes | Out-String -Width 200) | Should -Match '256Mi'
    }

    It 'maps a process''s unified cgroup into the fixture' {
        $cgroups = Get-PodCgroup -CgroupRoot $root
        $unified = $cgroups | Where-Object HierarchyId -EQ 0
        $unified.Version | Should -Be 2
        $unified.Controllers | Should -Be ''
        if ($unified.Path -eq '/') { $unified.FullPath | Should -Be $root }
    }

    It 'writes CgroupNotFound for a missing cgroup' {
        { Get-PodCgroup -CgroupRoot $root -Path /podshell/nope -ErrorAction Stop } | Should -Throw -ErrorId 'CgroupNotFound,PodShell.Cmdlets.GetPodCgroupCommand'
    }
}

Describe 'Get-PodCgroup on a cgroup v1 fixture with co-mounted cpu,cpuacct' {
    BeforeAll {
        $root = Join-Path ([System.IO.Path]::GetTempPath()) "podshell-cgv1-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
        New-CgroupFixture $root @{
            'cpu,cpuacct/cgroup.procs'           = ''
            'cpu,cpuacct/pod1/cgroup.procs'      = '77'
            'cpu,cpuacct/pod1/cpu.cfs_quota_us'  = '-1'
            'cpu,cpuacct/pod1/cpu.cfs_period_us' = '100000'
            'cpu,cpuacct/pod1/cpu.shares'        = '2'
            'memory/cgroup.procs'                = ''
            'memory/pod1/cgroup.procs'           = '77'
            'memory/pod1/memory.limit_in_bytes'  = '9223372036854771712'
            'memory/pod1/memory.usage_in_bytes'  = '8192'
        }
    }
    AfterAll { Remove-Item -Recurse -Force $root -ErrorAction Ignore }

    It 'selects the co-mounted hierarchy by either controller' {
        (Get-PodCgroup -CgroupRoot $root -Path /cpu/pod1).Hierarchy | Should -Be 'cpu,cpuacct'
        (Get-PodCgroup -CgroupRoot $root -Path /cpuacct/pod1).CpuShares | Should -Be 2
        $node = Get-PodCgroup -CgroupRoot $root -Path '/cpu,cpuacct/pod1'
        $node.CpuQuota | Should -BeNullOrEmpty
        $node.CpuPeriod | Should -Be 100000
    }

    It 'shows pod1 in both hierarchies without a prefix, unlimited memory as null' {
        $nodes = Get-PodCgroup -CgroupRoot $root -Path /pod1
        @($nodes.Hierarchy) | Should -Be @('cpu,cpuacct', 'memory')
        ($nodes | Where-Object Hierarchy -EQ memory).MemoryLimit | Should -BeNullOrEmpty
        ($nodes | Where-Object Hierarchy -EQ memory).MemoryUsage | Should -Be 8192
    }
}

Describe 'CgroupManager on a cgroup v2 fixture' {
    BeforeAll {
        $root = Join-Path ([System.IO.Path]::GetTempPath()) "podshell-cgm2-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
        New-CgroupFixture $root @{
            'cgroup.controllers'              = 'cpuset cpu io memory pids'
            'cgroup.subtree_control'          = ''
            'cgroup.procs'                    = ''
            # What the kernel would show once the root enables cpu and memory (not pids) for its children.
            'podshell/cgroup.controllers'     = 'cpu memory'
            'podshell/cgroup.subtree_control' = ''
        }
        $fs = [PodShell.Cgroups.CgroupFileSystem]::Detect($root)
        $manager = [PodShell.Cgroups.CgroupManager]::new($fs)
    }
    AfterAll { Remove-Item -Recurse -Force $root -ErrorAction Ignore }

    It 'uses the unified hierarchy only' {
        $manager.Hierarchies | Should -HaveCount 1
        $manager.Hierarchies[0].Version | Should -Be 2
    }

    It 'creates the folders and enables +cpu +memory +pids where available in each ancestor' {
        $manager.Create('podshell/pod1/app')
        Test-Path "$root/podshell/pod1/app" | Should -BeTrue
        Get-Content -Raw "$root/cgroup.subtree_control" | Should -Be '+cpu +memory +pids'
        Get-Content -Raw "$root/podshell/cgroup.subtree_control" | Should -Be '+cpu +memory'
        Test-Path "$root/podshell/pod1/app/cgroup.subtree_control" | Should -BeFalse
        $manager.Exists('podshell/pod1/app') | Should -BeTrue
        $manager.Exists('/podshell/pod1/') | Should -BeTrue
        $manager.Exists('podshell/pod2') | Should -BeFalse
    }

    It 'does not rewrite controllers that are already enabled' {
        [System.IO.File]::WriteAllText("$root/cgroup.subtree_control", 'cpu memory pids')
        $manager.Create('podshell/pod2')
        Get-Content -Raw "$root/cgroup.subtree_control" | Should -Be 'cpu memory pids'
    }

    It 'writes cpu.max and cpu.weight (from shares), memory.max and pids.max' {
        $dir = "$root/podshell/pod1"
        New-CgroupFixture $dir @{ 'cpu.max' = 'max 100000'; 'cpu.weight' = '100'; 'memory.max' = 'max'; 'pids.max' = 'max'; 'cgroup.procs' = "10`n11`n" }
        $manager.SetCpu('podshell/pod1', 10000, 100000, 102)
        Get-Content -Raw "$dir/cpu.max" | Should -Be '10000 100000'
        Get-Content -Raw "$dir/cpu.weight" | Should -Be '4'
        $manager.SetCpu('podshell/pod1', $null, 100000, 1024)
        Get-Content -Raw "$dir/cpu.max" | Should -Be 'max 100000'
        Get-Content -Raw "$dir/cpu.weight" | Should -Be '39'
        $manager.SetMemoryLimit('podshell/pod1', 268435456)
        Get-Content -Raw "$dir/memory.max" | Should -Be '268435456'
        $manager.SetMemoryLimit('podshell/pod1', $null)
        Get-Content -Raw "$dir/memory.max" | Should -Be 'max'
        $manager.SetPidsLimit('podshell/pod1', 100)
        Get-Content -Raw "$dir/pids.max" | Should -Be '100'
        $manager.SetPidsLimit('podshell/pod1', $null)
        Get-Content -Raw "$dir/pids.max" | Should -Be 'max'
        $manager.GetProcesses('podshell/pod1') | Should -Be @(10, 11)
    }

    It 'never creates a controller file that is not there' {
        { $manager.SetMemoryLimit('podshell/pod2', 1048576) } | Should -Throw '*memory.max*'
        Test-Path "$root/podshell/pod2/memory.max" | Should -BeFalse
    }

    It 'names the files the engine needs' {
        $manager.ProcsFiles('podshell/pod1/app') | Should -Be @("$root/podshell/pod1/app/cgroup.procs")
        $manager.OomEventsFile('podshell/pod1/app') | Should -Be "$root/podshell/pod1/app/memory.events"
    }

    It 'rejects the root and parent segments' {
        { $manager.Create('/') } | Should -Throw '*root cgroup*'
        { $manager.Create('podshell/../x') } | Should -Throw "*'..'*"
        { $manager.SetPidsLimit('', 5) } | Should -Throw '*root cgroup*'
    }
}

Describe 'CgroupManager on the real cgroup v1 hierarchies' -Skip:(-not $IsV1Host) {
    BeforeAll {
        $name = $script:RootName
        $fs = [PodShell.Cgroups.CgroupFileSystem]::Detect()
        $manager = [PodShell.Cgroups.CgroupManager]::new($fs)
        $manager.RemoveBusyTimeout = [timespan]::FromMilliseconds(200)
        $pod = "$name/podshell/burstable/pod1"
        $app = "$pod/app"
        $used = @($manager.Hierarchies | ForEach-Object MountPoint)
        $script:sleeper = $null
    }
    AfterAll {
        Stop-TestProcess $script:sleeper
        Remove-TestCgroupTree -Name $name
    }

    It 'uses every v1 controller mounted, as runc joins them all' {
        $controllers = @($manager.Hierarchies | ForEach-Object Controllers)
        foreach ($c in 'cpu', 'cpuacct', 'memory', 'pids', 'devices', 'freezer', 'blkio', 'cpuset') {
            if (Test-Path "/sys/fs/cgroup/$c/cgroup.procs") { $controllers | Should -Contain $c }
        }
        $manager.Hierarchies.Version | Select-Object -Unique | Should -Be 1
    }

    It 'creates the cgroup in every hierarchy used (mkdir -p)' {
        $manager.Create($app)
        foreach ($m in $used) { Test-Path "$m/$app" | Should -BeTrue }
        if (Test-Path /sys/fs/cgroup/cpuset/cpuset.cpus) {
            # A new cpuset has no cpus and mems: they are copied from the parent, or nothing could join it.
            Get-Content "/sys/fs/cgroup/cpuset/$app/cpuset.cpus" | Should -Be (Get-Content /sys/fs/cgroup/cpuset/cpuset.cpus)
            Get-Content "/sys/fs/cgroup/cpuset/$app/cpuset.mems" | Should -Be (Get-Content /sys/fs/cgroup/cpuset/cpuset.mems)
        }
        $manager.Exists($app) | Should -BeTrue
        $manager.Create($app)   # again: nothing to do
    }

    It 'sets memory, cpu and pids limits in the cgroupfs files' {
        $mem = $fs.FindController('memory').MountPoint
        $cpu = $fs.FindController('cpu').MountPoint
        $pids = $fs.FindController('pids').MountPoint
        $manager.SetMemoryLimit($app, [PodShell.Cgroups.KubeQuantity]::ParseBytes('256Mi'))
        Get-Content "$mem/$app/memory.limit_in_bytes" | Should -Be '268435456'
        (Get-PodCgroup -Path "/memory/$app").MemoryLimit | Should -Be 268435456
        $manager.SetMemoryLimit($app, $null)
        Get-Content "$mem/$app/memory.limit_in_bytes" | Should -Be '9223372036854771712'

        $milli = [PodShell.Cgroups.KubeQuantity]::ParseCpuMilli('500m')
        $manager.SetCpu($app, [PodShell.Cgroups.KubeQuantity]::QuotaFromMilli($milli), 100000, [PodShell.Cgroups.KubeQuantity]::SharesFromMilli($milli))
        Get-Content "$cpu/$app/cpu.cfs_quota_us" | Should -Be '50000'
        Get-Content "$cpu/$app/cpu.cfs_period_us" | Should -Be '100000'
        Get-Content "$cpu/$app/cpu.shares" | Should -Be '512'
        $manager.SetCpu($app, $null, 100000, $null)
        Get-Content "$cpu/$app/cpu.cfs_quota_us" | Should -Be '-1'
        Get-Content "$cpu/$app/cpu.shares" | Should -Be '512'

        $manager.SetPidsLimit($app, 64)
        Get-Content "$pids/$app/pids.max" | Should -Be '64'
        $manager.SetPidsLimit($app, $null)
        Get-Content "$pids/$app/pids.max" | Should -Be 'max'

        $manager.OomEventsFile($app) | Should -Be "$mem/$app/memory.oom_control"
        Test-Path $manager.OomEventsFile($app) | Should -BeTrue
    }

    It 'reports a kernel refusal with the file and errno' {
        { $manager.SetCpu($app, 500, 100000, $null) } | Should -Throw '*at least 1000*'
        { $manager.SetPidsLimit("$name/missing", 5) } | Should -Throw '*pids.max*No such file*'
    }

    It 'lists the processes joined through ProcsFiles' {
        $script:sleeper = Start-TestProcess -ArgumentList sleep, 300
        $sleeper = $script:sleeper
        $files = $manager.ProcsFiles($app)
        $files | Should -HaveCount $manager.Hierarchies.Count
        foreach ($f in $files) { Set-CgroupFileByEcho $f $sleeper.Id }
        $manager.GetProcesses($app) | Should -Be @($sleeper.Id)
        (Get-PodCgroup -Id $sleeper.Id | Where-Object Controllers -EQ 'pids').Path | Should -Be "/$app"
    }

    It 'refuses to remove a cgroup that still has processes, naming them' {
        { $manager.Remove($pod) } | Should -Throw "*$($script:sleeper.Id)*"
        $manager.Exists($app) | Should -BeTrue
    }

    It 'removes the cgroup, its children and the parents left empty, up to the stop path' {
        Stop-TestProcess $script:sleeper
        $manager.RemoveBusyTimeout = [timespan]::FromSeconds(2)
        $manager.Create("$name/podshell/besteffort/pod2")
        $manager.Remove($pod, $name)
        foreach ($m in $used) {
            Test-Path "$m/$pod" | Should -BeFalse
            Test-Path "$m/$name/podshell/burstable" | Should -BeFalse
            Test-Path "$m/$name/podshell/besteffort/pod2" | Should -BeTrue
        }
        $manager.Exists($pod) | Should -BeFalse
        $manager.Remove($pod, $name)   # idempotent

        $manager.Remove("$name/podshell/besteffort/pod2", $name)
        foreach ($m in $used) {
            Test-Path "$m/$name/podshell" | Should -BeFalse
            Test-Path "$m/$name" | Should -BeTrue
        }
        $manager.Create("$name/x/y")
        $manager.Remove("$name/x/y", '')
        foreach ($m in $used) { Test-Path "$m/$name" | Should -BeFalse }
    }

    It 'rejects a stop path that is not an ancestor' {
        { $manager.Remove("$name/a/b", "$name/c") } | Should -Throw '*not an ancestor*'
    }
}

Describe 'CgroupManager and Get-PodCgroup on the real cgroup2 mount of a hybrid node' -Skip:(-not $HasUnifiedMount) {
    BeforeAll {
        $name = $script:RootName
        $unifiedRoot = '/sys/fs/cgroup/unified'
        $fs = [PodShell.Cgroups.CgroupFileSystem]::Detect($unifiedRoot)
        $manager = [PodShell.Cgroups.CgroupManager]::new($fs)
        $script:v2sleeper = $null
    }
    AfterAll {
        Stop-TestProcess $script:v2sleeper
        Remove-TestCgroupTree -Name $name
    }

    It 'detects the mount as v2 by statfs' {
        $fs.Mode | Should -Be 'V2'
        $fs.Unified.MountPoint | Should -Be $unifiedRoot
        $fs.Unified.Id | Should -Be 0
        $manager.Hierarchies | Should -HaveCount 1
    }

    It 'creates, joins, reads and removes a cgroup' {
        $manager.Create("$name/pod1/app")
        Test-Path "$unifiedRoot/$name/pod1/app/cgroup.controllers" | Should -BeTrue
        $script:v2sleeper = Start-TestProcess -ArgumentList sleep, 300
        $sleepPid = $script:v2sleeper.Id
        Set-CgroupFileByEcho ($manager.ProcsFiles("$name/pod1/app")[0]) $sleepPid
        $manager.GetProcesses("$name/pod1/app") | Should -Be @($sleepPid)

        $unified = Get-PodCgroup -Id $sleepPid | Where-Object HierarchyId -EQ 0
        $unified.Path | Should -Be "/$name/pod1/app"
        $unified.FullPath | Should -Be "$unifiedRoot/$name/pod1/app"
        $node = Get-PodCgroup -Path "/unified/$name/pod1/app"
        $node.Version | Should -Be 2
        $node.ProcessIds | Should -Be @($sleepPid)
        (Get-PodCgroup -CgroupRoot $unifiedRoot -Path "/$name" -Recurse).Path | Should -Be @("/$name", "/$name/pod1", "/$name/pod1/app")

        Stop-TestProcess $script:v2sleeper
        $manager.Remove("$name/pod1", '')
        Test-Path "$unifiedRoot/$name" | Should -BeFalse
    }
}

Describe 'Get-PodCgroup help and formats' {
    It 'has MAML help with examples and documented parameters' {
        $help = Get-Help Get-PodCgroup -Full
        $help.Synopsis | Should -Match 'cgroups'
        @($help.examples.example).Count | Should -BeGreaterOrEqual 3
        @($help.parameters.parameter.name) | Should -Contain 'CgroupRoot'
        @($help.parameters.parameter.name) | Should -Contain 'Recurse'
    }

    It 'declares its output type per parameter set' {
        $command = Get-Command Get-PodCgroup
        $command.OutputType.Name | Should -Contain 'PodShell.Model.ProcessCgroup'
        $command.OutputType.Name | Should -Contain 'PodShell.Model.CgroupNode'
        $command.DefaultParameterSet | Should -Be 'Process'
    }

    It 'formats process cgroups as a table' {
        $text = Get-PodCgroup | Out-String -Width 200
        $text | Should -Match 'Controllers'
        $text | Should -Match "\b$PID\b"
    }
}
