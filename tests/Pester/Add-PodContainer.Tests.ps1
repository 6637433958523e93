BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-PodShellUnderTest

    function Invoke-InPod([string] $Pod, [string] $Container, [string[]] $Command) {
        Invoke-PodCommand -Pod $Pod -Container $Container -Command $Command -ErrorAction SilentlyContinue
    }
}

Describe 'Add-PodContainer: the article''s pod' {
    BeforeAll {
        $name = New-TestPodName 'foo'
        $port = Get-Random -Minimum 20000 -Maximum 40000
        $pod = New-PodSandbox -Name $name
        $app = $pod | Add-PodContainer -Name app -Image host -Command python3, -m, http.server, $port, --bind, 127.0.0.1 -Memory 256MB -Cpu 0.5
        $sidecar = $pod | Add-PodContainer -Name sidecar -Image host -Command sleep, infinity -Memory 128Mi
        $pause = (Get-Pod $name).PausePid
    }
    AfterAll { Remove-TestPod $name }

    It 'starts both containers' {
        $app.State | Should -Be 'Running'
        $sidecar.State | Should -Be 'Running'
        Test-ProcessAlive $app.Pid | Should -BeTrue
        (Get-PodContainer -Pod $name).Name | Should -Be @('app', 'sidecar')
    }

    It 'shares net, ipc and uts with the pause; mnt and pid are the container''s own (readlink)' {
        foreach ($c in $app, $sidecar) {
            foreach ($type in 'net', 'ipc', 'uts') {
                Get-NamespaceInodeByReadlink $c.Pid $type | Should -Be (Get-NamespaceInodeByReadlink $pause $type) -Because "$type is shared"
            }
            foreach ($type in 'mnt', 'pid') {
                Get-NamespaceInodeByReadlink $c.Pid $type | Should -Not -Be (Get-NamespaceInodeByReadlink $pause $type) -Because "$type is not shared"
                Get-NamespaceInodeByReadlink $c.Pid $type | Should -Not -Be (Get-NodeNamespaceInode $type)
            }
        }
        Get-NamespaceInodeByReadlink $app.Pid mnt | Should -Not -Be (Get-NamespaceInodeByReadlink $sidecar.Pid mnt)
        Get-NamespaceInodeByReadlink $app.Pid pid | Should -Not -Be (Get-NamespaceInodeByReadlink $sidecar.Pid pid)
    }

    It 'agrees with lsns on the shared namespaces' {
        foreach ($type in 'net', 'ipc', 'uts') {
            $pauseNs = & lsns -n -r -o NS -t $type -p $pause
            & lsns -n -r -o NS -t $type -p $app.Pid | Should -Be $pauseNs
            & lsns -n -r -o NS -t $type -p $sidecar.Pid | Should -Be $pauseNs
        }
        & lsns -n -r -o NS -t mnt -p $app.Pid | Should -Not -Be (& lsns -n -r -o NS -t mnt -p $sidecar.Pid)
    }

    It 'makes each container PID 1 of its own pid namespace' {
        (Get-Content "/proc/$($app.Pid)/status" | Where-Object { $_ -like 'NSpid:*' }) -split '\s+' | Select-Object -Last 1 | Should -Be '1'
        $ps = Invoke-InPod $name sidecar @('ps', '-e', '-o', 'pid=,comm=')
        ($ps | ForEach-Object { ($_.Trim() -split '\s+')[1] }) | Should -Not -Contain 'python3'
        ($ps | Where-Object { $_.Trim() -match '^1\s' }) | Should -Match 'sleep'
    }

    It 'lets the sidecar reach the app over 127.0.0.1, and not the node' {
        $page = Wait-Until -TimeoutSeconds 20 -Because 'the http server' { Invoke-InPod $name sidecar @('curl', '-s', '--max-time', '2', "http://127.0.0.1:$port/") }
        ($page -join "`n") | Should -Match 'Directory listing'
        & curl -s --max-time 2 "http://127.0.0.1:$port/" | Out-Null
        $LASTEXITCODE | Should -Not -Be 0 -Because 'the pod has its own loopback'
    }

    It 'shares System V shared memory inside the pod, not with another pod (ipcs)' {
        $made = Invoke-InPod $name app @('ipcmk', '-M', '4096')
        $id = [regex]::Match(($made -join ' '), '\d+').Value
        $id | Should -Not -BeNullOrEmpty
        (Invoke-InPod $name sidecar @('ipcs', '-m')) -join "`n" | Should -Match "\b$id\b"
        (& nsenter -t $sidecar.Pid -i ipcs -m) -join "`n" | Should -Match "\b$id\b"
        (& ipcs -m) -join "`n" | Should -Not -Match "0x[0-9a-f]+\s+$id\s"
        $other = New-TestPodName 'other'
        try {
            New-PodSandbox -Name $other | Add-PodContainer -Name c -Image host -Command sleep, infinity | Out-Null
            (Invoke-InPod $other c @('ipcs', '-m')) -join "`n" | Should -Not -Match "\b$id\b"
        }
        finally { Remove-TestPod $other }
    }

    It 'shows the pod''s hostname in both containers, and a change in one in the other' {
        Invoke-InPod $name app @('hostname') | Should -Be $name
        Invoke-InPod $name sidecar @('cat', '/etc/hostname') | Should -Be $name
        & nsenter -t $app.Pid -u hostname renamed-pod
        Invoke-InPod $name sidecar @('hostname') | Should -Be 'renamed-pod'
    }

    It 'writes the limits into the container''s cgroup and runs the container in it (cgroupfs)' {
        # The pod moved when each container changed its QoS class: read the paths afresh.
        $appPath = (Get-PodContainer -Pod $name -Name app).CgroupPath
        $memory = "/sys/fs/cgroup/memory$appPath"
        Get-Content "$memory/memory.limit_in_bytes" | Should -Be 268435456
        Get-Content "$memory/cgroup.procs" | Should -Contain "$($app.Pid)"
        $cpu = "/sys/fs/cgroup/cpu$appPath"
        Get-Content "$cpu/cpu.cfs_quota_us" | Should -Be 50000
        Get-Content "$cpu/cpu.cfs_period_us" | Should -Be 100000
        Get-Content "$cpu/cpu.shares" | Should -Be 512
        Get-Content "/sys/fs/cgroup/memory$($sidecar.CgroupPath)/memory.limit_in_bytes" | Should -Be 134217728
        Get-Content "/proc/$($sidecar.Pid)/cgroup" | Where-Object { $_ -match ':memory:' } | Should -Match "$($pod.Uid)/sidecar$"
    }

    It 'sets the pod cgroup''s memory limit to the sum of its containers''' {
        Get-Content "/sys/fs/cgroup/memory$((Get-Pod $name).CgroupPath)/memory.limit_in_bytes" | Should -Be (256MB + 128MB)
    }

    It 'runs a command and leaves its exit code in $LASTEXITCODE' {
        Invoke-PodCommand -Pod $name -Container sidecar -- sh -c 'echo out; exit 7' | Should -Be 'out'
        $LASTEXITCODE | Should -Be 7
    }

    It 'rejects a duplicate container name' {
        $err = $null
        $pod | Add-PodContainer -Name app -Image host -Command sleep, 1 -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ContainerAlreadyExists,*'
        (Get-PodContainer -Pod $name -Name app).Pid | Should -Be $app.Pid
    }
}

Describe 'Add-PodContainer: isolation' {
    BeforeAll {
        $name = New-TestPodName 'iso'
        # A node-only mount: the host image's overlay sees the root filesystem, not this tmpfs.
        $marker = "/tmp/podshell-marker-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
        New-Item -ItemType Directory $marker | Out-Null
        & mount -t tmpfs tmpfs $marker
        Set-Content "$marker/secret" 'node-only'
        $c = New-PodSandbox -Name $name | Add-PodContainer -Name c -Image host -Command sleep, infinity
    }
    AfterAll {
        Remove-TestPod $name
        & umount $marker
        Remove-Item -Recurse -Force $marker
    }

    It 'sees only its own processes' {
        $ps = Invoke-InPod $name c @('ps', '-e', '-o', 'pid=,comm=')
        $ps.Count | Should -BeLessOrEqual 2
        ($ps | Where-Object { $_.Trim() -match '^1\s' }) | Should -Match 'sleep'
    }

    It 'has an overlay root and no mount of the node''s root (mountinfo)' {
        $mountinfo = Invoke-InPod $name c @('cat', '/proc/1/mountinfo')
        $root = $mountinfo | Where-Object { ($_ -split ' ')[4] -eq '/' }
        $root | Should -HaveCount 1
        $root | Should -Match ' - overlay '
        $nodeRootDevice = ((Get-Content /proc/1/mountinfo | Where-Object { ($_ -split ' ')[4] -eq '/' }) -split ' ')[2]
        $mountinfo | Where-Object { ($_ -split ' ')[2] -eq $nodeRootDevice -and ($_ -split ' ')[3] -eq '/' } | Should -BeNullOrEmpty
    }

    It 'cannot reach node-only files, even through a chroot escape' {
        Invoke-InPod $name c @('ls', '-A', $marker) | Should -BeNullOrEmpty
        $LASTEXITCODE | Should -Be 0 -Because 'the folder is there (from the root filesystem), only empty'
        $escape = "import os; os.makedirs('/tmp/e', exist_ok=True); os.chroot('/tmp/e'); [os.chdir('..') for _ in range(64)]; os.chroot('.'); print(sorted(os.listdir('$marker')))"
        Invoke-InPod $name c @('python3', '-c', $escape) | Should -Be '[]'
    }

    It 'cannot write /proc/sysrq-trigger or /sys' {
        Invoke-InPod $name c @('sh', '-c', 'echo h > /proc/sysrq-trigger')
        $LASTEXITCODE | Should -Not -Be 0
        Invoke-InPod $name c @('sh', '-c', 'touch /sys/podshell-test')
        $LASTEXITCODE | Should -Not -Be 0
        $mountinfo = Invoke-InPod $name c @('cat', '/proc/1/mountinfo')
        $mountinfo | Where-Object { ($_ -split ' ')[4] -eq '/sys' } | Should -Match '\sro[,\s]'
        # This kernel has no /proc/sysrq-trigger, so the read-only /proc/sys bind is the real witness.
        $mountinfo | Where-Object { ($_ -split ' ')[4] -eq '/proc/sys' } | Should -Match '\sro[,\s]'
        Invoke-InPod $name c @('sh', '-c', 'echo 1 > /proc/sys/net/ipv4/ip_forward')
        $LASTEXITCODE | Should -Not -Be 0
    }

    It 'keeps only containerd''s default capabilities, and no no_new_privs unless asked (Kubernetes'' default)' {
        $status = Invoke-InPod $name c @('cat', '/proc/self/status')
        ($status | Where-Object { $_ -like 'CapEff:*' }) -split '\s+' | Select-Object -Last 1 | Should -Be '00000000a80425fb'
        ($status | Where-Object { $_ -like 'NoNewPrivs:*' }) | Should -Match '\s0$'
    }

    It 'hides the PodShell state folder from the host image' {
        Invoke-InPod $name c @('ls', '-A', $env:PODSHELL_ROOT) | Should -BeNullOrEmpty
        $LASTEXITCODE | Should -Be 0 -Because 'the folder is there, masked by an empty tmpfs'
        (Invoke-InPod $name c @('cat', '/proc/1/mountinfo')) | Where-Object { ($_ -split ' ')[4] -eq $env:PODSHELL_ROOT } | Should -Match ' - tmpfs '
    }
}

Describe 'Add-PodContainer: a shared process namespace' {
    BeforeAll {
        $name = New-TestPodName 'shr'
        $pod = New-PodSandbox -Name $name -ShareProcessNamespace
        $a = $pod | Add-PodContainer -Name a -Image host -Command sleep, 1001
        $b = $pod | Add-PodContainer -Name b -Image host -Command sleep, 1002
    }
    AfterAll { Remove-TestPod $name }

    It 'shares the pause''s pid namespace (readlink)' {
        $pause = (Get-Pod $name).PausePid
        Get-NamespaceInodeByReadlink $a.Pid pid | Should -Be (Get-NamespaceInodeByReadlink $pause pid)
        Get-NamespaceInodeByReadlink $b.Pid pid | Should -Be (Get-NamespaceInodeByReadlink $pause pid)
        Get-NamespaceInodeByReadlink $a.Pid mnt | Should -Not -Be (Get-NamespaceInodeByReadlink $b.Pid mnt)
    }

    It 'lets ps in one container see the other''s processes, with pause as PID 1' {
        $ps = Invoke-InPod $name a @('ps', '-e', '-o', 'pid=,args=')
        ($ps | Where-Object { $_.Trim() -match '^1\s' }) | Should -Match 'podshell-init pause'
        ($ps -join "`n") | Should -Match 'sleep 1002'
    }
}

Describe 'Add-PodContainer: lifecycle' {
    BeforeAll {
        $name = New-TestPodName 'life'
        $pod = New-PodSandbox -Name $name
    }
    AfterAll { Remove-TestPod $name }

    It 'reports exit code 3 as 3' {
        $pod | Add-PodContainer -Name three -Image host -Command sh, -c, 'exit 3' -RestartPolicy Never | Out-Null
        $c = Wait-Until -Because 'the container to exit' { Get-PodContainer -Pod $name -Name three | Where-Object State -EQ 'Exited' }
        $c.ExitCode | Should -Be 3
        $c.Reason | Should -Be 'Error'
        $c.FinishedAt | Should -Not -BeNullOrEmpty
        $c.RestartCount | Should -Be 0
    }

    It 'restarts with OnFailure, with backoff' {
        $pod | Add-PodContainer -Name flaky -Image host -Command sh, -c, 'exit 1' -RestartPolicy OnFailure | Out-Null
        $c = Wait-Until -TimeoutSeconds 30 -Because 'two restarts' { Get-PodContainer -Pod $name -Name flaky | Where-Object RestartCount -GE 2 }
        $c.RestartCount | Should -BeGreaterOrEqual 2
    }

    It 'does not restart with Never' {
        $pod | Add-PodContainer -Name once -Image host -Command sh, -c, 'exit 1' -RestartPolicy Never | Out-Null
        Wait-Until -Because 'the container to exit' { Get-PodContainer -Pod $name -Name once | Where-Object State -EQ 'Exited' } | Out-Null
        Start-Sleep -Milliseconds 800
        (Get-PodContainer -Pod $name -Name once).RestartCount | Should -Be 0
    }

    It 'does not restart OnFailure after a clean exit' {
        $pod | Add-PodContainer -Name clean -Image host -Command true -RestartPolicy OnFailure | Out-Null
        $c = Wait-Until -Because 'the container to exit' { Get-PodContainer -Pod $name -Name clean | Where-Object State -EQ 'Exited' }
        Start-Sleep -Milliseconds 800
        $c = Get-PodContainer -Pod $name -Name clean
        $c.ExitCode | Should -Be 0
        $c.Reason | Should -Be 'Completed'
        $c.RestartCount | Should -Be 0
    }

    It 'creates without starting with -NoStart, and starts with Start-PodContainer' {
        $c = $pod | Add-PodContainer -Name later -Image host -Command sleep, infinity -NoStart
        $c.State | Should -Be 'Created'
        $c.Pid | Should -BeNullOrEmpty
        $c = Get-PodContainer -Pod $name -Name later | Start-PodContainer -PassThru
        $c.State | Should -Be 'Running'
        Test-ProcessAlive $c.Pid | Should -BeTrue
    }

    It 'stops a container with SIGKILL after the timeout, and stopping again is fine' {
        $c = $pod | Add-PodContainer -Name stubborn -Image host -Command sh, -c, 'trap "" TERM; while true; do sleep 1; done'
        $stopped = $c | Stop-PodContainer -Timeout 1 -PassThru
        $stopped.State | Should -Be 'Exited'
        Test-ProcessAlive $c.Pid | Should -BeFalse
        { $c | Stop-PodContainer -Timeout 1 -ErrorAction Stop } | Should -Not -Throw
        $c | Remove-PodContainer -Confirm:$false
        Get-PodContainer -Pod $name -Name stubborn -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        Test-Path "/sys/fs/cgroup/memory$($c.CgroupPath)" | Should -BeFalse
    }

    It 'keeps the log in the CRI format and reads it back' {
        $c = $pod | Add-PodContainer -Name talker -Image host -Command sh, -c, 'echo hello; echo oops >&2; echo bye; sleep infinity'
        Wait-Until -Because 'the log lines' { (Get-PodLog -Pod $name -Container talker) -contains 'bye' } | Out-Null
        $raw = Get-Content $c.EngineDetails.LogPath
        $raw | Where-Object { $_ -match '^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z stdout F hello$' } | Should -HaveCount 1
        $raw | Where-Object { $_ -match '^\S+ stderr F oops$' } | Should -HaveCount 1
        # stdout and stderr are two pipes, so only each stream's own order is kept (as with kubelet).
        $lines = Get-PodLog -Pod $name -Container talker
        ($lines | Sort-Object) | Should -Be @('bye', 'hello', 'oops')
        ($lines | Where-Object { $_ -ne 'oops' }) | Should -Be @('hello', 'bye')
        Get-PodLog -Pod $name -Container talker -Tail 1 | Should -Be $lines[-1]
        (Get-PodLog -Pod $name -Container talker -Timestamps)[0] | Should -Match '^\d{4}-\d\d-\d\dT\S+Z hello$'
    }
}

Describe 'Get-PodLog -Follow' {
    BeforeAll {
        $name = New-TestPodName 'follow'
        $pod = New-PodSandbox -Name $name
    }
    AfterAll { Remove-TestPod $name }

    It 'streams lines as they come until the container exits' {
        $pod | Add-PodContainer -Name ticker -Image host -Command sh, -c, 'echo first; sleep 1; echo second' -RestartPolicy Never | Out-Null
        $lines = Get-PodLog -Pod $name -Container ticker -Follow
        $lines | Should -Be @('first', 'second')
        (Get-PodContainer -Pod $name -Name ticker).State | Should -Be 'Exited'
    }
}

Describe 'Add-PodContainer: a directory rootfs' {
    BeforeAll {
        $name = New-TestPodName 'rfs'
        $rootfs = Join-Path ([IO.Path]::GetTempPath()) "podshell-rootfs-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
        # A minimal root: sh and cat with the libraries they need.
        foreach ($bin in '/bin/sh', '/bin/cat', '/bin/sleep') {
            $real = (Get-Item $bin).ResolvedTarget ?? $bin
            $files = @($bin) + @(& ldd $real | ForEach-Object { if ($_ -match '(/\S+)') { $Matches[1] } })
            foreach ($f in $files) {
                $target = Join-Path $rootfs $f
                New-Item -ItemType Directory -Force (Split-Path $target) | Out-Null
                Copy-Item -LiteralPath ((Get-Item $f).ResolvedTarget ?? $f) $target -Force
            }
        }
        foreach ($dir in 'proc', 'dev', 'sys', 'etc', 'tmp') { New-Item -ItemType Directory -Force (Join-Path $rootfs $dir) | Out-Null }
        Set-Content (Join-Path $rootfs 'etc/marker') 'from-the-rootfs'
        $pod = New-PodSandbox -Name $name
    }
    AfterAll {
        Remove-TestPod $name
        Remove-Item -Recurse -Force $rootfs
    }

    It 'runs the command from the folder, and writes go to a private upper layer' {
        $c = $pod | Add-PodContainer -Name r -RootFs $rootfs -Command /bin/sh, -c, 'cat /etc/marker; echo x > /etc/written; sleep 1000'
        Wait-Until -Because 'the log line' { (Get-PodLog -Pod $name -Container r) -contains 'from-the-rootfs' } | Out-Null
        Invoke-InPod $name r @('/bin/cat', '/etc/written') | Should -Be 'x'
        Test-Path (Join-Path $rootfs 'etc/written') | Should -BeFalse
    }

    It 'says when the rootfs folder is missing, and makes nothing' {
        $err = $null
        $pod | Add-PodContainer -Name missing -RootFs '/nonexistent/rootfs' -Command /bin/sh -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'RootFsNotFound,*'
        $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        Test-Path (Join-Path $pod.EngineDetails.StateDirectory 'containers/missing') | Should -BeFalse
    }

    It 'says CommandNotFound when the kernel cannot find what the command needs (its interpreter), and makes nothing' {
        $script = Join-Path $rootfs 'bin/broken'
        Set-Content $script "#!/no/such/interpreter`n"
        & chmod 755 $script
        try {
            $err = $null
            $pod | Add-PodContainer -Name broken -RootFs $rootfs -Command /bin/broken -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].FullyQualifiedErrorId | Should -BeLike 'CommandNotFound,*'
            $err[0].Exception.Message | Should -Match 'broken'
            Test-Path (Join-Path $pod.EngineDetails.StateDirectory 'containers/broken') | Should -BeFalse
            Test-Path "/sys/fs/cgroup/memory$($pod.CgroupPath)/broken" | Should -BeFalse
        }
        finally { Remove-Item $script }
    }

    It 'says when the command is not in the image, and makes nothing' {
        $err = $null
        $pod | Add-PodContainer -Name nocmd -RootFs $rootfs -Command python3 -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'CommandNotFound,*'
        $err[0].Exception.Message | Should -Match 'python3'
        Test-Path (Join-Path $pod.EngineDetails.StateDirectory 'containers/nocmd') | Should -BeFalse
        Test-Path "/sys/fs/cgroup/memory$($pod.CgroupPath)/nocmd" | Should -BeFalse
    }
}

Describe 'Add-PodContainer: bad input' {
    BeforeAll {
        $name = New-TestPodName 'bad'
        $pod = New-PodSandbox -Name $name
    }
    AfterAll { Remove-TestPod $name }

    It 'rejects <case>' -ForEach @(
        @{ case = 'an invalid container name'; params = @{ Name = 'App_1'; Command = 'sleep', '1' }; id = 'InvalidContainerName' }
        # PullPolicy Never: the test must not reach for Docker Hub (registry pulls are in Image-Containers.Tests.ps1).
        @{ case = 'an image the store lacks, with -PullPolicy Never'; params = @{ Name = 'img'; Image = 'nginx:latest'; PullPolicy = 'Never'; Command = 'sleep', '1' }; id = 'ImageNotPresent' }
        @{ case = 'a command not on the node'; params = @{ Name = 'cmd'; Command = 'no-such-command-podshell' }; id = 'CommandNotFound' }
        @{ case = 'a bad memory quantity'; params = @{ Name = 'mem'; Command = 'sleep', '1'; Memory = '12XB' }; id = 'InvalidQuantity' }
        @{ case = 'an unknown pod'; params = @{ Pod = 'no-such-pod'; Name = 'x'; Command = 'sleep', '1' }; id = 'PodNotFound' }
    ) {
        if (-not $params.ContainsKey('Pod')) { $params.Pod = $name }
        $err = $null
        Add-PodContainer @params -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike "$id,*"
        $err[0].Exception.Message | Should -Not -BeNullOrEmpty
        @(Get-PodContainer -Pod $name) | Should -HaveCount 0
    }
}
