# Runs last (Invoke-PesterSuite.ps1 orders it): after every other test file has cleaned up,
# nothing of PodShell may remain on the node.
Describe 'Leak check: nothing of PodShell is left on the node' -Tag 'Leak' {
    BeforeAll {
        $stateRoot = $env:PODSHELL_ROOT
        $cgroupName = $env:PODSHELL_CGROUP_ROOT_NAME
    }

    It 'leaves no podshell-init process' {
        $left = foreach ($dir in Get-ChildItem /proc -Directory | Where-Object Name -Match '^\d+$') {
            $cmd = (Get-Content -Raw -ErrorAction Ignore "$($dir.FullName)/cmdline") -replace "`0", ' '
            if ($cmd -match 'podshell-init') { "$($dir.Name): $cmd" }
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
