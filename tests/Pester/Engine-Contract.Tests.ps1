# The engine contract (IPodEngine) driven directly on the native engine: whole-pod create with rollback,
# live resource updates, and the log read from its end. Witnesses: cgroupfs, /proc, the state folders.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-PodShellUnderTest
    $script:engine = [PodShell.Engine.EngineRegistry]::Get('Native')
    $script:none = [System.Threading.CancellationToken]::None

    function New-ContainerRequest([string] $Name, [string[]] $Command) {
        $request = [PodShell.Engine.ContainerCreateRequest]::new()
        $request.Name = $Name
        $request.Args = [System.Collections.Generic.List[string]]::new([string[]] $Command)
        $request
    }

    # Pids of the processes whose command line holds the marker (read from /proc, not through PodShell).
    function Get-MarkedProcessId([string] $Marker) {
        foreach ($dir in Get-ChildItem /proc -Directory -ErrorAction Ignore | Where-Object Name -Match '^\d+$') {
            $cmdline = Get-Content -Raw -ErrorAction Ignore "$($dir.FullName)/cmdline"
            if ($cmdline -and $cmdline.Contains($Marker) -and (Test-ProcessAlive ([int] $dir.Name))) { [int] $dir.Name }
        }
    }
}

Describe 'IPodEngine.CreatePod with containers (whole-pod create)' {
    It 'makes the sandbox and starts every container in order' {
        $name = New-TestPodName 'whole'
        try {
            $request = [PodShell.Engine.PodCreateRequest]::new()
            $request.Name = $name
            $request.Containers.Add((New-ContainerRequest 'first' @('sleep', 'infinity')))
            $request.Containers.Add((New-ContainerRequest 'second' @('sleep', 'infinity')))
            $pod = $engine.CreatePod($request, $none)
            $pod.Containers.Name | Should -Be @('first', 'second')
            $pod.Containers.State | Should -Be @('Running', 'Running')
            foreach ($c in $pod.Containers) {
                Get-NamespaceInodeByReadlink $c.Pid net | Should -Be (Get-NamespaceInodeByReadlink $pod.PausePid net)
            }
        }
        finally { Remove-TestPod $name }
    }

    It 'rolls everything back when a container fails, and throws the container''s own error' {
        $name = New-TestPodName 'rollback'
        $marker = "4242.$(Get-Random -Minimum 1000 -Maximum 9999)"
        $request = [PodShell.Engine.PodCreateRequest]::new()
        $request.Name = $name
        $request.Containers.Add((New-ContainerRequest 'good' @('sleep', $marker)))
        $request.Containers.Add((New-ContainerRequest 'bad' @('no-such-command-podshell')))
        $before = @(Get-ChildItem "/sys/fs/cgroup/memory/$env:PODSHELL_CGROUP_ROOT_NAME" -Recurse -Directory -ErrorAction Ignore).Count
        $thrown = $null
        try { $engine.CreatePod($request, $none) } catch { $thrown = $_.Exception.InnerException }
        $thrown | Should -BeOfType [PodShell.Engine.PodEngineException]
        $thrown.ErrorId | Should -Be 'CommandNotFound'
        $engine.HasPod($name) | Should -BeFalse
        Test-Path (Join-Path $env:PODSHELL_ROOT "pods/$name") | Should -BeFalse
        Get-MarkedProcessId $marker | Should -BeNullOrEmpty
        @(Get-ChildItem "/sys/fs/cgroup/memory/$env:PODSHELL_CGROUP_ROOT_NAME" -Recurse -Directory -ErrorAction Ignore).Count | Should -BeLessOrEqual $before
    }
}

Describe 'IPodEngine.UpdateResources (native)' {
    BeforeAll {
        $name = New-TestPodName 'resize'
        $pod = New-PodSandbox -Name $name
        # The shell holds 2 MB in a variable, so the container's memory usage is well above 1 MB.
        $c = $pod | Add-PodContainer -Name app -Image host -Command sh, -c, 'x=$(head -c 2000000 /dev/zero | tr "\0" a); sleep infinity' -Memory 128MB -Cpu 0.5
        $memory = "/sys/fs/cgroup/memory$($c.CgroupPath)"
        $cpu = "/sys/fs/cgroup/cpu$($c.CgroupPath)"
    }
    AfterAll { Remove-TestPod $name }

    It 'writes the new limits into the container''s cgroup and the pod''s sums (cgroupfs)' {
        $update = [PodShell.Engine.ResourceUpdate]::new()
        $update.MemoryLimit = 64MB
        $update.CpuLimitMilli = 250
        $update.PidsLimit = 100
        $after = $engine.UpdateResources($name, 'app', $update, $none)
        $after.MemoryLimit | Should -Be 64MB
        $after.CpuLimitMilli | Should -Be 250
        $after.PidsLimit | Should -Be 100
        $after.State | Should -Be 'Running'
        Get-Content "$memory/memory.limit_in_bytes" | Should -Be 67108864
        Get-Content "$cpu/cpu.cfs_quota_us" | Should -Be 25000
        Get-Content "$cpu/cpu.shares" | Should -Be 256
        Get-Content "/sys/fs/cgroup/pids$($c.CgroupPath)/pids.max" | Should -Be 100
        # The container made the pod Guaranteed: its cgroup moved from besteffort, so read the path afresh.
        $podPath = (Get-Pod $name).CgroupPath
        Get-Content "/sys/fs/cgroup/memory$podPath/memory.limit_in_bytes" | Should -Be 67108864
        Get-Content "/sys/fs/cgroup/cpu$podPath/cpu.cfs_quota_us" | Should -Be 25000
        (Get-PodContainer -Pod $name -Name app).MemoryLimit | Should -Be 64MB
    }

    It 'refuses a memory limit below the usage unless forced, and names what it cannot change' {
        Wait-Until -Because 'the shell to fill its variable' { [long] (Get-Content "$memory/memory.usage_in_bytes") -gt 2MB } | Out-Null
        $update = [PodShell.Engine.ResourceUpdate]::new()
        $update.MemoryLimit = 1MB
        $thrown = $null
        try { $engine.UpdateResources($name, 'app', $update, $none) } catch { $thrown = $_.Exception.InnerException }
        $thrown.ErrorId | Should -Be 'MemoryLimitBelowUsage'
        Get-Content "$memory/memory.limit_in_bytes" | Should -Be 67108864

        $update = [PodShell.Engine.ResourceUpdate]::new()
        $update.CpuWeight = 100
        try { $engine.UpdateResources($name, 'app', $update, $none) } catch { $thrown = $_.Exception.InnerException }
        $thrown.ErrorId | Should -Be 'ResourceNotSupported'
    }
}

Describe 'Get-PodLog -Tail reads from the end of the log' {
    BeforeAll {
        $name = New-TestPodName 'tail'
        $pod = New-PodSandbox -Name $name
        # ~170 KB of short lines, then one 100 KB line (cut into 16 KiB partial records by the shim), then 'end'.
        $script = 'i=0; while [ $i -lt 3000 ]; do echo "line $i padding-padding-padding-padding"; i=$((i+1)); done; head -c 100000 /dev/zero | tr "\0" x; echo; echo end'
        $c = $pod | Add-PodContainer -Name writer -Image host -Command sh, -c, $script -RestartPolicy Never
        Wait-Until -Because 'the writer to exit' { (Get-PodContainer -Pod $name -Name writer).State -eq 'Exited' } | Out-Null
    }
    AfterAll { Remove-TestPod $name }

    It 'returns the last entries whole, partial records joined' {
        $raw = Get-Content $c.EngineDetails.LogPath
        ($raw | Where-Object { $_ -match '^\S+ stdout P ' }).Count | Should -BeGreaterThan 4
        $last = Get-PodLog -Pod $name -Container writer -Tail 3
        $last.Count | Should -Be 3
        $last[0] | Should -Be 'line 2999 padding-padding-padding-padding'
        $last[1] | Should -Be ('x' * 100000)
        $last[2] | Should -Be 'end'
        Get-PodLog -Pod $name -Container writer -Tail 1 | Should -Be 'end'
        Get-PodLog -Pod $name -Container writer -Tail 0 | Should -BeNullOrEmpty
        (Get-PodLog -Pod $name -Container writer).Count | Should -Be 3002
        (Get-PodLog -Pod $name -Container writer -Tail 5000).Count | Should -Be 3002
    }
}
