BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-PodShellUnderTest
}

Describe 'Inspecting a pod: Get-PodNamespace and Get-PodCgroup from the pipeline' {
    BeforeAll {
        $name = New-TestPodName 'look'
        $pod = New-PodSandbox -Name $name
        $app = $pod | Add-PodContainer -Name app -Image host -Command sleep, infinity -Memory 64Mi -Cpu 250m
        $side = $pod | Add-PodContainer -Name sidecar -Image host -Command sleep, infinity
        $pause = (Get-Pod $name).PausePid
    }
    AfterAll { Remove-TestPod $name }

    It 'shows one row per process and type: net, ipc, uts in the pod; mnt, pid in the container' {
        $rows = Get-Pod $name | Get-PodNamespace
        ($rows | Select-Object -ExpandProperty ContainerName -Unique) | Should -Be @('pause', 'app', 'sidecar')
        foreach ($c in 'app', 'sidecar') {
            foreach ($type in 'Net', 'Ipc', 'Uts') {
                ($rows | Where-Object { $_.ContainerName -eq $c -and $_.Type -eq $type }).Scope | Should -Be 'Pod' -Because "$c $type"
            }
            foreach ($type in 'Mnt', 'Pid') {
                ($rows | Where-Object { $_.ContainerName -eq $c -and $_.Type -eq $type }).Scope | Should -Be 'Container' -Because "$c $type"
            }
            ($rows | Where-Object { $_.ContainerName -eq $c -and $_.Type -eq 'User' }).Scope | Should -Be 'Node'
        }
    }

    It 'agrees inode for inode with readlink' {
        foreach ($row in Get-Pod $name | Get-PodNamespace -Type net, mnt) {
            $row.Inode | Should -Be (Get-NamespaceInodeByReadlink $row.ProcessId $row.Type.ToString().ToLowerInvariant())
        }
        (Get-Pod $name | Get-PodNamespace -Type net | Where-Object ContainerName -EQ 'pause').ProcessId | Should -Be $pause
    }

    It 'takes a pod by name, and containers from Get-PodContainer' {
        (Get-PodNamespace -Pod $name -Type pid).Count | Should -Be 3
        $rows = Get-PodContainer -Pod $name -Name app | Get-PodNamespace -Type uts
        $rows.ContainerName | Should -Be 'app'
        $rows.ProcessId | Should -Be $app.Pid
    }

    It 'says so for a pod name that does not exist' {
        { Get-PodNamespace -Pod 'no-such-pod' -ErrorAction Stop } | Should -Throw '*no-such-pod*'
    }

    It 'shows the pod''s cgroup tree with the limits the cgroupfs holds' {
        $nodes = Get-Pod $name | Get-PodCgroup
        $memory = @($nodes | Where-Object Hierarchy -EQ 'memory')
        ($memory | ForEach-Object { Split-Path -Leaf $_.Path }) | Should -Be @("pod$($pod.Uid)", 'app', 'pause', 'sidecar')
        $appNode = $memory | Where-Object { $_.Path -like '*/app' }
        # app made the pod Guaranteed, the sidecar Burstable: the pod moved twice, so read the paths afresh.
        $appPath = (Get-PodContainer -Pod $name -Name app).CgroupPath
        $appPath | Should -Be "/$env:PODSHELL_CGROUP_ROOT/burstable/pod$($pod.Uid)/app"
        $appNode.MemoryLimit | Should -Be ([long](Get-Content "/sys/fs/cgroup/memory$appPath/memory.limit_in_bytes"))
        $appNode.MemoryLimit | Should -Be 64MB
        $appNode.ProcessIds | Should -Contain $app.Pid
        $cpu = $nodes | Where-Object { $_.Hierarchy -like 'cpu*' -and $_.Path -like '*/app' } | Select-Object -First 1
        $cpu.CpuQuota | Should -Be 25000
        $cpu.CpuShares | Should -Be 256
        ($memory | Where-Object { $_.Path -like '*/pause' }).ProcessIds | Should -Be @($pause)
    }

    It 'shows a container''s own cgroup from Get-PodContainer' {
        $leaf = Get-PodContainer -Pod $name -Name sidecar | Get-PodCgroup | Where-Object Hierarchy -EQ 'memory'
        $leaf.Path | Should -Be $side.CgroupPath
        $leaf.ProcessIds | Should -Be @($side.Pid)
    }
}
