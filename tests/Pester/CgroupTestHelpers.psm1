# Cgroup helpers for the Pester suite (Get-PodCgroup and CgroupManager tests).

# Removes the folder $Name (and everything below it, deepest first) from every cgroup hierarchy
# under /sys/fs/cgroup, with coreutils' rmdir; retries while the kernel still says busy.
function Remove-TestCgroupTree {
    param([Parameter(Mandatory)] [string] $Name, [string] $CgroupRoot = '/sys/fs/cgroup')
    if (-not $Name -or $Name -match '(^|/)\.\.?(/|$)') { throw "Refusing to remove cgroup '$Name'." }
    foreach ($hierarchy in Get-ChildItem $CgroupRoot -Directory) {
        $top = Join-Path $hierarchy.FullName $Name
        if (-not (Test-Path $top)) { continue }
        $dirs = @(Get-ChildItem $top -Directory -Recurse | Sort-Object { ($_.FullName -split '/').Count } -Descending | ForEach-Object FullName) + @($top)
        foreach ($dir in $dirs) {
            for ($try = 0; $try -lt 100 -and (Test-Path $dir); $try++) {
                & rmdir $dir 2>$null
                if (Test-Path $dir) { Start-Sleep -Milliseconds 20 }
            }
        }
    }
}

# Writes a value into a cgroup file with bash's echo (an independent writer).
function Set-CgroupFileByEcho {
    param([Parameter(Mandatory)] [string] $Path, [Parameter(Mandatory)] [string] $Value)
    & bash -c "echo $Value > '$Path'"
    if ($LASTEXITCODE -ne 0) { throw "echo $Value > $Path failed." }
}

# A fake cgroup tree of plain folders and files: @{ 'cgroup.controllers' = 'cpu memory'; 'podshell/pod1/memory.max' = '...' }.
function New-CgroupFixture {
    param([Parameter(Mandatory)] [string] $Root, [Parameter(Mandatory)] [hashtable] $Files)
    foreach ($entry in $Files.GetEnumerator()) {
        $path = Join-Path $Root $entry.Key
        New-Item -ItemType Directory -Force (Split-Path $path) | Out-Null
        [System.IO.File]::WriteAllText($path, $entry.Value)
    }
}

# Cores a cgroup used over a few seconds, from cpuacct.usage (v1, nanoseconds) read with Get-Content: the kernel's
# own counter, not PodShell's. A measurement, not a timed assertion: the ratio holds however slow the node is.
function Measure-CgroupCpu {
    param([Parameter(Mandatory)] [string] $CgroupPath, [double] $Seconds = 3)
    $file = "/sys/fs/cgroup/cpuacct$CgroupPath/cpuacct.usage"
    $watch = [System.Diagnostics.Stopwatch]::StartNew()
    $before = [double] (Get-Content $file)
    Start-Sleep -Milliseconds ($Seconds * 1000)
    $after = [double] (Get-Content $file)
    $elapsed = $watch.Elapsed.TotalSeconds
    ($after - $before) / 1e9 / $elapsed
}

# The cgroup a process is in for one v1 controller, from /proc/<pid>/cgroup.
function Get-ProcessCgroupPath {
    param([Parameter(Mandatory)] [int] $ProcessId, [string] $Controller = 'memory')
    $line = Get-Content "/proc/$ProcessId/cgroup" | Where-Object { ($_ -split ':')[1] -split ',' -contains $Controller }
    ($line -split ':', 3)[2]
}

Export-ModuleMember -Function *
