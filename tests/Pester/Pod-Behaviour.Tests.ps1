# One behavioural suite, run against every engine: the same busybox commands (a rootfs folder for the
# native engine, the same folder imported as an image for Docker), witnessed from outside PodShell
# (readlink of /proc/<pid>/ns, nsenter + ipcmk, /proc/<pid>/cgroup, the cgroupfs files, docker ps).
BeforeDiscovery {
    $engines = @(
        @{ Engine = 'Native'; Skip = $false }
        @{ Engine = 'Docker'; Skip = -not $env:PODSHELL_TEST_DOCKER_IMAGE }
    )
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-PodShellUnderTest

    # Where a container's command comes from on each engine: the same busybox either way.
    function Get-BusyboxSource([string] $Engine) {
        if ($Engine -eq 'Docker') { @{ Image = $env:PODSHELL_TEST_DOCKER_IMAGE } } else { @{ RootFs = $env:PODSHELL_TEST_BUSYBOX_ROOTFS } }
    }

    # The cgroup of a process in one v1 hierarchy, as the kernel reports it.
    function Get-ProcessCgroupPath([int] $ProcessId, [string] $Controller) {
        foreach ($line in Get-Content "/proc/$ProcessId/cgroup") {
            $parts = $line -split ':', 3
            if (($parts[1] -split ',') -contains $Controller) { return $parts[2] }
        }
    }

    function Wait-ContainerState([string] $Pod, [string] $Name, [string[]] $State, [int] $TimeoutSeconds = 20) {
        Wait-Until -TimeoutSeconds $TimeoutSeconds -Because "$Pod/$Name to be $($State -join ' or ')" {
            $c = Get-PodContainer -Pod $Pod -Name $Name
            if ($c.State -in $State) { $c }
        }
    }
}

Describe 'Pod behaviour on the <Engine> engine' -ForEach $engines {
    BeforeAll {
        $source = Get-BusyboxSource $Engine
        $name = New-TestPodName "beh-$($Engine.ToLowerInvariant())"
        if (-not $Skip) {
            $pod = New-PodSandbox -Name $name -Engine $Engine -WarningAction SilentlyContinue
            $server = $pod | Add-PodContainer -Name server @source -Command /bin/sh, -c, 'while true; do echo pong | nc -l -p 7070; done'
            $client = $pod | Add-PodContainer -Name client @source -Command /bin/sleep, 100000
            $pod = Get-Pod $name
        }
    }
    AfterAll {
        if (-not $Skip) { Remove-TestPod $name }
    }

    It 'shares net and ipc with the pause by inode; uts shared on Native, not on Docker (same hostname)' -Skip:$Skip {
        $pause = $pod.PausePid
        foreach ($c in $server, $client) {
            Get-NamespaceInodeByReadlink $c.Pid net | Should -Be (Get-NamespaceInodeByReadlink $pause net)
            Get-NamespaceInodeByReadlink $c.Pid ipc | Should -Be (Get-NamespaceInodeByReadlink $pause ipc)
            Get-NamespaceInodeByReadlink $c.Pid mnt | Should -Not -Be (Get-NamespaceInodeByReadlink $pause mnt)
            if ($Engine -eq 'Docker') {
                Get-NamespaceInodeByReadlink $c.Pid uts | Should -Not -Be (Get-NamespaceInodeByReadlink $pause uts)
            }
            else {
                Get-NamespaceInodeByReadlink $c.Pid uts | Should -Be (Get-NamespaceInodeByReadlink $pause uts)
            }
            # Either way every container answers with the pod's hostname (nsenter reads it from outside).
            & nsenter -t $c.Pid --uts hostname | Should -Be $pod.Hostname
        }
        $pod.Namespaces.Uts | Should -Be $(if ($Engine -eq 'Docker') { 'Container' } else { 'Pod' })
        $uts = Get-Pod $name | Get-PodNamespace -Type Uts | Where-Object ContainerName -EQ 'client'
        $uts.Scope | Should -Be $(if ($Engine -eq 'Docker') { 'Container' } else { 'Pod' })
    }

    It 'lets containers talk over localhost TCP' -Skip:$Skip {
        $reply = Wait-Until -Because 'the server to answer' {
            Invoke-PodCommand -Pod $name -Container client -Command nc, 127.0.0.1, 7070 -ErrorAction SilentlyContinue
        }
        $reply | Should -Be 'pong'
    }

    It 'shares SysV shared memory: a segment made in one container shows in the other' -Skip:$Skip {
        $made = & nsenter -t $server.Pid --ipc ipcmk -M 4096
        $id = [regex]::Match("$made", '\d+').Value
        try {
            $id | Should -Not -BeNullOrEmpty
            # util-linux's ipcs in the other container's ipc namespace, and the kernel's table read from inside it.
            $row = & nsenter -t $client.Pid --ipc ipcs -m | Where-Object { ($_ -split '\s+')[1] -eq $id }
            $row | Should -Not -BeNullOrEmpty
            $table = Invoke-PodCommand -Pod $name -Container client -Command cat, /proc/sysvipc/shm
            ($table | Select-Object -Skip 1 | ForEach-Object { ($_.Trim() -split '\s+')[1] }) | Should -Contain $id
            # And not on the node: the segment (by its random key) lives in the pod's ipc namespace only.
            $key = ($row -split '\s+')[0]
            (& ipcs -m | ForEach-Object { ($_ -split '\s+')[0] }) | Should -Not -Contain $key
        }
        finally { & nsenter -t $server.Pid --ipc ipcrm -m $id 2>$null }
    }

    It 'holds every container (and the pause) in the pod cgroup, with limits in cgroupfs' -Skip:$Skip {
        $limited = $pod | Add-PodContainer -Name limited @source -Command /bin/sleep, 100000 -Memory 64Mi -Cpu 250m
        try {
            # On the native engine the new container changes the pod's QoS class, and the pod cgroup moves with it.
            $podPath = (Get-Pod $name).CgroupPath
            foreach ($p in @($pod.PausePid, $server.Pid, $client.Pid, $limited.Pid)) {
                Get-ProcessCgroupPath $p memory | Should -BeLike "$podPath/*"
                Get-ProcessCgroupPath $p cpu | Should -BeLike "$podPath/*"
            }
            $memory = Join-Path /sys/fs/cgroup/memory (Get-ProcessCgroupPath $limited.Pid memory)
            $cpu = Join-Path /sys/fs/cgroup/cpu (Get-ProcessCgroupPath $limited.Pid cpu)
            Get-Content "$memory/memory.limit_in_bytes" | Should -Be 67108864
            Get-Content "$cpu/cpu.cfs_quota_us" | Should -Be 25000
            Get-Content "$cpu/cpu.cfs_period_us" | Should -Be 100000
            Get-Content "$cpu/cpu.shares" | Should -Be 256
            $limited.MemoryLimit | Should -Be 67108864
            $limited.CpuLimitMilli | Should -Be 250
        }
        finally { Remove-PodContainer -Pod $name -Name limited -Force -Confirm:$false -Timeout 0 }
    }

    It 'runs a command in a container: stdout as output, stderr apart, the exit code in $LASTEXITCODE' -Skip:$Skip {
        $err = $null
        $out = Invoke-PodCommand -Pod $name -Container client -Command sh, -c, 'echo out; echo err >&2; exit 7' -ErrorVariable err -ErrorAction SilentlyContinue
        $LASTEXITCODE | Should -Be 7
        $out | Should -Be 'out'
        "$err" | Should -Match 'err'
        Invoke-PodCommand -Pod $name -Container client -Command true
        $LASTEXITCODE | Should -Be 0
    }

    It 'records exit codes and restarts by policy' -Skip:$Skip {
        $pod | Add-PodContainer -Name once @source -Command /bin/sh, -c, 'exit 3' -RestartPolicy Never | Out-Null
        $pod | Add-PodContainer -Name flaky @source -Command /bin/sh, -c, 'echo run; exit 1' -RestartPolicy OnFailure | Out-Null
        try {
            $once = Wait-ContainerState $name once Exited
            $once.ExitCode | Should -Be 3
            $once.Reason | Should -Be 'Error'
            $once.RestartCount | Should -Be 0
            $flaky = Wait-Until -Because 'a restart' { $c = Get-PodContainer -Pod $name -Name flaky; if ($c.RestartCount -ge 1) { $c } }
            $flaky.RestartCount | Should -BeGreaterOrEqual 1
        }
        finally { foreach ($n in 'once', 'flaky') { Remove-PodContainer -Pod $name -Name $n -Force -Confirm:$false -Timeout 0 -ErrorAction SilentlyContinue } }
    }

    It 'keeps logs: both streams in order, -Tail, -Timestamps, -Follow to the end' -Skip:$Skip {
        $pod | Add-PodContainer -Name talker @source -RestartPolicy Never -Command /bin/sh, -c, 'echo one; sleep 1; echo two >&2; sleep 1; echo three' | Out-Null
        try {
            $followed = Get-PodLog -Pod $name -Container talker -Follow
            $followed | Should -Be @('one', 'two', 'three')
            Get-PodLog -Pod $name -Container talker -Tail 1 | Should -Be 'three'
            $stamped = Get-PodLog -Pod $name -Container talker -Timestamps
            $stamped.Count | Should -Be 3
            $stamped[0] | Should -Match '^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d) one$'
        }
        finally { Remove-PodContainer -Pod $name -Name talker -Force -Confirm:$false -Timeout 0 -ErrorAction SilentlyContinue }
    }

    It 'stops within the grace period: promptly on SIGTERM, killed after it when TERM is ignored' -Skip:$Skip {
        $pod | Add-PodContainer -Name polite @source -RestartPolicy Never -Command /bin/sh, -c, 'trap "exit 0" TERM; while true; do sleep 1 & wait; done' | Out-Null
        $pod | Add-PodContainer -Name stubborn @source -RestartPolicy Never -Command /bin/sh, -c, 'trap "" TERM; while true; do sleep 1; done' | Out-Null
        try {
            Start-Sleep -Milliseconds 300
            $watch = [System.Diagnostics.Stopwatch]::StartNew()
            $stopped = Stop-PodContainer -Pod $name -Name polite -Timeout 10 -PassThru
            $watch.Elapsed.TotalSeconds | Should -BeLessThan 5
            $stopped.State | Should -Be 'Exited'
            $stopped.ExitCode | Should -Be 0

            $stubbornPid = (Get-PodContainer -Pod $name -Name stubborn).Pid
            $watch.Restart()
            $stopped = Stop-PodContainer -Pod $name -Name stubborn -Timeout 2 -PassThru
            $watch.Elapsed.TotalSeconds | Should -BeGreaterOrEqual 1.9
            $stopped.State | Should -Be 'Exited'
            $stopped.ExitCode | Should -Be 137
            Test-ProcessAlive $stubbornPid | Should -BeFalse
        }
        finally { foreach ($n in 'polite', 'stubborn') { Remove-PodContainer -Pod $name -Name $n -Force -Confirm:$false -Timeout 0 -ErrorAction SilentlyContinue } }
    }

    It 'removes the pod and leaves nothing: processes, cgroups, containers' -Skip:$Skip {
        $other = New-TestPodName "gone-$($Engine.ToLowerInvariant())"
        $p = New-PodSandbox -Name $other -Engine $Engine -WarningAction SilentlyContinue
        $c = $p | Add-PodContainer -Name app @source -Command /bin/sleep, 100000
        $p = Get-Pod $other
        $pids = @($p.PausePid, $c.Pid)
        Remove-Pod $other -Force -Confirm:$false -Timeout 0
        Get-Pod $other -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        foreach ($x in $pids) { Test-ProcessAlive $x | Should -BeFalse }
        Get-TestCgroupFolder $p.CgroupPath | Should -BeNullOrEmpty
        if ($Engine -eq 'Docker') {
            & docker ps -a -q --filter "label=io.kubernetes.pod.name=$other" | Should -BeNullOrEmpty
        }
    }
}
