<#
.SYNOPSIS
    Times Set-PodCgroupLimit on a live container (each call rewrites the container's and the pod's cpu files)
    against the floor (bash echo into the same files) and, where Docker runs, `docker update --cpus`; then
    Get-PodStats over 50 pods (one reading round) against `docker stats --no-stream` over 50 containers.
    Prints medians and ratios.
.EXAMPLE
    dotnet pwsh -NoProfile -File bench/cgroup-limits.ps1 -Iterations 20 -Pods 50
#>
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '../out/PodShell'),
    [int] $Iterations = 20,
    [int] $Pods = 50
)
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $ModulePath 'PodShell.psd1') -Force
$runId = [guid]::NewGuid().ToString('N').Substring(0, 8)
$env:PODSHELL_ROOT = "/run/podshell-bench-$runId"
$env:PODSHELL_CGROUP_ROOT = "podshell-bench-$runId"

Import-Module (Join-Path $PSScriptRoot 'BenchCommon.psm1') -Force
function Measure-Median([int] $Count, [scriptblock] $Body) {
    & $Body -1 | Out-Null   # warm-up
    $times = for ($i = 0; $i -lt $Count; $i++) {
        $clock = [System.Diagnostics.Stopwatch]::StartNew()
        & $Body $i | Out-Null
        $clock.Elapsed.TotalMilliseconds
    }
    Get-Median $times
}
$docker = (Get-Command docker -ErrorAction Ignore) -and ((& docker info 2>$null) -and $LASTEXITCODE -eq 0) -and
    ((& docker image inspect busybox 2>$null) -and $LASTEXITCODE -eq 0)

$made = [System.Collections.Generic.List[string]]::new()
$dockerMade = [System.Collections.Generic.List[string]]::new()
try {
    # --- Set-PodCgroupLimit on a live container
    $name = "bench-$runId-set"
    $pod = New-PodSandbox -Name $name -Network None
    $made.Add($name)
    $pod | Add-PodContainer -Name app -Command sleep, infinity -Cpu 0.5 -Memory 128Mi | Out-Null
    $container = Get-PodContainer $name app
    $cpuDir = "/sys/fs/cgroup/cpu$($container.CgroupPath)"
    $podCpuDir = "/sys/fs/cgroup/cpu$((Get-Pod $name).CgroupPath)"
    $set = Measure-Median $Iterations { param($i) Set-PodCgroupLimit -Pod $name -Container app -Cpu $(if ($i % 2) { '300m' } else { '400m' }) -ErrorAction Stop }
    $plan = Measure-Median $Iterations { param($i) [PodShell.Engine.EngineRegistry]::Owner($name).PlanResourceUpdate($name, 'app', [PodShell.Engine.ResourceUpdate]@{ CpuLimitMilli = 300 + 100 * ($i % 2) }) }
    # The floor: the same four values, written by bash (one process per call, as a shell script would), in an
    # order the kernel accepts (a child's CFS quota may not exceed its parent's: raise the pod first, lower it last).
    $floor = Measure-Median $Iterations { param($i)
        $q = if ($i % 2) { 30000 } else { 40000 }
        $shares = [math]::Floor($q / 100 * 1024 / 1000)
        $container = "echo $q > $cpuDir/cpu.cfs_quota_us; echo $shares > $cpuDir/cpu.shares"
        $parent = "echo $q > $podCpuDir/cpu.cfs_quota_us; echo $shares > $podCpuDir/cpu.shares"
        & bash -c $(if ($i % 2) { "$container; $parent" } else { "$parent; $container" })
        if ($LASTEXITCODE) { throw 'the floor''s writes failed' }
    }
    $rows = @(
        [pscustomobject]@{ Operation = 'Set-PodCgroupLimit -Cpu (live container)'; MedianMs = [math]::Round($set, 2); Versus = '' }
        [pscustomobject]@{ Operation = '  of which planning (-WhatIf)'; MedianMs = [math]::Round($plan, 2); Versus = '' }
        [pscustomobject]@{ Operation = 'bash echo into the same files (floor)'; MedianMs = [math]::Round($floor, 2); Versus = 'PodShell takes {0:0.00}x the floor''s time' -f ($set / $floor) }
    )
    if ($docker) {
        $dname = "bench-$runId-upd"
        & docker run -d --name $dname --cpus 0.5 -m 128m busybox sleep infinity | Out-Null
        $dockerMade.Add($dname)
        $upd = Measure-Median $Iterations { param($i) & docker update --cpus $(if ($i % 2) { '0.3' } else { '0.4' }) $dname }
        $rows += [pscustomobject]@{ Operation = 'docker update --cpus'; MedianMs = [math]::Round($upd, 2); Versus = 'PodShell is {0:0.0}x faster' -f ($upd / $set) }
    }
    else {
        $rows += [pscustomobject]@{ Operation = 'docker update --cpus'; MedianMs = $null; Versus = 'Docker is not running here (or has no busybox image)' }
    }

    # --- Get-PodStats over many pods
    for ($i = 0; $i -lt $Pods; $i++) {
        $n = "bench-$runId-s$i"
        $p = New-PodSandbox -Name $n -Network None
        $made.Add($n)
        $p | Add-PodContainer -Name app -Command sleep, infinity -Memory 32Mi | Out-Null
        Write-Progress -Activity 'Making pods' -Status "$($i + 1) of $Pods" -PercentComplete (100 * ($i + 1) / $Pods)
    }
    Write-Progress -Activity 'Making pods' -Completed
    $interval = 0.05
    $stats = Measure-Median ([math]::Max(5, [int]($Iterations / 4))) { param($i) Get-PodStats -Interval $interval }
    $count = @(Get-PodStats -Interval $interval).Count
    $rows += [pscustomobject]@{ Operation = "Get-PodStats, $count containers (interval $interval s included)"; MedianMs = [math]::Round($stats, 2); Versus = '' }
    $rows += [pscustomobject]@{ Operation = '  reading and computing, without the interval'; MedianMs = [math]::Round($stats - $interval * 1000, 2); Versus = '' }
    if ($docker) {
        for ($i = 0; $i -lt $Pods; $i++) {
            $d = "bench-$runId-d$i"
            & docker run -d --name $d -m 32m busybox sleep infinity | Out-Null
            $dockerMade.Add($d)
        }
        $ds = Measure-Median ([math]::Max(5, [int]($Iterations / 4))) { param($i) & docker stats --no-stream $dockerMade }
        $rows += [pscustomobject]@{ Operation = "docker stats --no-stream, $($dockerMade.Count) containers"; MedianMs = [math]::Round($ds, 2); Versus = 'PodShell is {0:0.0}x faster' -f ($ds / $stats) }
    }
    else {
        $rows += [pscustomobject]@{ Operation = 'docker stats --no-stream'; MedianMs = $null; Versus = 'Docker is not running here (or has no busybox image)' }
    }
    $rows | Format-Table -AutoSize | Out-String -Width 200
}
finally {
    foreach ($n in $made) { Remove-Pod -Name $n -Force -Confirm:$false -Timeout 0 -ErrorAction SilentlyContinue }
    if ($dockerMade.Count) { & docker rm -f $dockerMade 2>$null | Out-Null }
}
