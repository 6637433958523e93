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

Export-ModuleMember -Function *
