# Get-PodStats: cpu over an interval, memory working set and pids, per container and per pod; objects that pipe.

BeforeDiscovery {
    $IsV1Host = Test-Path /sys/fs/cgroup/memory/memory.limit_in_bytes
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'CgroupTestHelpers.psm1') -Force
    Import-PodShellUnderTest
}

Describe 'Get-PodStats on live pods' -Skip:(-not $IsV1Host) {
    BeforeAll {
        $name = New-TestPodName 'stat'
        $pod = New-PodSandbox -Name $name
        $pod | Add-PodContainer -Name spin -Command sh, -c, 'while :; do :; done' -Cpu 0.3 -Memory 64Mi | Out-Null
        $pod | Add-PodContainer -Name hold -Command sh, -c, 'x=$(head -c 30000000 /dev/zero | tr "\0" a); sleep 600' -CpuRequest 500m -PidsLimit 10 | Out-Null
        Wait-Until -TimeoutSeconds 90 -Because 'the 30 MB to be allocated' { [long](Get-Content "/sys/fs/cgroup/memory$((Get-PodContainer $name hold).CgroupPath)/memory.usage_in_bytes") -gt 28MB } | Out-Null
    }
    AfterAll { Remove-TestPod $name }

    It 'reports cpu %, working set and pids per container, agreeing with the cgroupfs' {
        $rows = Get-PodStats -Pod $name -Interval 1.5
        $rows.Name | Should -Be @('hold', 'spin')
        $spin = $rows | Where-Object Name -EQ spin
        # A busy node may give the spinner less than its limit: at most 0.3 cores, and some.
        $spin.CpuPercent | Should -BeGreaterThan 0.5
        $spin.CpuPercent | Should -BeLessOrEqual 35
        $spin.MemoryLimit | Should -Be 64MB
        $spin.Interval.TotalSeconds | Should -BeGreaterOrEqual 1.4
        $hold = $rows | Where-Object Name -EQ hold
        $hold.MemoryWorkingSet | Should -BeGreaterThan 28MB
        $cg = (Get-PodContainer $name hold).CgroupPath
        $usage = [long](Get-Content "/sys/fs/cgroup/memory$cg/memory.usage_in_bytes")
        $inactive = [long]((Get-Content "/sys/fs/cgroup/memory$cg/memory.stat" | Where-Object { $_ -like 'total_inactive_file *' }) -split ' ')[1]
        [math]::Abs($hold.MemoryWorkingSet - ($usage - $inactive)) | Should -BeLessThan 2MB
        $hold.Pids | Should -Be ([int](Get-Content "/sys/fs/cgroup/pids$cg/pids.current"))
        $hold.PidsLimit | Should -Be 10
    }

    It 'gives one row per pod with -ByPod, and takes pods from the pipeline' {
        $row = Get-Pod $name | Get-PodStats -ByPod -Interval 0.5
        $row | Should -HaveCount 1
        $row.Name | Should -Be ''
        $row.CgroupPath | Should -Be (Get-Pod $name).CgroupPath
        $row.Pids | Should -BeGreaterOrEqual 3
    }

    It 'filters containers by wildcard, sorts and exports like any objects' {
        (Get-PodStats -Pod $name -Container 'sp*' -Interval 0.2).Name | Should -Be 'spin'
        $csv = Join-Path ([System.IO.Path]::GetTempPath()) "podstats-$([guid]::NewGuid().ToString('N')).csv"
        try {
            Get-PodStats -Pod $name -Interval 0.5 | Sort-Object CpuPercent -Descending | Export-Csv $csv
            $back = Import-Csv $csv
            $back[0].Name | Should -Be 'spin'
            $back[0].PodName | Should -Be $name
        }
        finally { Remove-Item $csv -ErrorAction Ignore }
    }

    It 'keeps refreshing with -Watch until the pipeline stops it' {
        $rows = Get-PodStats -Pod $name -Container spin -Interval 0.2 -Watch | Select-Object -First 3
        $rows | Should -HaveCount 3
        $rows | ForEach-Object { $_.CpuPercent | Should -Not -BeNullOrEmpty }
        ($rows.Timestamp | Select-Object -Unique) | Should -HaveCount 3
    }

    It 'formats a table' {
        (Get-PodStats -Pod $name -Interval 0.2 | Out-String) | Should -Match 'MemWS'
    }
}

Describe 'Get-PodStats on a cgroup v2 fixture' {
    BeforeAll {
        $root = Join-Path ([System.IO.Path]::GetTempPath()) "podshell-st2-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
        New-CgroupFixture $root @{
            'cgroup.controllers' = 'cpu memory pids'; 'cgroup.procs' = ''
            'p/pod1/app/cgroup.procs' = ''; 'p/pod1/app/cpu.stat' = "usage_usec 5000000`nuser_usec 4000000`n"
            'p/pod1/app/memory.current' = '10485760'; 'p/pod1/app/memory.stat' = "anon 6291456`ninactive_file 4194304`n"
            'p/pod1/app/memory.max' = '67108864'; 'p/pod1/app/pids.current' = '3'; 'p/pod1/app/pids.max' = 'max'
        }
    }
    AfterAll { Remove-Item -Recurse -Force $root -ErrorAction Ignore }

    It 'reads cpu.stat, memory.current minus inactive_file, and pids' {
        $fs = [PodShell.Cgroups.CgroupFileSystem]::Detect($root)
        $u = [PodShell.Cgroups.CgroupUsage]::Read($fs, 'p/pod1/app')
        $u.CpuUsageNanoseconds | Should -Be 5000000000
        $u.WorkingSet | Should -Be 6291456
        $u.MemoryLimit | Should -Be 67108864
        $u.Pids | Should -Be 3
        $u.PidsLimit | Should -BeNullOrEmpty
    }
}

Describe 'Get-PodStats help' {
    It 'has MAML help with examples' {
        $help = Get-Help Get-PodStats -Full
        @($help.examples.example).Count | Should -BeGreaterOrEqual 3
        @($help.parameters.parameter.name) | Should -Contain 'Watch'
    }
}
