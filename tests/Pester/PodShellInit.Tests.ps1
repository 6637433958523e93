# podshell-init driven directly (no module cmdlets): a sandbox, containers in it, exec, restart and stop, each
# checked with independent witnesses (readlink of /proc/PID/ns, nsenter + ip, /proc/PID/status, mountinfo).
Describe 'podshell-init' -Tag 'Init' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force

        $script:PodDir = Join-Path $env:PODSHELL_ROOT 'init-pod'
        $script:Hostname = 'podshell-init-test'
        $script:Shims = [System.Collections.Generic.List[object]]::new()
        $script:Containers = [System.Collections.Generic.List[int]]::new()
        New-Item -ItemType Directory -Force $PodDir | Out-Null
        New-Item -ItemType File -Force "$PodDir/netns" | Out-Null
        Set-Content "$PodDir/hostname" $Hostname
        Set-Content "$PodDir/hosts" "127.0.0.1`tlocalhost`n::1`tlocalhost"
        Set-Content "$PodDir/resolv.conf" 'nameserver 127.0.0.1'

        # A pids cgroup of the test run's own root, so the pause can be checked to be born inside it.
        $script:CgroupRoot = "/sys/fs/cgroup/pids/$env:PODSHELL_CGROUP_ROOT_NAME"
        $script:PodCgroup = "$CgroupRoot/init-pod"
        $cgroupProcs = @()
        if (Test-Path /sys/fs/cgroup/pids/cgroup.procs) {
            New-Item -ItemType Directory -Force $PodCgroup | Out-Null
            $cgroupProcs = @("$PodCgroup/cgroup.procs")
        }

        $sandboxSpec = [ordered]@{
            stateDirectory = $PodDir
            hostname       = $Hostname
            cgroupProcs    = $cgroupProcs
            shmPath        = "$PodDir/shm"
            shmSizeBytes   = 64MB
            netnsPinPath   = "$PodDir/netns"
        }
        $sandboxSpec | ConvertTo-Json | Set-Content "$PodDir/sandbox.json"
        $watch = [System.Diagnostics.Stopwatch]::StartNew()
        $script:Sandbox = Invoke-PodShellInit @('sandbox', '--config', "$PodDir/sandbox.json")
        $script:SandboxMilliseconds = $watch.ElapsedMilliseconds
        $script:Pause = [int] $Sandbox.Json.pausePid

        # The namespaces of the node, as this test process sees them (PID 1's links may be unreadable).
        $script:NodePid = if (& readlink /proc/1/ns/net) { 1 } else { $PID }

        function script:New-ContainerSpec {
            param([string] $Name, [string[]] $Arguments, [string] $RestartPolicy = 'Never', [hashtable] $Extra = @{})
            $dir = Join-Path $PodDir $Name
            New-Item -ItemType Directory -Force $dir | Out-Null
            $spec = [ordered]@{
                podName                  = 'init-pod'
                containerName            = $Name
                stateDirectory           = $dir
                pausePid                 = $Sandbox.Json.pausePid
                pauseStartTime           = $Sandbox.Json.pauseStartTime
                joinNamespaces           = @('net', 'ipc', 'uts')
                newPidNamespace          = $true
                rootfs                   = @{ lowerDirs = @('/'); binds = @(); readOnly = $false }
                shmSource                = "$PodDir/shm"
                hostnameFile             = "$PodDir/hostname"
                hostsFile                = "$PodDir/hosts"
                resolvConfFile           = "$PodDir/resolv.conf"
                args                     = $Arguments
                restartPolicy            = $RestartPolicy
                backoffBaseMilliseconds  = 200
                backoffMaxMilliseconds   = 1000
                capabilities             = @('CAP_CHOWN', 'CAP_DAC_OVERRIDE', 'CAP_FSETID', 'CAP_FOWNER', 'CAP_MKNOD', 'CAP_NET_RAW',
                    'CAP_SETGID', 'CAP_SETUID', 'CAP_SETFCAP', 'CAP_SETPCAP', 'CAP_NET_BIND_SERVICE', 'CAP_SYS_CHROOT',
                    'CAP_KILL', 'CAP_AUDIT_WRITE')
                noNewPrivileges          = $true
                maskedPaths              = @('/proc/asound', '/proc/acpi', '/proc/kcore', '/proc/keys', '/proc/latency_stats',
                    '/proc/timer_list', '/proc/timer_stats', '/proc/sched_debug', '/proc/scsi', '/sys/firmware',
                    '/sys/devices/virtual/powercap')
                readonlyPaths            = @('/proc/bus', '/proc/fs', '/proc/irq', '/proc/sys', '/proc/sysrq-trigger')
            }
            foreach ($key in $Extra.Keys) { $spec[$key] = $Extra[$key] }
            $spec | ConvertTo-Json -Depth 5 | Set-Content "$dir/config.json"
            "$dir/config.json"
        }

        function script:Start-Container {
            param([string] $Config)
            $result = Invoke-PodShellInit @('shim', '--config', $Config)
            if ($result.Json) {
                $script:Shims.Add($result.Json)
                if ($result.Json.pid) { $script:Containers.Add([int] $result.Json.pid) }
            }
            $result
        }

        function script:Get-Status {
            param([string] $Name)
            Get-Content -Raw -ErrorAction Ignore (Join-Path $PodDir "$Name/status.json") | ConvertFrom-Json
        }

        function script:Invoke-InContainer {
            param([string] $Name, [int] $ProcessId, [string[]] $Command)
            Invoke-PodShellInit (@('exec', '--config', (Join-Path $PodDir "$Name/config.json"), '--pid', $ProcessId, '--') + $Command)
        }
    }

    AfterAll {
        foreach ($shim in $Shims) { Send-Signal $shim.shimPid TERM }
        foreach ($container in $Containers) { Send-Signal $container KILL }
        foreach ($shim in $Shims) { Wait-ProcessExit $shim.shimPid | Out-Null }
        if ($Pause) {
            Send-Signal $Pause TERM
            if (-not (Wait-ProcessExit $Pause)) { Send-Signal $Pause KILL; Wait-ProcessExit $Pause | Out-Null }
        }
        foreach ($mount in "$PodDir/netns", "$PodDir/shm") {
            if (Get-Content /proc/self/mountinfo | Where-Object { ($_ -split ' ')[4] -eq $mount }) { & umount -l $mount }
        }
        # rmdir, not Remove-Item: a cgroup folder is removed empty-handed, its files go with it.
        foreach ($cgroup in $PodCgroup, $CgroupRoot) {
            if (Test-Path $cgroup) { [System.IO.Directory]::Delete($cgroup) }
        }
        Remove-Item -Recurse -Force -ErrorAction Ignore $PodDir
    }

    Context 'sandbox' {
        It 'reports ok with the pause pid and its start time' {
            $Sandbox.ExitCode | Should -Be 0 -Because $Sandbox.Stdout
            $Sandbox.Json.ok | Should -BeTrue
            $Pause | Should -BeGreaterThan 0
            $stat = Get-Content -Raw "/proc/$Pause/stat"
            [uint64] ($stat.Substring($stat.LastIndexOf(')') + 2) -split ' ')[19] | Should -Be $Sandbox.Json.pauseStartTime
            Write-Host "sandbox created in $SandboxMilliseconds ms (including the pwsh process start)"
        }

        It 'gives the pause new net, ipc, uts, pid and mnt namespaces' {
            foreach ($type in 'net', 'ipc', 'uts', 'pid', 'mnt') {
                Get-NamespaceInodeByReadlink $Pause $type | Should -Not -Be (Get-NamespaceInodeByReadlink $NodePid $type) -Because $type
            }
        }

        It 'makes the pause PID 1 of its pid namespace' {
            (Get-Content "/proc/$Pause/status" | Where-Object { $_ -like 'NSpid:*' }) -split '\s+' | Select-Object -Last 1 | Should -Be '1'
        }

        It 'pins the net namespace where nsenter and ip find lo up' {
            $link = & nsenter "--net=$PodDir/netns" ip -o link show lo
            $link | Should -Match 'state UNKNOWN|<LOOPBACK,UP'
            $link | Should -Match '<[^>]*\bUP\b'
            & nsenter -t $Pause -n readlink /proc/self/ns/net | Should -Be (& readlink "/proc/$Pause/ns/net")
        }

        It 'sets the pod hostname in the new uts namespace' {
            & nsenter -t $Pause -u hostname | Should -Be $Hostname
            & hostname | Should -Not -Be $Hostname
        }

        It 'mounts the pod shm tmpfs on the node' {
            $line = Get-Content /proc/self/mountinfo | Where-Object { ($_ -split ' ')[4] -eq "$PodDir/shm" }
            $line | Should -Match ' - tmpfs '
            $line | Should -Match 'size=65536k'
        }

        It 'starts the pause inside the cgroups it was given' -Skip:(-not (Test-Path /sys/fs/cgroup/pids/cgroup.procs)) {
            Get-Content "$PodCgroup/cgroup.procs" | Should -Contain "$Pause"
        }

        It 'runs the pause with its signals blocked in every thread and no zombie children' {
            foreach ($task in Get-ChildItem "/proc/$Pause/task") {
                $mask = (Get-Content "$($task.FullName)/status" | Where-Object { $_ -like 'SigBlk:*' }) -replace 'SigBlk:\s*', ''
                ([Convert]::ToUInt64($mask, 16) -band 0x14002) | Should -Be 0x14002
            }
        }
    }

    Context 'a running container' {
        BeforeAll {
            $config = New-ContainerSpec -Name 'app' -Arguments @('sh', '-c', 'echo hello; echo oops >&2; exec sleep 300')
            $script:App = Start-Container $config
            $script:AppPid = [int] $App.Json.pid
        }

        It 'starts and reports the shim and container pids' {
            $App.ExitCode | Should -Be 0 -Because $App.Stdout
            $App.Json.ok | Should -BeTrue
            Test-ProcessAlive $App.Json.shimPid | Should -BeTrue
            Test-ProcessAlive $AppPid | Should -BeTrue
        }

        It 'shares net, ipc and uts with the pause but has its own mnt and pid' {
            foreach ($type in 'net', 'ipc', 'uts') {
                Get-NamespaceInodeByReadlink $AppPid $type | Should -Be (Get-NamespaceInodeByReadlink $Pause $type) -Because $type
            }
            foreach ($type in 'mnt', 'pid') {
                Get-NamespaceInodeByReadlink $AppPid $type | Should -Not -Be (Get-NamespaceInodeByReadlink $Pause $type) -Because $type
                Get-NamespaceInodeByReadlink $AppPid $type | Should -Not -Be (Get-NamespaceInodeByReadlink $NodePid $type) -Because $type
            }
        }

        It 'keeps the shim in the pod net namespace and in its own session' {
            $shim = [int] $App.Json.shimPid
            Get-NamespaceInodeByReadlink $shim 'net' | Should -Be (Get-NamespaceInodeByReadlink $Pause 'net')
            $stat = Get-Content -Raw "/proc/$shim/stat"
            ($stat.Substring($stat.LastIndexOf(')') + 2) -split ' ')[3] | Should -Be "$shim" # session id
        }

        It 'writes status.json Running with the pid' {
            $status = Get-Status 'app'
            $status.state | Should -Be 'Running'
            $status.pid | Should -Be $AppPid
            $status.pidStartTime | Should -Be $App.Json.pidStartTime
            $status.restartCount | Should -Be 0
        }

        It 'logs stdout and stderr lines in the CRI format' {
            $log = Wait-Until { $l = Get-Content -ErrorAction Ignore "$PodDir/app/container.log"; if (@($l).Count -ge 2) { $l } }
            $log | Should -Contain ($log | Where-Object { $_ -match '^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z stdout F hello$' })
            @($log | Where-Object { $_ -match '^\S+Z stdout F hello$' }).Count | Should -Be 1
            @($log | Where-Object { $_ -match '^\S+Z stderr F oops$' }).Count | Should -Be 1
        }

        It 'runs the command as PID 1 with the default capabilities and no_new_privs' {
            $status = Get-Content "/proc/$AppPid/status"
            ($status | Where-Object { $_ -like 'NSpid:*' }) -split '\s+' | Select-Object -Last 1 | Should -Be '1'
            ($status | Where-Object { $_ -like 'CapEff:*' }) -replace 'CapEff:\s*', '' | Should -Be '00000000a80425fb'
            ($status | Where-Object { $_ -like 'CapBnd:*' }) -replace 'CapBnd:\s*', '' | Should -Be '00000000a80425fb'
            ($status | Where-Object { $_ -like 'NoNewPrivs:*' }) -replace 'NoNewPrivs:\s*', '' | Should -Be '1'
            Get-Content -Raw "/proc/$AppPid/cmdline" | Should -Be "sleep`0300`0"
        }

        It 'exec runs in the pod uts namespace' {
            $result = Invoke-InContainer 'app' $AppPid @('hostname')
            $result.ExitCode | Should -Be 0 -Because $result.Stderr
            $result.Stdout | Should -Be $Hostname
        }

        It 'exec reports the exit code of the command' {
            (Invoke-InContainer 'app' $AppPid @('sh', '-c', 'exit 7')).ExitCode | Should -Be 7
        }

        It 'exec says 127 and why when the command is not in the container' {
            $result = Invoke-InContainer 'app' $AppPid @('podshell-no-such-command')
            $result.ExitCode | Should -Be 127
            $result.Stderr | Should -Match 'executable file not found'
        }

        It 'exec sees the container pid namespace, environment and working directory' {
            $result = Invoke-PodShellInit @('exec', '--config', "$PodDir/app/config.json", '--pid', $AppPid, '--workdir', '/tmp',
                '--env', 'GREETING=hi', '--', 'sh', '-c', 'echo "$GREETING $HOSTNAME $(pwd) $(cat /proc/1/cmdline | tr "\0" " ")"')
            $result.Stdout | Should -Be "hi $Hostname /tmp sleep 300 "
        }

        It 'mounts /proc/sys read-only and /sys read-only' {
            (Invoke-InContainer 'app' $AppPid @('sh', '-c', 'echo x > /proc/sysrq-trigger')).ExitCode | Should -Not -Be 0
            $result = Invoke-InContainer 'app' $AppPid @('sh', '-c', 'echo x > /proc/sys/kernel/hostname')
            $result.ExitCode | Should -Not -Be 0
            $result.Stderr | Should -Match 'Read-only file system'
            $result = Invoke-InContainer 'app' $AppPid @('touch', '/sys/podshell')
            $result.ExitCode | Should -Not -Be 0
            $result.Stderr | Should -Match 'Read-only file system'
        }

        It 'masks /proc/keys and /proc/timer_list with /dev/null' {
            (Invoke-InContainer 'app' $AppPid @('sh', '-c', 'wc -c < /proc/keys; wc -c < /proc/timer_list')).Stdout | Should -Be "0`n0"
        }

        It 'builds /dev with the default nodes, devpts, shm and mqueue' {
            $result = Invoke-InContainer 'app' $AppPid @('sh', '-c', 'ls /dev | tr "\n" " "; echo x > /dev/null && echo null-ok')
            $result.Stdout | Should -Match 'full mqueue null ptmx pts random shm stderr stdin stdout tty urandom zero'
            $result.Stdout | Should -Match 'null-ok'
            (Invoke-InContainer 'app' $AppPid @('sh', '-c', 'echo pod > /dev/shm/podshell-test')).ExitCode | Should -Be 0
            Get-Content "$PodDir/shm/podshell-test" | Should -Be 'pod'
        }

        It 'shows no node root in the container mountinfo' {
            $nodeRoot = (Get-Content /proc/self/mountinfo | Where-Object { ($_ -split ' ')[4] -eq '/' } | Select-Object -First 1) -split ' '
            $inside = (Invoke-InContainer 'app' $AppPid @('cat', '/proc/1/mountinfo')).Stdout -split "`n"
            ($inside | Where-Object { ($_ -split ' ')[4] -eq '/' }) | Should -Match ' - overlay '
            $inside | Where-Object { $f = $_ -split ' '; $f[2] -eq $nodeRoot[2] -and $f[3] -eq '/' } | Should -BeNullOrEmpty
        }

        It 'uses the pod hostname file and keeps writes in the container upper layer' {
            (Invoke-InContainer 'app' $AppPid @('cat', '/etc/hostname')).Stdout | Should -Be $Hostname
            (Invoke-InContainer 'app' $AppPid @('sh', '-c', 'echo x > /podshell-upper-test')).ExitCode | Should -Be 0
            Test-Path /podshell-upper-test | Should -BeFalse
        }

        It 'stops on SIGTERM: forwards it, waits for the kill, writes Exited and exits' {
            $shim = [int] $App.Json.shimPid
            Send-Signal $shim TERM
            Start-Sleep -Milliseconds 200
            # sleep as PID 1 of its namespace has no SIGTERM handler: the caller kills it, as the module does after its timeout.
            Test-ProcessAlive $shim | Should -BeTrue
            Send-Signal $AppPid KILL
            Wait-ProcessExit $shim | Should -BeTrue
            $status = Get-Status 'app'
            $status.state | Should -Be 'Exited'
            $status.exitCode | Should -Be 137
            $status.reason | Should -Be 'Error'
        }
    }

    Context 'exit codes and restarts' {
        It 'reports exit code 3 and does not restart with RestartPolicy Never' {
            $result = Start-Container (New-ContainerSpec -Name 'three' -Arguments @('sh', '-c', 'exit 3'))
            $result.Json.ok | Should -BeTrue
            Wait-ProcessExit $result.Json.shimPid | Should -BeTrue
            $status = Get-Status 'three'
            $status.state | Should -Be 'Exited'
            $status.exitCode | Should -Be 3
            $status.reason | Should -Be 'Error'
            $status.restartCount | Should -Be 0
        }

        It 'reports Completed for exit code 0' {
            $result = Start-Container (New-ContainerSpec -Name 'done' -Arguments @('true'))
            Wait-ProcessExit $result.Json.shimPid | Should -BeTrue
            (Get-Status 'done').reason | Should -Be 'Completed'
            (Get-Status 'done').exitCode | Should -Be 0
        }

        It 'restarts with OnFailure and backoff, counting restarts, and stops during a backoff' {
            $result = Start-Container (New-ContainerSpec -Name 'crash' -Arguments @('sh', '-c', 'echo run; exit 1') -RestartPolicy 'OnFailure')
            $result.Json.ok | Should -BeTrue
            $status = Wait-Until { $s = Get-Status 'crash'; if ($s.restartCount -ge 2) { $s } }
            $status.restartCount | Should -BeGreaterOrEqual 2
            $waiting = Wait-Until { $s = Get-Status 'crash'; if ($s.state -eq 'Waiting') { $s } }
            $waiting.reason | Should -Be 'CrashLoopBackOff'
            $waiting.nextRestartAt | Should -Not -BeNullOrEmpty
            @(Get-Content "$PodDir/crash/container.log" | Where-Object { $_ -match 'stdout F run$' }).Count | Should -BeGreaterOrEqual 3
            Send-Signal $result.Json.shimPid TERM
            Wait-ProcessExit $result.Json.shimPid | Should -BeTrue
            (Get-Status 'crash').state | Should -Be 'Exited'
        }

        It 'does not restart a clean exit with OnFailure' {
            $result = Start-Container (New-ContainerSpec -Name 'clean' -Arguments @('true') -RestartPolicy 'OnFailure')
            Wait-ProcessExit $result.Json.shimPid | Should -BeTrue
            (Get-Status 'clean').restartCount | Should -Be 0
        }

        It 'writes a partial line as P at EOF' {
            $result = Start-Container (New-ContainerSpec -Name 'partial' -Arguments @('printf', 'no-newline'))
            Wait-ProcessExit $result.Json.shimPid | Should -BeTrue
            Get-Content "$PodDir/partial/container.log" | Should -Match '^\S+Z stdout P no-newline$'
        }
    }

    Context 'failures' {
        It 'reports a missing command with ok=false, a clear error and no leftovers' {
            $result = Start-Container (New-ContainerSpec -Name 'missing' -Arguments @('podshell-no-such-command'))
            $result.ExitCode | Should -Be 1
            $result.Json.ok | Should -BeFalse
            $result.Json.error | Should -Match 'podshell-no-such-command.*executable file not found'
            Test-ProcessAlive $result.Json.shimPid | Should -BeFalse
            $status = Get-Status 'missing'
            $status.state | Should -Be 'Exited'
            $status.reason | Should -Be 'StartError'
            $status.exitCode | Should -Be 127
            Get-Content /proc/self/mountinfo | Where-Object { ($_ -split ' ')[4] -like "$PodDir/missing*" } | Should -BeNullOrEmpty
        }

        It 'refuses to start a container in a pod whose pause is gone' {
            $config = New-ContainerSpec -Name 'orphan' -Arguments @('true') -Extra @{ pauseStartTime = 1 }
            $result = Start-Container $config
            $result.Json.ok | Should -BeFalse
            $result.Json.error | Should -Match 'pause process .* is not running'
        }

        It 'answers a bad sandbox config with ok=false and the reason, leaving no mount' {
            $dir = Join-Path $PodDir 'bad-sandbox'
            New-Item -ItemType Directory -Force $dir | Out-Null
            @{ stateDirectory = $dir; hostname = 'x'; shmPath = "$dir/shm"; netnsPinPath = "$dir/missing-pin" } | ConvertTo-Json |
                Set-Content "$dir/sandbox.json"
            $result = Invoke-PodShellInit @('sandbox', '--config', "$dir/sandbox.json")
            $result.ExitCode | Should -Be 1
            $result.Json.ok | Should -BeFalse
            $result.Json.error | Should -Match 'missing-pin'
            Get-Content /proc/self/mountinfo | Where-Object { ($_ -split ' ')[4] -like "$dir*" } | Should -BeNullOrEmpty
        }
    }
}
