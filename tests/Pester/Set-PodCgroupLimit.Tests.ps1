# Set-PodCgroupLimit on live containers and pods (cgroup v1 node); its effect read from the cgroupfs files and the
# kernel's cpuacct counter, its record read back from a fresh pwsh session.

BeforeDiscovery {
    $IsV1Host = Test-Path /sys/fs/cgroup/memory/memory.limit_in_bytes
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'CgroupTestHelpers.psm1') -Force
    Import-PodShellUnderTest

    # A fresh pwsh process (another session) running a script with the module under test; its output as text.
    function Invoke-FreshSession([string] $Script) {
        $pwsh = @([Environment]::ProcessPath)
        if ((Split-Path -Leaf $pwsh[0]) -like 'dotnet*') { $pwsh += (Join-Path $PSHOME 'pwsh.dll') }
        $module = Join-Path $env:PODSHELL_TEST_MODULE 'PodShell.psd1'
        $rest = @($pwsh | Select-Object -Skip 1)
        & $pwsh[0] @rest -NoProfile -NonInteractive -Command "Import-Module '$module'; $Script" 2>&1 | ForEach-Object { "$_" }
    }
}

Describe 'Set-PodCgroupLimit on a running container' -Skip:(-not $IsV1Host) {
    BeforeAll {
        $name = New-TestPodName 'set'
        $pod = New-PodSandbox -Name $name
        $spin = $pod | Add-PodContainer -Name spin -Command sh, -c, 'while :; do :; done' -Cpu 1 -Memory 128Mi
        # Holds ~40 MB of anonymous memory (no swap here): the kernel cannot reclaim it.
        $hold = $pod | Add-PodContainer -Name hold -Command sh, -c, 'x=$(head -c 40000000 /dev/zero | tr "\0" a); sleep 600' -Cpu 0.5 -Memory 128Mi
        Wait-Until -TimeoutSeconds 90 -Because 'the 40 MB to be allocated' { [long](Get-Content "/sys/fs/cgroup/memory$((Get-PodContainer $name hold).CgroupPath)/memory.usage_in_bytes") -gt 38MB } | Out-Null
    }
    AfterAll { Remove-TestPod $name }

    It 'lowers a spinner''s cpu limit from the pipeline: the files change and its usage drops' {
        $cg = (Get-PodContainer $name spin).CgroupPath
        $before = Measure-CgroupCpu $cg 2
        $result = Get-PodContainer $name spin | Set-PodCgroupLimit -Cpu 0.05 -PassThru
        $result.CpuLimitMilli | Should -Be 50
        $result.CpuRequestMilli | Should -Be 50     # it equalled the limit, so it follows: still Guaranteed
        Get-Content "/sys/fs/cgroup/cpu$cg/cpu.cfs_quota_us" | Should -Be 5000
        Get-Content "/sys/fs/cgroup/cpu$cg/cpu.shares" | Should -Be 51
        $throttled = [long]((Get-Content "/sys/fs/cgroup/cpu$cg/cpu.stat" | Where-Object { $_ -like 'nr_throttled *' }) -split ' ')[1]
        $after = Measure-CgroupCpu $cg 2
        Write-Host "spinner: $([math]::Round($before, 3)) cores at -Cpu 1, $([math]::Round($after, 3)) at -Cpu 0.05"
        $after | Should -BeLessOrEqual 0.06
        # On a loaded node the spinner may get less than a core before; it still drops, or was already below 0.05.
        $after | Should -BeLessThan ([math]::Max($before, 0.051))
        [long]((Get-Content "/sys/fs/cgroup/cpu$cg/cpu.stat" | Where-Object { $_ -like 'nr_throttled *' }) -split ' ')[1] | Should -BeGreaterThan $throttled
        # The pod cgroup is recomputed: quota 5000 + 50000, shares 51 + 512.
        $podPath = (Get-Pod $name).CgroupPath
        Get-Content "/sys/fs/cgroup/cpu$podPath/cpu.cfs_quota_us" | Should -Be 55000
        Get-Content "/sys/fs/cgroup/cpu$podPath/cpu.shares" | Should -Be 563
    }

    It 'records the new values so a new session sees them' {
        Invoke-FreshSession "(Get-PodContainer -Pod $name -Name spin).CpuLimitMilli" | Should -Be 50
    }

    It 'lists every file and value with -WhatIf, and changes nothing' {
        $cg = (Get-PodContainer $name spin).CgroupPath
        # WhatIf lines go to the host: read them from another session's output.
        $out = (Invoke-FreshSession "Get-PodContainer $name spin | Set-PodCgroupLimit -Cpu 0.3 -PidsLimit 40 -WhatIf") -join "`n"
        $out = $out -replace '\s*\n\s*', ''
        $out | Should -Match ([regex]::Escape("/sys/fs/cgroup/cpu$cg/cpu.cfs_quota_us"))
        $out | Should -Match "Write '30000'"
        $out | Should -Match ([regex]::Escape("/sys/fs/cgroup/pids$cg/pids.max"))
        $out | Should -Match "Write '40'"
        Get-Content "/sys/fs/cgroup/cpu$cg/cpu.cfs_quota_us" | Should -Be 5000
        Get-Content "/sys/fs/cgroup/pids$cg/pids.max" | Should -Be 'max'
        (Get-PodContainer $name spin).CpuLimitMilli | Should -Be 50
    }

    It 'refuses a memory limit below the current usage unless -Force' {
        $err = $null
        Get-PodContainer $name hold | Set-PodCgroupLimit -Memory 8Mi -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'MemoryLimitBelowUsage,*'
        $err[0].ErrorDetails.RecommendedAction | Should -Match '-Force'
        Get-Content "/sys/fs/cgroup/memory$((Get-PodContainer $name hold).CgroupPath)/memory.limit_in_bytes" | Should -Be 134217728
    }

    It 'rolls back every earlier write when the kernel refuses one (memory it cannot reclaim)' {
        $cg = (Get-PodContainer $name hold).CgroupPath
        $err = $null
        Get-PodContainer $name hold | Set-PodCgroupLimit -Cpu 0.3 -PidsLimit 30 -Memory 8Mi -Force -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'CgroupWriteFailed,*'
        $err[0].Exception.Message | Should -Match 'memory.limit_in_bytes'
        $err[0].Exception.Message | Should -Match 'Put back'
        # What was written before the memory limit is back as it was (read with Get-Content).
        Get-Content "/sys/fs/cgroup/cpu$cg/cpu.cfs_quota_us" | Should -Be 50000
        Get-Content "/sys/fs/cgroup/cpu$cg/cpu.shares" | Should -Be 512
        Get-Content "/sys/fs/cgroup/pids$cg/pids.max" | Should -Be 'max'
        Get-Content "/sys/fs/cgroup/memory$cg/memory.limit_in_bytes" | Should -Be 134217728
        $c = Get-PodContainer $name hold
        $c.CpuLimitMilli | Should -Be 500
        $c.PidsLimit | Should -BeNullOrEmpty
        $c.State | Should -Be 'Running'
    }

    It 'keeps the QoS class, as Kubernetes'' in-place resize does' {
        $err = $null
        Get-PodContainer $name spin | Set-PodCgroupLimit -CpuRequest 20m -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'QosClassChange,*'
        (Get-Pod $name).QosClass | Should -Be 'Guaranteed'
    }

    It 'sets raw cpu.shares, refuses cpu.weight and -Unified on v1' {
        $cg = (Get-PodContainer $name spin).CgroupPath
        Set-PodCgroupLimit -Pod $name -Container spin -CpuShares 300
        Get-Content "/sys/fs/cgroup/cpu$cg/cpu.shares" | Should -Be 300
        (Get-PodContainer $name spin).CgroupOverrides['cpu.shares'] | Should -Be '300'
        $err = $null
        Set-PodCgroupLimit -Pod $name -Container spin -CpuWeight 100 -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ResourceNotSupported,*'
        Set-PodCgroupLimit -Pod $name -Container spin -Unified @{ 'memory.high' = '200Mi' } -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ResourceNotSupported,*'
    }

    It 'sets the pod''s own pids limit from Get-Pod' {
        Get-Pod $name | Set-PodCgroupLimit -PidsLimit 64
        Get-Content "/sys/fs/cgroup/pids$((Get-Pod $name).CgroupPath)/pids.max" | Should -Be 64
        (Get-Pod $name).Resources.PidsLimit | Should -Be 64
    }

    It 'says what to do when nothing or a bad quantity is given' {
        { Get-PodContainer $name spin | Set-PodCgroupLimit -ErrorAction Stop } | Should -Throw -ErrorId 'NoResourceGiven,PodShell.Cmdlets.SetPodCgroupLimitCommand'
        { Get-PodContainer $name spin | Set-PodCgroupLimit -Memory 12XB -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidQuantity,PodShell.Cmdlets.SetPodCgroupLimitCommand'
        $err = $null
        Set-PodCgroupLimit -Pod $name -Container nope -Cpu 1 -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ContainerNotFound,*'
    }
}

Describe 'Set-PodCgroupLimit help and metadata' {
    It 'has MAML help with examples and declares its output' {
        $help = Get-Help Set-PodCgroupLimit -Full
        @($help.examples.example).Count | Should -BeGreaterOrEqual 3
        @($help.parameters.parameter.name) | Should -Contain 'Unified'
        (Get-Command Set-PodCgroupLimit).OutputType.Name | Should -Contain 'PodShell.Model.PodContainer'
        (Get-Command Set-PodCgroupLimit).Parameters['WhatIf'] | Should -Not -BeNullOrEmpty
    }
}
