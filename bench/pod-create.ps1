<#
.SYNOPSIS
    Creates and removes the demo pod (sandbox + two containers) N times with PodShell, and the same
    pod with util-linux unshare/nsenter (the floor) and, where they run, docker and podman, all
    interleaved in one run. Prints the median time per pod, the ratios, and the RSS of PodShell's
    own processes (pause and shims) per pod.
.EXAMPLE
    dotnet pwsh ./build.ps1 Bench
#>
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '../out/PodShell'),
    [int] $Iterations = 15
)
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $ModulePath 'PodShell.psd1') -Force
$runId = [guid]::NewGuid().ToString('N').Substring(0, 8)
$env:PODSHELL_ROOT = "/run/podshell-bench-$runId"
$env:PODSHELL_CGROUP_ROOT = "podshell-bench-$runId"

Import-Module (Join-Path $PSScriptRoot 'BenchCommon.psm1') -Force

# The same pod by hand: a pause-like sleep holding new namespaces, two containers joining net/ipc/uts
# with their own mount and pid namespaces; waits until all three run, then kills and reaps them.
$floorScript = @'
set -e
unshare --net --uts --ipc --pid --mount --fork --kill-child --mount-proc sleep infinity & outer=$!
while [ -z "$pause" ]; do pause=$(cat /proc/$outer/task/$outer/children 2>/dev/null | cut -d' ' -f1); done
for c in 1 2; do
  nsenter -t "$pause" --net --uts --ipc -- unshare --mount --pid --fork --kill-child --mount-proc sleep infinity & eval "c$c=\$!"
done
for c in $c1 $c2; do while [ -z "$(cat /proc/$c/task/$c/children 2>/dev/null)" ]; do :; done; done
kill -9 $c1 $c2 $outer; wait 2>/dev/null || true
'@

$engines = [ordered]@{
    podshell = {
        param($i)
        $name = "bench-$runId-$i"
        $pod = New-PodSandbox -Name $name -Network None
        $pod | Add-PodContainer -Name app -Image host -Command sleep, infinity | Out-Null
        $pod | Add-PodContainer -Name sidecar -Image host -Command sleep, infinity | Out-Null
        Remove-Pod -Name $name -Force -Confirm:$false -Timeout 0
    }
    floor = { param($i) & bash -c $floorScript *> $null }
}
foreach ($tool in 'docker', 'podman') {
    if ((Get-Command $tool -ErrorAction Ignore) -and ((& $tool info 2>$null) -and $LASTEXITCODE -eq 0)) {
        $engines[$tool] = [scriptblock]::Create(@"
param(`$i)
`$pod = "bench-$runId-`$i"
& $tool run -d --name "`$pod-pause" --ipc shareable $(if ($tool -eq 'docker') { 'busybox' } else { 'busybox' }) sleep infinity | Out-Null
foreach (`$c in 'app', 'sidecar') { & $tool run -d --name "`$pod-`$c" --network "container:`$pod-pause" --ipc "container:`$pod-pause" busybox sleep infinity | Out-Null }
& $tool rm -f "`$pod-app" "`$pod-sidecar" "`$pod-pause" | Out-Null
"@)
    }
}

# Warm-up (JIT, page cache) before measuring.
foreach ($engine in $engines.Values) { & $engine 'warm' | Out-Null }
$times = @{}
foreach ($key in $engines.Keys) { $times[$key] = [System.Collections.Generic.List[double]]::new() }
for ($i = 0; $i -lt $Iterations; $i++) {
    foreach ($key in $engines.Keys) {
        $clock = [System.Diagnostics.Stopwatch]::StartNew()
        & $engines[$key] $i | Out-Null
        $times[$key].Add($clock.Elapsed.TotalMilliseconds)
    }
}

# RSS of PodShell's own processes for one live pod.
$name = "bench-$runId-rss"
$pod = New-PodSandbox -Name $name -Network None
$pod | Add-PodContainer -Name app -Image host -Command sleep, infinity | Out-Null
$pod | Add-PodContainer -Name sidecar -Image host -Command sleep, infinity | Out-Null
Start-Sleep -Milliseconds 300
$own = foreach ($dir in Get-ChildItem /proc -Directory | Where-Object Name -Match '^\d+$') {
    $cmd = (Get-Content -Raw -ErrorAction Ignore "$($dir.FullName)/cmdline") -replace "`0", ' '
    if ($cmd -match 'podshell-init (pause|shim)' -and ($cmd -notmatch 'shim' -or $cmd -match [regex]::Escape("/$name/"))) {
        $rollup = Get-Content -ErrorAction Ignore "$($dir.FullName)/smaps_rollup"
        [pscustomobject]@{
            Pid   = [int] $dir.Name
            Role  = if ($cmd -match 'pause') { 'pause' } else { 'shim' }
            RssKB = [int](($rollup | Where-Object { $_ -like 'Rss:*' }) -split '\s+')[1]
            PssKB = [int](($rollup | Where-Object { $_ -like 'Pss:*' }) -split '\s+')[1]
            PrivateKB = [int](($rollup | Where-Object { $_ -like 'Private_Clean:*' }) -split '\s+')[1] + [int](($rollup | Where-Object { $_ -like 'Private_Dirty:*' }) -split '\s+')[1]
        }
    }
}
$pausePid = (Get-Pod $name).PausePid
$own = @($own | Where-Object { $_.Role -eq 'shim' -or $_.Pid -eq $pausePid })
Remove-Pod -Name $name -Force -Confirm:$false -Timeout 0
Remove-Item -Recurse -Force $env:PODSHELL_ROOT -ErrorAction Ignore

$floor = Get-Median $times['floor']
Write-Host ("{0,-10} {1,12} {2,12}" -f 'engine', 'median ms', 'x floor')
foreach ($key in $engines.Keys) {
    $median = Get-Median $times[$key]
    Write-Host ("{0,-10} {1,12:N1} {2,12:N2}" -f $key, $median, ($median / $floor))
}
$own | Format-Table | Out-Host
Write-Host ("PodShell's own processes per pod: RSS {0:N1} MB, PSS {1:N1} MB, private {2:N1} MB ({3} processes)" -f `
    (($own | Measure-Object RssKB -Sum).Sum / 1024), (($own | Measure-Object PssKB -Sum).Sum / 1024), (($own | Measure-Object PrivateKB -Sum).Sum / 1024), $own.Count)
