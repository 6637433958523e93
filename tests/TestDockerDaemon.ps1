<#
.SYNOPSIS
    A private dockerd for one test run: its own socket, data root, exec root and pidfile under a temp
    folder, no default bridge, no iptables and no ip_forward change (the node's network is left alone: no
    NAT to the outside; published ports are served by docker-proxy, the userland proxy), the cgroupfs
    driver, and a cgroup parent named after the run. Tests that need a Docker network make their own
    (docker network create on a private subnet) and remove it. Dot-sourced by Invoke-PesterSuite.ps1, which starts it once
    for the whole run and stops it at the end, so every Docker test reuses one daemon.
#>

# A busybox rootfs folder (the static binary from busybox-static and its applet links): the native
# engine runs it with -RootFs, and the Docker engine as an image imported from it, so one behavioural
# suite runs the same commands on both. Sets PODSHELL_TEST_BUSYBOX_ROOTFS.
function New-TestBusyboxRootfs {
    param([Parameter(Mandatory)] [string] $RunId)
    $rootfs = "/tmp/podshell-busybox-$RunId"
    New-Item -ItemType Directory -Force "$rootfs/bin", "$rootfs/etc", "$rootfs/tmp", "$rootfs/root", "$rootfs/proc", "$rootfs/dev", "$rootfs/sys" | Out-Null
    Copy-Item /usr/bin/busybox "$rootfs/bin/busybox"
    foreach ($applet in & /usr/bin/busybox --list) {
        $link = "$rootfs/bin/$applet"
        if ($applet -ne 'busybox' -and -not (Test-Path $link)) { $null = [System.IO.File]::CreateSymbolicLink($link, 'busybox') }
    }
    Set-Content "$rootfs/etc/passwd" "root:x:0:0:root:/root:/bin/sh`nnobody:x:65534:65534:nobody:/:/bin/false"
    Set-Content "$rootfs/etc/group" "root:x:0:`nnogroup:x:65534:"
    & chmod 1777 "$rootfs/tmp"
    $env:PODSHELL_TEST_BUSYBOX_ROOTFS = $rootfs
    $rootfs
}

# Starts the daemon and the test image; sets DOCKER_HOST, PODSHELL_TEST_DOCKER_IMAGE,
# PODSHELL_TEST_DOCKER_TCP (a loopback tcp:// address of the same daemon) and PODSHELL_TEST_DOCKER_PID on success,
# PODSHELL_TEST_DOCKER_SKIP (the reason) when no daemon can be started here.
function Start-TestDockerDaemon {
    param(
        [Parameter(Mandatory)] [string] $RunId, [Parameter(Mandatory)] [string] $CgroupRootName,
        # The busybox rootfs imported as the test image; none imported without it.
        [string] $Rootfs,
        # The daemon's default bridge: none, or a bridge device the caller made (with its IPv4 address) for a test of the default network.
        [string] $Bridge = 'none')
    $dockerd = '/usr/sbin/dockerd'
    if (-not (Test-Path $dockerd)) {
        $env:PODSHELL_TEST_DOCKER_SKIP = "dockerd is not installed ($dockerd; build.ps1 installs Debian's docker.io)."
        return $null
    }
    # Short: a unix socket path has at most 107 bytes.
    $folder = "/tmp/podshell-dockerd-$RunId"
    New-Item -ItemType Directory -Force "$folder/data", "$folder/exec" | Out-Null
    Set-Content -Path "$folder/daemon.json" -Value '{}'
    $daemon = [pscustomobject]@{
        Folder = $folder; Socket = "$folder/docker.sock"; Process = $null; Log = "$folder/dockerd.log"
        CgroupParent = "/$CgroupRootName-dockerd"
    }
    # A free loopback port for the tcp:// test (the daemon listens on loopback only).
    $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $listener.Start()
    $port = $listener.LocalEndpoint.Port
    $listener.Stop()
    $arguments = @(
        '--host', "unix://$($daemon.Socket)", '--host', "tcp://127.0.0.1:$port", '--data-root', "$folder/data", '--exec-root', "$folder/exec",
        '--pidfile', "$folder/dockerd.pid", '--config-file', "$folder/daemon.json",
        "--bridge=$Bridge", '--iptables=false', '--ip-masq=false', '--ip6tables=false', '--ip-forward=false', '--userland-proxy=true',
        '--exec-opt', 'native.cgroupdriver=cgroupfs', '--cgroup-parent', $daemon.CgroupParent)
    $psi = [System.Diagnostics.ProcessStartInfo]::new($dockerd)
    foreach ($a in $arguments) { $psi.ArgumentList.Add($a) }
    $psi.UseShellExecute = $false
    $psi.RedirectStandardOutput = $true
    $psi.RedirectStandardError = $true
    $psi.RedirectStandardInput = $true
    $daemon.Process = [System.Diagnostics.Process]::Start($psi)
    # dockerd logs on stderr: drain both pipes to the log file so it never blocks on a full pipe.
    $log = [System.IO.StreamWriter]::new($daemon.Log, $true)
    $log.AutoFlush = $true
    $writer = [System.IO.TextWriter]::Synchronized($log)
    $daemon | Add-Member -NotePropertyName LogWriter -NotePropertyValue $writer
    $null = $daemon.Process.StandardOutput.BaseStream.CopyToAsync($log.BaseStream)
    $null = $daemon.Process.StandardError.BaseStream.CopyToAsync($log.BaseStream)
    $env:DOCKER_HOST = "unix://$($daemon.Socket)"

    $deadline = [DateTime]::UtcNow.AddSeconds(60)
    $ready = $false
    while (-not $ready -and -not $daemon.Process.HasExited -and [DateTime]::UtcNow -lt $deadline) {
        if (Test-Path $daemon.Socket) {
            & docker version --format '{{.Server.APIVersion}}' *> $null
            $ready = $LASTEXITCODE -eq 0
        }
        if (-not $ready) { Start-Sleep -Milliseconds 200 }
    }
    if (-not $ready) {
        $tail = (Get-Content -Tail 5 -ErrorAction Ignore $daemon.Log) -join ' | '
        $env:PODSHELL_TEST_DOCKER_SKIP = "dockerd could not be started here: $tail"
        Stop-TestDockerDaemon $daemon
        return $null
    }
    $env:PODSHELL_TEST_DOCKER_TCP = "tcp://127.0.0.1:$port"
    # The leak check finds the daemon's docker-proxy children by it.
    $env:PODSHELL_TEST_DOCKER_PID = "$($daemon.Process.Id)"
    if (-not $Rootfs) { return $daemon }
    $tag = "podshell-test/busybox:$RunId"
    & sh -c "tar -C '$Rootfs' -c . | docker import --change 'CMD [""/bin/sh""]' - '$tag'" | Out-Null
    if ($LASTEXITCODE -ne 0) { throw "docker import of the busybox test image failed ($LASTEXITCODE)." }
    $env:PODSHELL_TEST_DOCKER_IMAGE = $tag
    $daemon
}

# Stops the daemon by its pid (its containerd with it), unmounts what it left and removes its folder.
function Stop-TestDockerDaemon {
    param($Daemon)
    if (-not $Daemon) { return }
    $process = $Daemon.Process
    $containerd = @()
    # The bridges of networks a failed test left outlive the daemon: removed while it still runs (the leak check reports them).
    if ($process -and -not $process.HasExited) {
        foreach ($network in @(& docker -H "unix://$($Daemon.Socket)" network ls -q --filter type=custom 2>$null)) {
            & docker -H "unix://$($Daemon.Socket)" network rm $network 2>$null | Out-Null
        }
    }
    if ($process -and -not $process.HasExited) {
        # Its managed containerd is its child: found before the parent goes, stopped by pid if it lingers.
        $children = "/proc/$($process.Id)/task/$($process.Id)/children"
        if (Test-Path $children) { $containerd = @((Get-Content -Raw $children) -split '\s+' | Where-Object { $_ } | ForEach-Object { [int] $_ }) }
        & /bin/kill -s TERM $process.Id
        if (-not $process.WaitForExit(30000)) { $process.Kill($true); $process.WaitForExit(5000) | Out-Null }
    }
    foreach ($child in $containerd) {
        for ($i = 0; $i -lt 100 -and (Test-Path "/proc/$child"); $i++) { Start-Sleep -Milliseconds 50 }
        if (Test-Path "/proc/$child") { & /bin/kill -s KILL $child 2>$null }
    }
    if ($Daemon.LogWriter) { $Daemon.LogWriter.Dispose() }
    # Mounts a killed daemon may leave (overlay layers, netns, shm), deepest first.
    $mounts = Get-Content /proc/self/mountinfo | ForEach-Object { ($_ -split ' ')[4] } | Where-Object { $_.StartsWith($Daemon.Folder) } | Sort-Object -Descending
    foreach ($mount in $mounts) { & umount -l $mount 2>$null }
    Remove-Item -Recurse -Force -ErrorAction Ignore $Daemon.Folder
    foreach ($controller in Get-ChildItem /sys/fs/cgroup -Directory -ErrorAction Ignore) {
        $dir = Join-Path $controller.FullName $Daemon.CgroupParent.TrimStart('/')
        # rmdir only: a cgroup that still has children is a leak the leak check reports.
        if (Test-Path $dir) { try { [System.IO.Directory]::Delete($dir) } catch [System.IO.IOException] { Write-Warning "cgroup $dir is left: $_" } }
    }
}
