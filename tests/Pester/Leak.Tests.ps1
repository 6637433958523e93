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

    It 'leaves no cgroup folder of the test run' {
        $left = @(Get-ChildItem /sys/fs/cgroup -Directory | ForEach-Object {
                $candidate = Join-Path $_.FullName $cgroupName
                if (Test-Path $candidate) { $candidate }
            })
        $left | Should -BeNullOrEmpty
    }
}
