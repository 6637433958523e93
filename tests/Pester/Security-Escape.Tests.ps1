# The escape suite (issue 7): each case is tried from inside a container (or with the caller's own fds), and the
# outcome is read from the kernel (/proc/PID/fd, /proc/PID/status, the node's files), not from PodShell.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-PodShellUnderTest

    function Invoke-InPod([string] $Pod, [string] $Container, [string[]] $Command) {
        Invoke-PodCommand -Pod $Pod -Container $Container -Command $Command -ErrorAction SilentlyContinue 2>&1 | ForEach-Object { "$_" }
    }

    # The fds of a process as "N -> target" (readlink), without 0-2.
    function Get-OpenFd([int] $ProcessId) {
        Get-ChildItem "/proc/$ProcessId/fd" -ErrorAction Ignore | Where-Object { [int] $_.Name -gt 2 } |
            ForEach-Object { '{0} -> {1}' -f $_.Name, (& readlink "/proc/$ProcessId/fd/$($_.Name)") }
    }

    function Get-ParentProcessId([int] $ProcessId) {
        [int] ((Get-Content "/proc/$ProcessId/status" | Where-Object { $_ -like 'PPid:*' }) -split '\s+')[1]
    }
}

Describe 'Escape: no file descriptor of the caller in any process PodShell starts' -Tag 'Security' {
    BeforeAll {
        $name = New-TestPodName 'fds'
        $script:Marker = "/tmp/podshell-escape-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
        $witness = "$Marker.witness"
        $pwsh = @([System.Environment]::ProcessPath)
        if ((Split-Path -Leaf $pwsh[0]) -like 'dotnet*') { $pwsh += Join-Path $PSHOME 'pwsh.dll' }
        $module = Join-Path $env:PODSHELL_TEST_MODULE 'PodShell.psd1'
        # A caller session with fd 7 on the node's / and fd 8 on a node file, as `exec 7</ 8>>file` in a shell.
        $script = @"
Import-Module '$module'
`$pod = New-PodSandbox -Name '$name'
`$c = `$pod | Add-PodContainer -Name c -Image host -Command sleep, infinity
`$exec = Invoke-PodCommand -Pod '$name' -Container c -- sh -c 'ls /proc/self/fd; echo x > /proc/self/fd/7/$($Marker.TrimStart('/')); echo rc=`$?' 2>&1 | ForEach-Object { "`$_" }
[pscustomobject]@{ Pause = `$pod.PausePid; Container = `$c.Pid; Exec = `$exec } | ConvertTo-Json -Compress
"@
        $scriptFile = "$Marker.ps1"
        Set-Content $scriptFile $script
        $quoted = ($pwsh | ForEach-Object { "'$_'" }) -join ' '
        $output = & bash -c "exec 7</ 8>>'$witness'; exec $quoted -NoProfile -NonInteractive -File '$scriptFile'"
        $script:Result = ($output | Where-Object { $_ -like '{*' } | Select-Object -Last 1) | ConvertFrom-Json
        $script:Shim = Get-ParentProcessId $Result.Container
        Remove-Item $scriptFile, $witness -ErrorAction Ignore
    }
    AfterAll {
        Remove-TestPod $name
        Remove-Item $Marker -ErrorAction Ignore
    }

    It 'made the pod from a session that held fds 7 and 8' {
        $Result.Container | Should -BeGreaterThan 0
        $Result.Pause | Should -BeGreaterThan 0
        $Shim | Should -BeGreaterThan 1
        (Get-Content "/proc/$Shim/cmdline" -Raw) | Should -Match 'podshell-init'
    }

    It 'leaves no fd above 2 in the container, and none of the caller''s in the pause and the shim (/proc/PID/fd)' {
        Get-OpenFd $Result.Container | Should -BeNullOrEmpty
        foreach ($daemon in $Result.Pause, $Shim) {
            $fds = @(Get-OpenFd $daemon)
            $fds | Should -Not -Contain '7 -> /'
            $fds | Where-Object { $_ -like "* -> $Marker*" -or $_ -match ' -> /$' } | Should -BeNullOrEmpty
            # What remains is the daemon's own: signalfd, pid namespace, log, pipes of the container, urandom of the runtime.
            $fds | Where-Object { $_ -notmatch 'signalfd|container\.log|pipe:|pid:\[|/dev/urandom' } | Should -BeNullOrEmpty
        }
        foreach ($daemon in $Result.Pause, $Shim) {
            [int] (& ps -o sid= -p $daemon).Trim() | Should -Be $daemon -Because 'the daemons lead sessions of their own'
            & readlink "/proc/$daemon/fd/0" | Should -Be '/dev/null'
        }
    }

    It 'gives an exec''d process no fd 7, so it cannot write on the node through it' {
        $Result.Exec | Should -Not -Contain '7'
        $Result.Exec | Should -Not -Contain 'rc=0'
        Test-Path $Marker | Should -BeFalse
    }
}

# Every role closes the caller's fds above 2 first. Kernels before 5.9 have no close_range: a seccomp filter that
# answers ENOSYS for it stands in for one (and a /proc hidden under a tmpfs for a node without /proc), so the fallbacks
# run for real. podshell-init's pause role stays up to be looked at.
Describe 'Escape: the caller''s fds are closed without close_range too' -Tag 'Security' {
    BeforeAll {
        $script:Work = Join-Path ([IO.Path]::GetTempPath()) "podshell-closefds-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
        New-Item -ItemType Directory -Force $Work | Out-Null
        $script:Marker = "$Work/marker"
        Set-Content $Marker 'caller file'
        # Opens the marker as fd 7 and / as fd 8 (inheritable), loads a filter making close_range fail with ENOSYS, execs.
        Set-Content "$Work/noclose.py" @"
import ctypes, os, sys
init, marker = sys.argv[1], sys.argv[2]
os.dup2(os.open(marker, os.O_RDONLY), 7)
os.dup2(os.open('/', os.O_RDONLY), 8)
lib = ctypes.CDLL('libseccomp.so.2', use_errno=True)
lib.seccomp_init.restype = ctypes.c_void_p
ctx = ctypes.c_void_p(lib.seccomp_init(0x7fff0000))
nr = lib.seccomp_syscall_resolve_name(b'close_range')
assert lib.seccomp_rule_add(ctx, 0x00050000 | 38, nr, 0) == 0
assert lib.seccomp_load(ctx) == 0
os.execv(init, [init, 'pause'])
"@
    }
    AfterAll { Remove-Item -Recurse -Force $Work -ErrorAction Ignore }

    It 'leaves none of them in the process when close_range is <Case>' -TestCases @(
        @{ Case = 'refused with ENOSYS (the /proc/self/fd listing)'; Wrapper = @() }
        @{ Case = 'refused and /proc is not there (every fd up to the limit)'; Wrapper = @('unshare', '-m', 'sh', '-c', 'mount -t tmpfs podshell-test-noproc /proc && exec "$@"', 'sh') }
    ) {
        $command = @($Wrapper) + @('python3', "$Work/noclose.py", (Get-PodShellInitPath), $Marker)
        $psi = [System.Diagnostics.ProcessStartInfo]::new($command[0])
        foreach ($a in $command | Select-Object -Skip 1) { $psi.ArgumentList.Add($a) }
        $psi.UseShellExecute = $false
        $process = [System.Diagnostics.Process]::Start($psi)
        $id = $process.Id
        try {
            Wait-Until -Because 'podshell-init pause to run' { ((Get-Content -Raw -ErrorAction Ignore "/proc/$id/cmdline") -replace "`0", ' ') -match 'podshell-init pause' } | Out-Null
            Wait-Until -Because 'the pause to wait for signals' { Get-OpenFd $id | Where-Object { $_ -match 'signalfd' } } | Out-Null
            (Get-Content "/proc/$id/status" | Where-Object { $_ -like 'Seccomp:*' }) | Should -Match '2$' -Because 'the ENOSYS filter is on'
            $fds = @(Get-OpenFd $id)
            $fds | Should -Not -Match '^[78] '
            $fds | Should -Not -Match ([regex]::Escape($Marker))
            $fds | Should -Not -Match ' -> /$'
            $fds | Should -HaveCount 1 -Because 'only the signalfd of its own is open above 2'
        }
        finally {
            Send-Signal $id TERM
            if (-not $process.WaitForExit(5000)) { $process.Kill() }
        }
    }
}

Describe 'Escape: devices, syscalls and kernel keys are fenced' -Tag 'Security' {
    BeforeAll {
        $name = New-TestPodName 'fence'
        $pod = New-PodSandbox -Name $name
        $c = $pod | Add-PodContainer -Name c -Image host -Command sleep, infinity
        $script:Cgroup = $c.CgroupPath
        # keyctl(KEYCTL_GET_KEYRING_ID, KEY_SPEC_USER_KEYRING, 1) by syscall number: keyutils is not installed.
        $script:Keyctl = 'import ctypes,os; n={"x86_64":250,"aarch64":219}[os.uname().machine]; l=ctypes.CDLL(None,use_errno=True); r=l.syscall(n,0,-4,1); print("keyctl", r, ctypes.get_errno())'
        $script:Profile = Join-Path ([IO.Path]::GetTempPath()) "podshell-seccomp-$([guid]::NewGuid().ToString('N').Substring(0, 8)).json"
    }
    AfterAll {
        Remove-TestPod $name
        Remove-Item $Profile -ErrorAction Ignore
    }

    It 'cannot open a block or a char device it made with mknod' {
        $out = Invoke-InPod $name c @('sh', '-c', 'mknod /dev/blk b 7 0 && echo made-b; mknod /dev/mem1 c 1 1 && echo made-c; head -c1 /dev/blk >/dev/null && echo OPENED-b; head -c1 /dev/mem1 >/dev/null && echo OPENED-c; echo ok > /dev/null && echo null-ok')
        $out | Should -Contain 'made-b'
        $out | Should -Contain 'made-c'
        $out | Should -Not -Contain 'OPENED-b'
        $out | Should -Not -Contain 'OPENED-c'
        $out | Should -Contain 'null-ok'
    }

    It 'has runc''s device list in the container''s devices cgroup, and the container sits in every v1 hierarchy' -Skip:(-not (Test-Path /sys/fs/cgroup/devices/devices.list)) {
        $list = Get-Content "/sys/fs/cgroup/devices/$($Cgroup.TrimStart('/'))/devices.list"
        $list | Should -Not -Contain 'a *:* rwm'
        foreach ($rule in 'c *:* m', 'b *:* m', 'c 1:3 rwm', 'c 1:5 rwm', 'c 1:7 rwm', 'c 1:8 rwm', 'c 1:9 rwm', 'c 5:0 rwm', 'c 5:1 rwm', 'c 5:2 rwm', 'c 136:* rwm') {
            $list | Should -Contain $rule
        }
        $list | Should -HaveCount 11
        $c = Get-PodContainer -Pod $name -Name c
        $joined = Get-Content "/proc/$($c.Pid)/cgroup"
        foreach ($controller in 'devices', 'freezer', 'blkio', 'cpuset', 'memory', 'pids') {
            if (Test-Path "/sys/fs/cgroup/$controller/cgroup.procs") {
                $joined | Where-Object { $_ -match "^\d+:([^:]*\b$controller\b[^:]*):$([regex]::Escape($Cgroup))$" } | Should -Not -BeNullOrEmpty -Because "$controller is joined"
            }
        }
    }

    It 'runs the container and exec''d processes under the RuntimeDefault filter, without no_new_privs by default as Kubernetes (/proc/PID/status)' {
        $c = Get-PodContainer -Pod $name -Name c
        $status = Get-Content "/proc/$($c.Pid)/status"
        $status | Should -Contain "Seccomp:`t2"
        $status | Should -Contain "NoNewPrivs:`t0"
        $capEff = $status | Where-Object { $_ -like 'CapEff:*' }
        $exec = Invoke-InPod $name c @('sh', '-c', 'grep -E "^(Seccomp|NoNewPrivs|CapEff):" /proc/self/status')
        $exec | Should -Contain "Seccomp:`t2"
        $exec | Should -Contain "NoNewPrivs:`t0"
        $exec | Should -Contain $capEff
    }

    It 'refuses unshare -U, mount and keyctl inside the container' {
        $out = Invoke-InPod $name c @('sh', '-c', 'unshare -U true && echo UNSHARED; unshare -Urm true && echo UNSHARED-M; true')
        $out | Should -Not -Contain 'UNSHARED'
        $out | Should -Not -Contain 'UNSHARED-M'
        Invoke-InPod $name c @('python3', '-c', $Keyctl) | Should -Be 'keyctl -1 1'
        & python3 -c $Keyctl | Should -Not -Be 'keyctl -1 1' -Because 'the node itself allows keyctl (the test would prove nothing otherwise)'
    }

    It 'loads a profile file in the Docker format instead, and none with Unconfined' {
        @{ defaultAction = 'SCMP_ACT_ALLOW'; syscalls = @(@{ names = @('mkdir', 'mkdirat'); action = 'SCMP_ACT_ERRNO'; errnoRet = 13 }) } | ConvertTo-Json -Depth 5 | Set-Content $Profile
        $p = Add-PodContainer -Pod $name -Name p -Image host -Command sleep, infinity -SeccompProfile $Profile
        Get-Content "/proc/$($p.Pid)/status" | Should -Contain "Seccomp:`t2"
        Invoke-InPod $name p @('python3', '-c', $Keyctl) | Should -Not -Be 'keyctl -1 1'
        Invoke-InPod $name p @('sh', '-c', 'mkdir /tmp/x 2>&1; echo rc=$?') | Should -Contain 'rc=1'
        $u = Add-PodContainer -Pod $name -Name u -Image host -Command sleep, infinity -SeccompProfile Unconfined
        Get-Content "/proc/$($u.Pid)/status" | Should -Contain "Seccomp:`t0"
    }

    It 'gives a privileged container every capability the node has, every device and no filter' {
        $v = Add-PodContainer -Pod $name -Name v -Image host -Command sleep, infinity -Privileged
        $status = Get-Content "/proc/$($v.Pid)/status"
        $status | Should -Contain "Seccomp:`t0"
        ($status | Where-Object { $_ -like 'CapEff:*' }) | Should -Be ((Get-Content "/proc/$PID/status") | Where-Object { $_ -like 'CapBnd:*' }).Replace('CapBnd', 'CapEff')
        if (Test-Path /sys/fs/cgroup/devices/devices.list) {
            Get-Content "/sys/fs/cgroup/devices/$($v.CgroupPath.TrimStart('/'))/devices.list" | Should -Be 'a *:* rwm'
        }
    }

    It 'refuses a profile that is not one, and makes nothing' {
        Set-Content $Profile '{ "defaultAction": "SCMP_ACT_ALLOW", "syscalls": [ { "names": ["mkdir"], "action": "SCMP_ACT_BOGUS" } ] }'
        $err = $null
        Add-PodContainer -Pod $name -Name bad -Image host -Command sleep, infinity -SeccompProfile $Profile -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'SeccompProfileInvalid,*'
        $err[0].Exception.Message | Should -Match 'SCMP_ACT_BOGUS'
        Get-PodContainer -Pod $name | Where-Object Name -EQ 'bad' | Should -BeNullOrEmpty
        $err = $null
        Add-PodContainer -Pod $name -Name bad -Image host -Command sleep, infinity -SeccompProfile '/nonexistent/profile.json' -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'SeccompProfileNotFound,*'
    }
}

Describe 'Escape: a seccomp program from the node''s cache is the one libseccomp compiles' -Tag 'Security' {
    BeforeAll {
        $name = New-TestPodName 'bpfcache'
        $script:SavedCacheRoot = $env:PODSHELL_CACHE_ROOT
        $script:CacheRoot = "/run/podshell-cache-escape-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
        $env:PODSHELL_CACHE_ROOT = $CacheRoot
        # The filter a process runs under, as the kernel hands it to a tracer (PTRACE_SECCOMP_GET_FILTER), in hex.
        $script:DumpFilter = @'
import ctypes, os, sys
libc = ctypes.CDLL(None, use_errno=True)
libc.ptrace.argtypes = [ctypes.c_long, ctypes.c_long, ctypes.c_void_p, ctypes.c_void_p]
pid = int(sys.argv[1])
if libc.ptrace(0x4206, pid, None, None) != 0: sys.exit("PTRACE_SEIZE: errno %d" % ctypes.get_errno())
libc.ptrace(0x4207, pid, None, None)
os.waitpid(pid, 0x40000000)
try:
    n = libc.ptrace(0x420c, pid, None, None)
    if n <= 0: sys.exit("PTRACE_SECCOMP_GET_FILTER: errno %d" % ctypes.get_errno())
    buf = ctypes.create_string_buffer(n * 8)
    libc.ptrace(0x420c, pid, None, buf)
    print(buf.raw.hex())
finally:
    libc.ptrace(17, pid, None, None)
'@
        function Get-LoadedFilter([int] $ProcessId) { & python3 -c $DumpFilter $ProcessId }
        function Get-CacheFile { @(Get-ChildItem -Force "$CacheRoot/seccomp") }
        # The program stored in a cache file (after its 32-byte header), in hex.
        function Get-CachedProgram([string] $Path) { [Convert]::ToHexString([IO.File]::ReadAllBytes($Path)[32..((Get-Item $Path).Length - 1)]).ToLowerInvariant() }
        function Add-Probe([string] $Container) {
            $c = Add-PodContainer -Pod $name -Name $Container -Image host -Command sleep, infinity
            Get-LoadedFilter $c.Pid
        }
        New-PodSandbox -Name $name | Out-Null
        $script:Cold = Add-Probe cold
    }
    AfterAll {
        Remove-TestPod $name
        $env:PODSHELL_CACHE_ROOT = $SavedCacheRoot
        Remove-Item -Recurse -Force $CacheRoot -ErrorAction Ignore
    }

    It 'compiles the profile once and keeps the program in a folder and file only root may write' {
        $Cold | Should -Match '^([0-9a-f]{16})+$'
        $files = Get-CacheFile
        $files | Should -HaveCount 1
        $files[0].Name | Should -Match '^[0-9a-f]{64}\.bpf$'
        & stat -c '%a %u' $CacheRoot "$CacheRoot/seccomp" $files[0].FullName | Should -Be @('700 0', '700 0', '600 0')
        Get-CachedProgram $files[0].FullName | Should -Be $Cold
    }

    It 'loads the stored program, unchanged, into the next container' {
        $before = & stat -c '%i %Y %Z' (Get-CacheFile)[0].FullName
        Add-Probe warm | Should -Be $Cold
        & stat -c '%i %Y %Z' (Get-CacheFile)[0].FullName | Should -Be $before -Because 'the file was read, not written again'
        Get-PodContainer -Pod $name -Name warm | ForEach-Object { Get-Content "/proc/$($_.Pid)/status" } | Should -Contain "Seccomp:`t2"
    }

    It 'compiles again over a <Case> file and replaces it, and the container gets the same program' -ForEach @(
        @{ Case = 'damaged'; Spoil = { param($f) $b = [IO.File]::ReadAllBytes($f); $b[40] = $b[40] -bxor 0xff; [IO.File]::WriteAllBytes($f, $b) } }
        @{ Case = 'truncated'; Spoil = { param($f) $b = [IO.File]::ReadAllBytes($f); [IO.File]::WriteAllBytes($f, $b[0..99]) } }
        @{ Case = 'group-writable'; Spoil = { param($f) & chmod 660 $f } }
        @{ Case = 'foreign'; Spoil = { param($f) & chown 65534 $f } }
    ) {
        $file = (Get-CacheFile)[0].FullName
        & $Spoil $file
        $inode = & stat -c '%i' $file
        Add-Probe $Case | Should -Be $Cold
        Get-CacheFile | Should -HaveCount 1 -Because 'the temporary file is renamed over the old one'
        & stat -c '%a %u' $file | Should -Be '600 0'
        & stat -c '%i' $file | Should -Not -Be $inode
        Get-CachedProgram $file | Should -Be $Cold
    }

    It 'compiles each profile on its own (a profile file gets a program and a file of its own)' {
        $profile = Join-Path ([IO.Path]::GetTempPath()) "podshell-bpf-$([guid]::NewGuid().ToString('N').Substring(0, 8)).json"
        try {
            @{ defaultAction = 'SCMP_ACT_ALLOW'; syscalls = @(@{ names = @('mkdir', 'mkdirat'); action = 'SCMP_ACT_ERRNO'; errnoRet = 13 }) } | ConvertTo-Json -Depth 5 | Set-Content $profile
            $own = Add-PodContainer -Pod $name -Name own -Image host -Command sleep, infinity -SeccompProfile $profile
            $loaded = Get-LoadedFilter $own.Pid
            $loaded | Should -Not -Be $Cold
            $files = Get-CacheFile
            $files | Should -HaveCount 2
            ($files | ForEach-Object { Get-CachedProgram $_.FullName }) | Should -Contain $loaded
        }
        finally { Remove-Item $profile -ErrorAction Ignore }
    }
}

# cgroup v2 has no devices files: the same policy is an eBPF program (BPF_PROG_TYPE_CGROUP_DEVICE). This node's
# unified hierarchy (/sys/fs/cgroup/unified, an empty cgroup2 mount) is a real v2 tree to attach it to; the test's
# cgroup is made there through PodShell's CgroupManager rooted at that path, as on a v2-only node.
Describe 'Escape: on cgroup v2 the devices policy is an eBPF device program' -Tag 'Security' {
    BeforeAll {
        $script:UnifiedRoot = '/sys/fs/cgroup/unified'
        $script:Skip = -not (Test-Path "$UnifiedRoot/cgroup.controllers") -or -not (Get-Command bpftool -ErrorAction Ignore)
        $script:Relative = "$env:PODSHELL_CGROUP_ROOT_NAME/devices-$([guid]::NewGuid().ToString('N').Substring(0, 6))"
        $script:Directory = "$UnifiedRoot/$Relative"
        $script:Nodes = Join-Path ([IO.Path]::GetTempPath()) "podshell-devnodes-$([guid]::NewGuid().ToString('N').Substring(0, 6))"
        # mknod of a block (loop0) and a char device (kmsg) outside the list, and of null; then open each, write null, read zero.
        $script:Probe = 'd=$1; mknod $d/blk b 7 0 && echo made-b; mknod $d/kmsg c 1 11 && echo made-c; mknod $d/null c 1 3 && echo made-null; ' +
            '(exec 3< $d/blk) && echo OPENED-b; (exec 3< $d/kmsg) && echo OPENED-c; echo x > $d/null && echo null-ok; head -c1 /dev/zero > /dev/null && echo zero-ok; rm -f $d/blk $d/kmsg $d/null'
        if (-not $Skip) {
            New-Item -ItemType Directory -Force $Nodes | Out-Null
            $script:Manager = [PodShell.Cgroups.CgroupManager]::new([PodShell.Cgroups.CgroupFileSystem]::Detect($UnifiedRoot))
            $Manager.Create($Relative)
            $Manager.SetDefaultDevicePolicy($Relative, $false)
        }
    }
    AfterAll {
        if (-not $Skip) {
            if (Test-Path $Directory) { $Manager.Remove($Relative, '') }
            Remove-Item "$UnifiedRoot/$env:PODSHELL_CGROUP_ROOT_NAME" -ErrorAction Ignore
            Remove-Item -Recurse -Force $Nodes -ErrorAction Ignore
        }
    }

    It 'sits on the v2 cgroup as a device program, in multi mode (bpftool)' -Skip:$Skip {
        $attached = @(& bpftool cgroup show $Directory | Select-Object -Skip 1 | Where-Object { $_.Trim() })
        $attached | Should -HaveCount 1
        ($attached[0] -split '\s+')[1..2] | Should -Be 'cgroup_device', 'multi'
    }

    It 'lets a process in the cgroup make nodes but open only the listed ones (EPERM for the rest)' -Skip:$Skip {
        $outside = @(& sh -c "$Probe" sh $Nodes 2>&1 | ForEach-Object { "$_" })
        $outside | Should -Contain 'OPENED-c' -Because 'outside the cgroup root opens the kmsg node it made'
        $inside = @(& sh -c ('echo $$ > ' + "$Directory/cgroup.procs; $Probe") sh $Nodes 2>&1 | ForEach-Object { "$_" })
        $inside | Should -Contain 'made-b' -Because 'b *:* m allows mknod'
        $inside | Should -Contain 'made-c'
        $inside | Should -Not -Contain 'OPENED-b'
        $inside | Should -Not -Contain 'OPENED-c'
        @($inside | Where-Object { $_ -match 'Operation not permitted' }) | Should -HaveCount 2
        $inside | Should -Contain 'null-ok'
        $inside | Should -Contain 'zero-ok'
        Get-Content "$Directory/cgroup.procs" | Should -BeNullOrEmpty -Because 'the probe has exited'
    }

    It 'is freed with the cgroup' -Skip:$Skip {
        $id = ((& bpftool cgroup show $Directory | Select-Object -Skip 1 | Select-Object -First 1).Trim() -split '\s+')[0]
        & bpftool prog show id $id | Out-Null
        $LASTEXITCODE | Should -Be 0
        $Manager.Remove($Relative, '')
        Test-Path $Directory | Should -BeFalse
        Wait-Until -Because "program $id to be freed" { & bpftool prog show id $id 2>$null | Out-Null; $LASTEXITCODE -ne 0 } | Out-Null
    }
}

Describe 'Escape: the podshell-init binary cannot be overwritten from a container (CVE-2019-5736)' -Tag 'Security' {
    BeforeAll {
        $name = New-TestPodName 'seal'
        $script:Binary = Get-PodShellInitPath
        $script:Hash = (Get-FileHash $Binary).Hash
        $script:Rootfs = Join-Path ([IO.Path]::GetTempPath()) "podshell-seal-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
        foreach ($dir in 'bin', 'etc', 'proc', 'dev', 'sys', 'tmp') { New-Item -ItemType Directory -Force "$Rootfs/$dir" | Out-Null }
        Copy-Item /bin/busybox "$Rootfs/bin/busybox"
        # The start stage reads /etc/passwd of the rootfs: a FIFO holds it there, before exec, until the test writes
        # (through the stage's own root: the overlay's FIFO is not the lower folder's).
        & mkfifo "$Rootfs/etc/passwd"
        $pod = New-PodSandbox -Name $name -ShareProcessNamespace
        $script:Watcher = $pod | Add-PodContainer -Name watcher -Image host -Command sleep, infinity
        $module = Join-Path $env:PODSHELL_TEST_MODULE 'PodShell.psd1'
        $script:Job = Start-ThreadJob -ScriptBlock {
            Import-Module $using:module
            Add-PodContainer -Pod $using:name -Name held -RootFs $using:Rootfs -Command /bin/busybox, sleep, 1000
        }
        $shim = $null
        $script:Start = Wait-Until -Because 'the start stage of the held container' {
            foreach ($dir in Get-ChildItem /proc -Directory | Where-Object Name -Match '^\d+$') {
                $cmd = (Get-Content -Raw -ErrorAction Ignore "$($dir.FullName)/cmdline") -replace "`0", ' '
                if ($cmd -match 'podshell-init start' -and $cmd -match "$name/containers/held/") { [int] $dir.Name }
            }
        }
        Start-Sleep -Milliseconds 200
    }
    AfterAll {
        if ($Start -and (Test-ProcessAlive $Start)) { & timeout 2 sh -c "echo 'root:x:0:0::/:/bin/sh' > /proc/$Start/root/etc/passwd" }
        if ($Job) { $Job | Wait-Job -Timeout 20 | Out-Null; $Job | Remove-Job -Force }
        Remove-TestPod $name
        Remove-Item -Recurse -Force $Rootfs -ErrorAction Ignore
    }

    It 'runs the start stage from a sealed in-memory copy, not the node''s file' {
        & readlink "/proc/$Start/exe" | Should -BeLike '/memfd:podshell-init*'
    }

    It 'keeps the start stage''s /proc/PID/exe closed to the pod''s other containers, and the binary unchanged' {
        $inner = Invoke-InPod $name watcher @('sh', '-c', 'for p in /proc/[0-9]*; do readlink $p/exe >/dev/null 2>&1 || echo closed $p; echo x >> $p/exe 2>/dev/null && echo WROTE $p; done; true')
        $inner | Should -Not -Match 'WROTE'
        $inner | Should -Not -BeNullOrEmpty -Because 'the start stage is in the shared pid namespace and non-dumpable'
        (Get-FileHash $Binary).Hash | Should -Be $Hash
    }

    It 'starts the container once the stage goes on, and the container''s own exe is its command' {
        & timeout 5 sh -c "echo 'root:x:0:0::/:/bin/sh' > /proc/$Start/root/etc/passwd"
        $held = $Job | Wait-Job -Timeout 20 | Receive-Job
        $held.State | Should -Be 'Running'
        & readlink "/proc/$($held.Pid)/exe" | Should -Be '/bin/busybox'
        (Get-FileHash $Binary).Hash | Should -Be $Hash
    }
}

Describe 'Escape: a host-image container sees no state root of PodShell' -Tag 'Security' {
    BeforeAll {
        $name = New-TestPodName 'roots'
        # Another state root on the node (another PODSHELL_ROOT), with something secret in it.
        $script:Other = "/run/podshell-escape-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
        New-Item -ItemType Directory -Force $Other | Out-Null
        Set-Content "$Other/secret" 'other-root-secret'
        $pod = New-PodSandbox -Name $name
        $pod | Add-PodContainer -Name c -Image host -Command sleep, infinity -Environment @{ TOKEN = 'env-secret' } | Out-Null
    }
    AfterAll {
        Remove-TestPod $name
        Remove-Item -Recurse -Force $Other -ErrorAction Ignore
    }

    It 'masks this run''s state root and every other /run/podshell* folder' {
        Test-Path "$env:PODSHELL_ROOT/pods/$name/containers/c/config.json" | Should -BeTrue -Because 'the node has the file'
        Invoke-InPod $name c @('sh', '-c', "ls -A '$env:PODSHELL_ROOT' | wc -l; cat '$Other/secret' 2>&1; grep -rl env-secret '$env:PODSHELL_ROOT' 2>/dev/null | wc -l; true") |
            Should -Be @('0', "cat: $Other/secret: No such file or directory", '0')
    }
}
