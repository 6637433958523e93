<#
.SYNOPSIS
    Creates and removes a pod with two `sleep infinity` containers N times through the module with
    PODSHELL_INIT_TRACE on, and prints the median time of each podshell-init phase: per process, the
    microseconds from the module's call (or the parent's spawn) to each mark, and from mark to mark.
.EXAMPLE
    dotnet pwsh -NoProfile -File bench/init-phases.ps1 -ModulePath ./out/PodShell -Iterations 10
#>
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '../out/PodShell'),
    [int] $Iterations = 10
)
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $ModulePath 'PodShell.psd1') -Force
$runId = [guid]::NewGuid().ToString('N').Substring(0, 8)
$env:PODSHELL_ROOT = "/run/podshell-perf-$runId"
$env:PODSHELL_CGROUP_ROOT = "podshell-perf-$runId"
$traceFile = "/tmp/podshell-init-trace-$runId.txt"
$env:PODSHELL_INIT_TRACE = $traceFile

# Stopwatch is CLOCK_MONOTONIC on Linux: the module-side marks share the trace's clock.
function Write-Mark([string] $Phase) {
    $micros = [long]([System.Diagnostics.Stopwatch]::GetTimestamp() * 1e6 / [System.Diagnostics.Stopwatch]::Frequency)
    [System.IO.File]::AppendAllText($traceFile, "$PID module $Phase $micros`n")
}
Import-Module (Join-Path $PSScriptRoot 'BenchCommon.psm1') -Force

function Invoke-Pod([string] $Name) {
    Write-Mark 'pod-begin'
    $pod = New-PodSandbox -Name $Name -Network None
    Write-Mark 'sandbox-done'
    $pod | Add-PodContainer -Name app -Image host -Command sleep, infinity | Out-Null
    Write-Mark 'app-done'
    $pod | Add-PodContainer -Name sidecar -Image host -Command sleep, infinity | Out-Null
    Write-Mark 'sidecar-done'
    Remove-Pod -Name $Name -Force -Confirm:$false -Timeout 0
    Write-Mark 'removed'
}

try {
    Invoke-Pod "perf-$runId-warm"
    Remove-Item $traceFile -ErrorAction Ignore
    $runs = for ($i = 0; $i -lt $Iterations; $i++) {
        $start = (Get-Content $traceFile -ErrorAction Ignore).Count
        Invoke-Pod "perf-$runId-$i"
        , @(Get-Content $traceFile | Select-Object -Skip $start)
    }
}
finally {
    Remove-Item Env:PODSHELL_INIT_TRACE
}

# Per run: number the processes of each role in order of appearance (shim#1, shim#2...), then each mark's time
# relative to the run's first line and relative to the previous mark of the same process.
$rows = [System.Collections.Generic.List[object]]::new()
foreach ($lines in $runs) {
    $marks = foreach ($line in $lines) {
        $parts = $line -split ' '
        [pscustomobject]@{ Pid = $parts[0]; Role = $parts[1]; Phase = ($parts[2..($parts.Count - 2)] -join ' '); Us = [long]$parts[-1] }
    }
    $t0 = ($marks | Measure-Object Us -Minimum).Minimum
    $seen = @{}; $names = @{}; $previous = @{}
    foreach ($m in ($marks | Sort-Object Us)) {
        # Pids are per pid namespace (every container's start is PID 1): a "main" mark begins a new process.
        $id = "$($m.Pid) $($m.Role)"
        if (-not $names.ContainsKey($id) -or $m.Phase -eq 'main') { $seen[$m.Role]++; $names[$id] = "$($m.Role)#$($seen[$m.Role])"; $previous.Remove($id) }
        $key = $names[$id]
        $delta = if ($previous.ContainsKey($id)) { $m.Us - $previous[$id] } else { 0 }
        $previous[$id] = $m.Us
        $rows.Add([pscustomobject]@{ Key = "$key $($m.Phase)"; Order = $m.Us - $t0; At = ($m.Us - $t0) / 1000.0; Step = $delta / 1000.0 })
    }
}
$rows | Group-Object Key | ForEach-Object {
    [pscustomobject]@{
        Process_Phase = $_.Name
        AtMs          = [math]::Round((Get-Median $_.Group.At), 2)
        StepMs        = [math]::Round((Get-Median $_.Group.Step), 2)
        N             = $_.Count
    }
} | Sort-Object AtMs | Format-Table -AutoSize | Out-String -Width 200
Remove-Item $traceFile -ErrorAction Ignore
if (Test-Path $env:PODSHELL_ROOT) { Remove-Item -Recurse -Force $env:PODSHELL_ROOT -ErrorAction Ignore }
