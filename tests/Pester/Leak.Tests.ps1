# Runs last (Invoke-PesterSuite.ps1 orders it): after every other test file has cleaned up,
# nothing of PodShell may remain on the node.
Describe 'Leak check: nothing of PodShell is left on the node' -Tag 'Leak' {
    BeforeAll {
        $stateRoot = $env:PODSHELL_ROOT
        $cgroupName = $env:PODSHELL_CGROUP_ROOT_NAME
    }

    # Only this run's processes: other checkouts on the node may run their own suites at the same time.
    # A process is this run's when it runs this module's binary, sits in this run's cgroups or names
    # this run's state root.
    It 'leaves no podshell-init process of this run' {
        $moduleDir = $env:PODSHELL_TEST_MODULE
        $left = foreach ($dir in Get-ChildItem /proc -Directory | Where-Object Name -Match '^\d+$') {
            $cmd = (Get-Content -Raw -ErrorAction Ignore "$($dir.FullName)/cmdline") -replace "`0", ' '
            if ($cmd -notmatch 'podshell-init') { continue }
            $exe = try { [System.IO.File]::ResolveLinkTarget("$($dir.FullName)/exe", $false).FullName } catch { '' }
            $cgroups = Get-Content -Raw -ErrorAction Ignore "$($dir.FullName)/cgroup"
            $ours = ($exe -and $exe.StartsWith($moduleDir)) -or ($cgroups -and $cgroups.Contains($cgroupName)) -or $cmd.Contains($stateRoot)
            if ($ours) { "$($dir.Name): $cmd" }
        }
        $left | Should -BeNullOrEmpty
    }

    It 'leaves no mount under the state root' {
        $mounts = Get-Content /proc/self/mountinfo | Where-Object { ($_ -split ' ')[4] -like "$stateRoot*" }
        $mounts | Should -BeNullOrEmpty
    }

    It 'leaves no pod state behind' {
        if (Test-Path $stateRoot) {
            @(Get-ChildItem -Recurse -File $stateRoot) | Should -BeNullOrEmpty
            Remove-Item -Recurse -Force $stateRoot
        }
        Test-Path $stateRoot | Should -BeFalse
    }

    # The run's network stays until the suite runner removes it; what pods put on it must be gone.
    It 'leaves no pod on the run''s network: no veth on its bridge, no address reserved, no portmap rule' {
        $network = $env:PODSHELL_TEST_NETWORK
        if (-not $network) { Set-ItResult -Skipped -Because 'the suite runner made no test network'; return }
        $bridge = (Get-Content -Raw (Get-ChildItem $env:PODSHELL_CNI_CONFIG_DIR -Filter "*$network.conflist").FullName | ConvertFrom-Json).plugins[0].bridge
        @(Get-ChildItem "/sys/class/net/$bridge/brif" -ErrorAction Ignore) | Should -BeNullOrEmpty
        @(Get-ChildItem "/var/lib/cni/networks/$network" -ErrorAction Ignore | Where-Object Name -Match '^[0-9a-f.:]+$') | Should -BeNullOrEmpty
        @(& iptables -w -t nat -S | Where-Object { $_ -like "*$network*" }) | Should -BeNullOrEmpty
        @(Get-ChildItem $env:PODSHELL_CNI_CONFIG_DIR -Filter '*.conflist' | Where-Object Name -NotLike "*$network.conflist") | Should -BeNullOrEmpty
    }

    It 'leaves no image layer, lease or temp file in the run''s image store' {
        $imageRoot = $env:PODSHELL_IMAGE_ROOT
        if ($imageRoot -and (Test-Path $imageRoot)) {
            foreach ($part in 'layers', 'leases', 'tmp') {
                @(Get-ChildItem -Force (Join-Path $imageRoot $part) -ErrorAction Ignore) | Should -BeNullOrEmpty -Because "$part of $imageRoot"
            }
            Remove-Item -Recurse -Force $imageRoot
        }
    }

    It 'leaves no cgroup folder of the test run' {
        $left = @(Get-ChildItem /sys/fs/cgroup -Directory | ForEach-Object {
                $candidate = Join-Path $_.FullName $cgroupName
                if (Test-Path $candidate) { $candidate }
            })
        $left | Should -BeNullOrEmpty
    }
}

# The run's private dockerd (TestDockerDaemon.ps1) holds only what this run made: after the suite it must
# hold no container and no image tag but the harness's busybox and PodShell's pause image.
Describe 'Leak check: nothing of the Docker tests is left in the run''s dockerd' -Tag 'Leak' {
    BeforeAll {
        $skip = -not $env:PODSHELL_TEST_DOCKER_IMAGE
    }

    It 'leaves no container (running or not, PodShell''s or not)' -Skip:$skip {
        $left = @(& docker ps -a --format '{{.ID}} {{.Names}} {{.Labels}}')
        $LASTEXITCODE | Should -Be 0
        $left | Should -BeNullOrEmpty
    }

    It 'leaves no object with a Kubernetes pod label' -Skip:$skip {
        foreach ($kind in 'container', 'volume', 'network') {
            $left = @(& docker $kind ls -q --filter 'label=io.kubernetes.pod.name' $(if ($kind -eq 'container') { '-a' }))
            $left | Should -BeNullOrEmpty -Because "no $kind of a pod should be left"
        }
    }

    It 'leaves no network but the daemon''s own, and no docker-proxy (published port) of the daemon' -Skip:$skip {
        $networks = @(& docker network ls --format '{{.Name}}') | Where-Object { $_ -notin 'bridge', 'host', 'none' }
        $LASTEXITCODE | Should -Be 0
        $networks | Should -BeNullOrEmpty
        $daemon = [int] $env:PODSHELL_TEST_DOCKER_PID
        $proxies = foreach ($dir in Get-ChildItem /proc -Directory | Where-Object Name -Match '^\d+$') {
            $stat = Get-Content -Raw -ErrorAction Ignore "$($dir.FullName)/stat"
            if (-not $stat) { continue }
            $ppid = [int] (($stat.Substring($stat.LastIndexOf(')') + 2)) -split ' ')[1]
            $cmd = (Get-Content -Raw -ErrorAction Ignore "$($dir.FullName)/cmdline") -replace "`0", ' '
            if ($ppid -eq $daemon -and $cmd -match 'docker-proxy') { "$($dir.Name): $cmd" }
        }
        $proxies | Should -BeNullOrEmpty
    }

    It 'leaves no image tag but the test image and the pause image' -Skip:$skip {
        $tags = @(& docker image ls --format '{{.Repository}}:{{.Tag}}') |
            Where-Object { $_ -ne $env:PODSHELL_TEST_DOCKER_IMAGE -and $_ -notlike 'podshell/pause:*' }
        $tags | Should -BeNullOrEmpty
    }

    It 'leaves no cgroup under the daemon''s default cgroup parent' -Skip:$skip {
        $left = foreach ($controller in Get-ChildItem /sys/fs/cgroup -Directory) {
            $dir = Join-Path $controller.FullName "$env:PODSHELL_CGROUP_ROOT_NAME-dockerd"
            if (Test-Path $dir) { Get-ChildItem $dir -Directory | ForEach-Object FullName }
        }
        $left | Should -BeNullOrEmpty
    }
}
