# Requests, limits and QoS: the policies (kubelet's and runc's formulas), the cgroup files they become on
# cgroup v1 and v2 (v2 against fixture trees, the cgroup root being a parameter), and the all-or-nothing writes.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'CgroupTestHelpers.psm1') -Force
    Import-PodShellUnderTest

    function New-Resources([object] $CpuRequest, [object] $CpuLimit, [object] $MemoryRequest, [object] $MemoryLimit, [object] $Pids) {
        $r = [PodShell.Model.ResourceRequirements]::new()
        if ($null -ne $CpuRequest) { $r.CpuRequestMilli = [PodShell.Cgroups.KubeQuantity]::ParseCpuMilli($CpuRequest) }
        if ($null -ne $CpuLimit) { $r.CpuLimitMilli = [PodShell.Cgroups.KubeQuantity]::ParseCpuMilli($CpuLimit) }
        if ($null -ne $MemoryRequest) { $r.MemoryRequest = [PodShell.Cgroups.KubeQuantity]::ParseBytes($MemoryRequest) }
        if ($null -ne $MemoryLimit) { $r.MemoryLimit = [PodShell.Cgroups.KubeQuantity]::ParseBytes($MemoryLimit) }
        if ($null -ne $Pids) { $r.PidsLimit = $Pids }
        $r
    }
    function ConvertTo-Resources([hashtable] $h) {
        if ($null -eq $h) { return $null }
        New-Resources -CpuRequest $h.cr -CpuLimit $h.cl -MemoryRequest $h.mr -MemoryLimit $h.ml -Pids $h.pids
    }
    function Get-Qos([hashtable[]] $Containers, [hashtable] $Pod) {
        $list = [System.Collections.Generic.List[PodShell.Model.ResourceRequirements]]::new()
        foreach ($c in $Containers) { $list.Add((ConvertTo-Resources $c)) }
        [PodShell.Engine.QosPolicy]::Compute($list, (ConvertTo-Resources $Pod))
    }
    # runc's own test helper computes the v2 weight with awk: an independent oracle for the quadratic formula.
    function Get-RuncWeightByAwk([uint64] $Shares) {
        [uint64] (& awk -v shares=$Shares 'BEGIN { if (shares == 0) { print 0; exit } if (shares <= 2) { print 1; exit } if (shares >= 262144) { print 10000; exit } l = log(shares) / log(2); e = (l*l + 125*l) / 612.0 - 7.0/34.0; print int(exp(e * log(10)) + 0.99) }')
    }
}

Describe 'Quantities: the edge cases' {
    It 'cpu <Quantity> -> <Milli> millicores' -TestCases @(
        @{ Quantity = '0'; Milli = 0 }; @{ Quantity = '1m'; Milli = 1 }; @{ Quantity = '1e3'; Milli = 1000000 }
        @{ Quantity = '1.5'; Milli = 1500 }; @{ Quantity = '0.0000001'; Milli = 1 }; @{ Quantity = '9e12'; Milli = 9000000000000000 }
    ) {
        [PodShell.Cgroups.KubeQuantity]::ParseCpuMilli($Quantity) | Should -Be $Milli
    }

    It 'memory <Quantity> -> <Bytes> bytes' -TestCases @(
        @{ Quantity = '0'; Bytes = 0 }; @{ Quantity = '1'; Bytes = 1 }; @{ Quantity = '1e3'; Bytes = 1000 }
        @{ Quantity = '1.5Gi'; Bytes = 1610612736 }; @{ Quantity = '7Ei'; Bytes = 8070450532247928832 }; @{ Quantity = '1m'; Bytes = 1 }
    ) {
        [PodShell.Cgroups.KubeQuantity]::ParseBytes($Quantity) | Should -Be $Bytes
    }

    It 'refuses <Quantity> as too large or not a quantity' -TestCases @(
        @{ Quantity = '8Ei' }; @{ Quantity = '1e100' }; @{ Quantity = '1KiB' }; @{ Quantity = '5 Gi' }; @{ Quantity = '1Mb' }; @{ Quantity = '0x10' }
    ) {
        { [PodShell.Cgroups.KubeQuantity]::ParseBytes($Quantity) } | Should -Throw "*'$Quantity'*"
    }

    It 'formats quantities back: <Milli>m is <Cpu>, <Bytes> bytes are <Memory>' -TestCases @(
        @{ Milli = 250; Cpu = '250m'; Bytes = 67108864; Memory = '64Mi' }
        @{ Milli = 2000; Cpu = '2'; Bytes = 1000; Memory = '1000' }
        @{ Milli = 1500; Cpu = '1500m'; Bytes = 1610612736; Memory = '1536Mi' }
    ) {
        [PodShell.Cgroups.KubeQuantity]::FormatCpu($Milli) | Should -Be $Cpu
        [PodShell.Cgroups.KubeQuantity]::FormatBytes($Bytes) | Should -Be $Memory
    }
}

Describe 'cpu.weight from cpu.shares: both formulas' {
    It 'shares <Shares>: kubelet linear <Linear>, runc/crun quadratic <Quadratic>' -TestCases @(
        @{ Shares = 2; Linear = 1; Quadratic = 1 }
        @{ Shares = 102; Linear = 4; Quadratic = 17 }
        @{ Shares = 256; Linear = 10; Quadratic = 35 }
        @{ Shares = 512; Linear = 20; Quadratic = 59 }
        @{ Shares = 1024; Linear = 39; Quadratic = 100 }
        @{ Shares = 2048; Linear = 79; Quadratic = 174 }
        @{ Shares = 100000; Linear = 3815; Quadratic = 4340 }
        @{ Shares = 262144; Linear = 10000; Quadratic = 10000 }
    ) {
        [PodShell.Cgroups.KubeQuantity]::WeightFromShares($Shares) | Should -Be $Linear
        [PodShell.Cgroups.KubeQuantity]::WeightFromSharesRunc($Shares) | Should -Be $Quadratic
        [PodShell.Cgroups.KubeQuantity]::WeightFromSharesRunc($Shares) | Should -Be (Get-RuncWeightByAwk $Shares)
    }

    It 'keeps 0 as unset and clamps out-of-range shares' {
        [PodShell.Cgroups.KubeQuantity]::WeightFromSharesRunc(0) | Should -Be 0
        [PodShell.Cgroups.KubeQuantity]::WeightFromSharesRunc(1) | Should -Be 1
        [PodShell.Cgroups.KubeQuantity]::WeightFromSharesRunc(1000000) | Should -Be 10000
    }
}

Describe 'QoS class as Kubernetes computes it' {
    It '<Case> is <Qos>' -TestCases @(
        @{ Case = 'a pod without containers'; Containers = @(); Pod = $null; Qos = 'BestEffort' }
        @{ Case = 'a container without resources'; Containers = @(@{}); Pod = $null; Qos = 'BestEffort' }
        @{ Case = 'a pids limit only'; Containers = @(@{ pids = 10 }); Pod = $null; Qos = 'BestEffort' }
        @{ Case = 'cpu and memory limits (requests default to them)'; Containers = @(@{ cl = '500m'; ml = '64Mi' }); Pod = $null; Qos = 'Guaranteed' }
        @{ Case = 'equal requests and limits'; Containers = @(@{ cr = '1'; cl = '1'; mr = '1Gi'; ml = '1Gi' }); Pod = $null; Qos = 'Guaranteed' }
        @{ Case = 'a lower cpu request'; Containers = @(@{ cr = '250m'; cl = '500m'; ml = '64Mi' }); Pod = $null; Qos = 'Burstable' }
        @{ Case = 'a memory limit only'; Containers = @(@{ ml = '64Mi' }); Pod = $null; Qos = 'Burstable' }
        @{ Case = 'requests only'; Containers = @(@{ cr = '100m'; mr = '32Mi' }); Pod = $null; Qos = 'Burstable' }
        @{ Case = 'a Guaranteed and a BestEffort container'; Containers = @(@{ cl = '1'; ml = '1Gi' }, @{}); Pod = $null; Qos = 'Burstable' }
        @{ Case = 'two Guaranteed containers'; Containers = @(@{ cl = '1'; ml = '1Gi' }, @{ cl = '250m'; ml = '64Mi' }); Pod = $null; Qos = 'Guaranteed' }
        @{ Case = 'pod-level cpu and memory limits'; Containers = @(@{}, @{ cr = '100m' }); Pod = @{ cl = '2'; ml = '1Gi' }; Qos = 'Guaranteed' }
        @{ Case = 'pod-level requests only'; Containers = @(@{}); Pod = @{ cr = '1'; mr = '1Gi' }; Qos = 'Burstable' }
        @{ Case = 'a pod-level cpu limit only'; Containers = @(@{ cl = '1'; ml = '1Gi' }); Pod = @{ cl = '2' }; Qos = 'Burstable' }
        @{ Case = 'a zero request and limit'; Containers = @(@{ cr = '0'; cl = '0' }); Pod = $null; Qos = 'BestEffort' }
    ) {
        Get-Qos -Containers $Containers -Pod $Pod | Should -Be $Qos
    }

    It 'places each class as kubelet does' {
        [PodShell.Engine.PodCgroupLayout]::PodPath('r', 'Guaranteed', 'u') | Should -Be 'r/podu'
        [PodShell.Engine.PodCgroupLayout]::PodPath('r', 'Burstable', 'u') | Should -Be 'r/burstable/podu'
        [PodShell.Engine.PodCgroupLayout]::PodPath('r', 'BestEffort', 'u') | Should -Be 'r/besteffort/podu'
    }
}

Describe 'oom_score_adj per QoS class (kubelet policy)' {
    BeforeAll { $node = 8GB }

    It '<Qos> with a memory request of <Request> on an 8Gi node: <Score>' -TestCases @(
        @{ Qos = 'Guaranteed'; Request = '1Gi'; Score = -997 }
        @{ Qos = 'BestEffort'; Request = $null; Score = 1000 }
        @{ Qos = 'Burstable'; Request = $null; Score = 999 }        # 1000 - 0 = 1000 is BestEffort's: 999
        @{ Qos = 'Burstable'; Request = '4Gi'; Score = 500 }
        @{ Qos = 'Burstable'; Request = '1Gi'; Score = 875 }
        @{ Qos = 'Burstable'; Request = '8Gi'; Score = 3 }          # 0, at least 1000 + (-997)
        @{ Qos = 'Burstable'; Request = '1'; Score = 999 }
    ) {
        $c = New-Resources -MemoryRequest $Request
        $all = [System.Collections.Generic.List[PodShell.Model.ResourceRequirements]]::new(); $all.Add($c)
        [PodShell.Engine.OomScorePolicy]::ForContainer($Qos, $c, $all, $null, $node) | Should -Be $Score
    }

    It 'shares a pod-level memory request beyond the containers'' own evenly' {
        $a = New-Resources -MemoryRequest '1Gi'
        $b = New-Resources
        $all = [System.Collections.Generic.List[PodShell.Model.ResourceRequirements]]::new(); $all.Add($a); $all.Add($b)
        $pod = New-Resources -MemoryRequest '5Gi'
        # 4Gi left over, 2Gi each: a counts 3Gi (1000 - 375), b 2Gi (1000 - 250).
        [PodShell.Engine.OomScorePolicy]::ForContainer('Burstable', $a, $all, $pod, 8GB) | Should -Be 625
        [PodShell.Engine.OomScorePolicy]::ForContainer('Burstable', $b, $all, $pod, 8GB) | Should -Be 750
        [PodShell.Engine.OomScorePolicy]::Pause | Should -Be -998
    }
}

Describe 'Cgroup files and values for each QoS class on a cgroup v2 fixture' {
    BeforeAll {
        $root = Join-Path ([System.IO.Path]::GetTempPath()) "podshell-res2-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
        $defaults = @{ 'cgroup.procs' = ''; 'cgroup.controllers' = 'cpu memory pids'; 'cpu.max' = 'max 100000'; 'cpu.weight' = '100'; 'memory.max' = 'max'; 'memory.current' = '0'; 'memory.high' = 'max'; 'pids.max' = 'max' }
        $files = @{ 'cgroup.controllers' = 'cpu memory pids'; 'cgroup.subtree_control' = 'cpu memory pids'; 'cgroup.procs' = '' }
        foreach ($dir in 'p/pod1', 'p/pod1/app', 'p/pod1/side') {
            foreach ($f in $defaults.GetEnumerator()) { $files["$dir/$($f.Key)"] = $f.Value }
        }
        New-CgroupFixture $root $files
        $fs = [PodShell.Cgroups.CgroupFileSystem]::Detect($root)
        $manager = [PodShell.Cgroups.CgroupManager]::new($fs)

        # Writes the pod's and its containers' values as the engine does, and returns the files' contents.
        function Set-PodFixture([string] $Qos, [hashtable] $App, [hashtable] $Side, [hashtable] $Pod) {
            $a = ConvertTo-Resources $App; $s = ConvertTo-Resources $Side
            $list = [System.Collections.Generic.List[PodShell.Model.ResourceRequirements]]::new(); $list.Add($a); $list.Add($s)
            $plan = [System.Collections.Generic.List[PodShell.Model.CgroupSetting]]::new()
            $plan.AddRange([PodShell.Cgroups.CgroupResourceFiles]::Plan($manager, 'p/pod1', [PodShell.Engine.PodCgroupPolicy]::For($Qos, $list, (ConvertTo-Resources $Pod)), 'pod1', 0))
            $plan.AddRange([PodShell.Cgroups.CgroupResourceFiles]::Plan($manager, 'p/pod1/app', [PodShell.Engine.ContainerCgroupPolicy]::For($a, $null), 'pod1/app', 1))
            $plan.AddRange([PodShell.Cgroups.CgroupResourceFiles]::Plan($manager, 'p/pod1/side', [PodShell.Engine.ContainerCgroupPolicy]::For($s, $null), 'pod1/side', 1))
            [void][PodShell.Cgroups.CgroupTransaction]::Apply($plan)
            $read = @{}
            foreach ($dir in 'pod1', 'app', 'side') {
                $path = if ($dir -eq 'pod1') { "$root/p/pod1" } else { "$root/p/pod1/$dir" }
                foreach ($f in 'cpu.max', 'cpu.weight', 'memory.max', 'pids.max') { $read["$dir/$f"] = (Get-Content -Raw "$path/$f").Trim() }
            }
            $read
        }
    }
    AfterAll { Remove-Item -Recurse -Force $root -ErrorAction Ignore }

    It 'Guaranteed: pod cpu.max and memory.max are the sums, cpu.weight kubelet''s linear one of the summed shares' {
        $app = @{ cl = '500m'; ml = '128Mi' }; $side = @{ cl = '250m'; ml = '64Mi' }
        Get-Qos -Containers $app, $side | Should -Be 'Guaranteed'
        $f = Set-PodFixture Guaranteed $app $side $null
        $f['pod1/cpu.max'] | Should -Be '75000 100000'
        $f['pod1/memory.max'] | Should -Be '201326592'
        $f['pod1/cpu.weight'] | Should -Be '30'          # shares 768, 1 + 766*9999/262142
        $f['pod1/pids.max'] | Should -Be 'max'
        $f['app/cpu.max'] | Should -Be '50000 100000'
        $f['app/cpu.weight'] | Should -Be '59'           # shares 512, runc's quadratic
        $f['app/memory.max'] | Should -Be '134217728'
        $f['side/cpu.max'] | Should -Be '25000 100000'
        $f['side/cpu.weight'] | Should -Be '35'
        $f['side/memory.max'] | Should -Be '67108864'
    }

    It 'Burstable: quota and memory on the pod only when every container declares them' {
        $app = @{ cr = '250m'; cl = '1'; mr = '64Mi' }; $side = @{ ml = '32Mi' }
        Get-Qos -Containers $app, $side | Should -Be 'Burstable'
        $f = Set-PodFixture Burstable $app $side $null
        $f['pod1/cpu.max'] | Should -Be 'max 100000'     # side has no cpu limit
        $f['pod1/memory.max'] | Should -Be 'max'         # app has no memory limit
        $f['pod1/cpu.weight'] | Should -Be '10'          # shares 256 from the 250m request
        $f['app/cpu.max'] | Should -Be '100000 100000'
        $f['app/cpu.weight'] | Should -Be '35'           # from the request, not the limit
        $f['app/memory.max'] | Should -Be 'max'
        $f['side/cpu.weight'] | Should -Be '1'           # no request: MinShares 2
        $f['side/memory.max'] | Should -Be '33554432'
    }

    It 'BestEffort: the pod gets shares 2 (weight 1) and no limits' {
        $f = Set-PodFixture BestEffort @{} @{ pids = 5 } $null
        $f['pod1/cpu.weight'] | Should -Be '1'
        $f['pod1/cpu.max'] | Should -Be 'max 100000'
        $f['pod1/memory.max'] | Should -Be 'max'
        $f['app/cpu.weight'] | Should -Be '1'
        $f['side/pids.max'] | Should -Be '5'
    }

    It 'pod-level resources: the pod cgroup takes the pod''s limits and requests, and its pids limit' {
        $pod = @{ cl = '2'; ml = '1Gi'; pids = 100 }
        Get-Qos -Containers @{}, @{} -Pod $pod | Should -Be 'Guaranteed'
        $f = Set-PodFixture Guaranteed @{} @{} $pod
        $f['pod1/cpu.max'] | Should -Be '200000 100000'
        $f['pod1/memory.max'] | Should -Be '1073741824'
        $f['pod1/cpu.weight'] | Should -Be '79'          # shares 2048 from the defaulted pod request 2
        $f['pod1/pids.max'] | Should -Be '100'
        $f['app/cpu.max'] | Should -Be 'max 100000'
    }

    It 'names each value''s quantity and formula' {
        $a = New-Resources -CpuRequest '250m' -CpuLimit '500m'
        $plan = [PodShell.Cgroups.CgroupResourceFiles]::Plan($manager, 'p/pod1/app', [PodShell.Engine.ContainerCgroupPolicy]::For($a, $null), 'pod1/app', 1)
        $weight = $plan | Where-Object Name -EQ 'cpu.weight'
        $weight.Value | Should -Be '35'
        $weight.Quantity | Should -Match 'cpu request 250m'
        $weight.Formula | Should -Match 'runc/crun'
        $weight.File | Should -Be "$root/p/pod1/app/cpu.weight"
        ($plan | Where-Object Name -EQ 'cpu.max').Quantity | Should -Match 'cpu limit 500m'
    }

    It 'writes raw unified files after the others' {
        $raw = [PodShell.Engine.RawCgroupValues]::new()
        $raw.Unified['memory.high'] = '209715200'
        $raw.CpuWeight = 300
        $plan = [PodShell.Cgroups.CgroupResourceFiles]::Plan($manager, 'p/pod1/app', [PodShell.Engine.ContainerCgroupPolicy]::For((New-Resources), $raw), 'pod1/app', 1)
        $plan[-1].Name | Should -Be 'memory.high'
        [void][PodShell.Cgroups.CgroupTransaction]::Apply($plan)
        Get-Content -Raw "$root/p/pod1/app/memory.high" | Should -Be '209715200'
        Get-Content -Raw "$root/p/pod1/app/cpu.weight" | Should -Be '300'
    }

    It 'puts back what it wrote when a later write fails (all or nothing)' {
        Set-PodFixture BestEffort @{} @{} $null | Out-Null
        $before = @{}
        foreach ($f in 'cpu.max', 'cpu.weight', 'pids.max', 'memory.max') { $before[$f] = Get-Content -Raw "$root/p/pod1/app/$f" }
        # memory.max is written last; a folder in its place makes open(2) fail with EISDIR.
        Remove-Item "$root/p/pod1/app/memory.max"
        New-Item -ItemType Directory "$root/p/pod1/app/memory.max" | Out-Null
        try {
            $a = New-Resources -CpuLimit '300m' -MemoryLimit '64Mi' -Pids 7
            $plan = [PodShell.Cgroups.CgroupResourceFiles]::Plan($manager, 'p/pod1/app', [PodShell.Engine.ContainerCgroupPolicy]::For($a, $null), 'pod1/app', 1)
            $caught = $null
            try { [PodShell.Cgroups.CgroupTransaction]::Apply($plan) } catch { $caught = $_.Exception.InnerException }
            $caught | Should -BeOfType ([PodShell.Cgroups.CgroupWriteException])
            $caught.Failed.Name | Should -Be 'memory.max'
            $caught.Message | Should -Match 'Put back'
            @($caught.Restored).Count | Should -Be 3
            foreach ($f in 'cpu.max', 'cpu.weight', 'pids.max') { Get-Content -Raw "$root/p/pod1/app/$f" | Should -Be $before[$f] -Because "$f is put back" }
        }
        finally {
            Remove-Item "$root/p/pod1/app/memory.max" -Recurse
            Set-Content -Path "$root/p/pod1/app/memory.max" -Value 'max' -NoNewline
        }
    }
}

Describe 'Write order: loosen parents first, tighten children first' {
    It 'orders a pod quota raise before the container''s, and a cut after it' {
        function S($name, $depth, $current, $value) {
            $s = [PodShell.Model.CgroupSetting]::new(); $s.Name = $name; $s.Depth = $depth; $s.Current = $current; $s.Value = $value; $s.File = "$depth/$name"; $s
        }
        $raise = [PodShell.Cgroups.CgroupTransaction]::Order([PodShell.Model.CgroupSetting[]] @((S 'cpu.cfs_quota_us' 1 '20000' '50000'), (S 'cpu.cfs_quota_us' 0 '20000' '50000')))
        $raise.Depth | Should -Be @(0, 1)
        $cut = [PodShell.Cgroups.CgroupTransaction]::Order([PodShell.Model.CgroupSetting[]] @((S 'cpu.cfs_quota_us' 0 '50000' '20000'), (S 'cpu.cfs_quota_us' 1 '50000' '20000')))
        $cut.Depth | Should -Be @(1, 0)
        $unlimit = [PodShell.Cgroups.CgroupTransaction]::Order([PodShell.Model.CgroupSetting[]] @((S 'cpu.max' 1 '5000 100000' 'max 100000'), (S 'cpu.max' 0 '5000 100000' 'max 100000')))
        $unlimit.Depth | Should -Be @(0, 1)
        # Values already in effect are not written again ("-1" and v1's page-aligned maximum both mean none).
        [PodShell.Cgroups.CgroupTransaction]::Order([PodShell.Model.CgroupSetting[]] @((S 'memory.limit_in_bytes' 1 '9223372036854771712' '-1'))) | Should -BeNullOrEmpty
    }
}
