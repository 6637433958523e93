<#
.SYNOPSIS
    Median time of `Get-PodNamespace -All` (in this process) against util-linux's `lsns` (run as a
    process, as a user would), over interleaved runs, and their ratio.
.EXAMPLE
    dotnet pwsh bench/namespace-all.ps1 -ModulePath out/PodShell -Count 51
#>
[CmdletBinding()]
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '../out/PodShell'),
    [ValidateRange(1, 10000)] [int] $Count = 31,
    # lsns's arguments: JSON (-J) by default; pass @() for its plain table.
    [string[]] $LsnsArgument = @('-J')
)
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path (Resolve-Path $ModulePath).Path 'PodShell.psd1') -Force
if (-not (Get-Command lsns -CommandType Application -ErrorAction Ignore)) { throw 'lsns (util-linux) is not installed.' }

function Measure-Milliseconds([scriptblock] $Action) {
    $watch = [System.Diagnostics.Stopwatch]::StartNew()
    & $Action | Out-Null
    $watch.Elapsed.TotalMilliseconds
}

Import-Module (Join-Path $PSScriptRoot 'BenchCommon.psm1') -Force

$podShell = { Get-PodNamespace -All }
$lsns = { & lsns @LsnsArgument }

# Warm-up: JIT, format data and the page cache, so the medians compare steady states.
foreach ($i in 1..3) { Measure-Milliseconds $podShell | Out-Null; Measure-Milliseconds $lsns | Out-Null }

$ours = [System.Collections.Generic.List[double]]::new()
$theirs = [System.Collections.Generic.List[double]]::new()
for ($i = 0; $i -lt $Count; $i++) {
    # Interleaved, alternating who goes first, so drift on the node hits both alike.
    if ($i % 2) {
        $theirs.Add((Measure-Milliseconds $lsns)); $ours.Add((Measure-Milliseconds $podShell))
    } else {
        $ours.Add((Measure-Milliseconds $podShell)); $theirs.Add((Measure-Milliseconds $lsns))
    }
}

$namespaces = @(Get-PodNamespace -All).Count
$processes = @(Get-ChildItem /proc -Directory | Where-Object Name -Match '^\d+$').Count
$oursMedian = Get-Median $ours
$theirsMedian = Get-Median $theirs
$ratio = $oursMedian / $theirsMedian

"Node: $processes processes, $namespaces namespaces; $Count interleaved runs each."
'Get-PodNamespace -All (in-process): median {0,8:N3} ms' -f $oursMedian
'lsns {0,-29} median {1,8:N3} ms' -f ("$($LsnsArgument -join ' ') (process):"), $theirsMedian
'Ratio Get-PodNamespace / lsns: {0:N3} ({1})' -f $ratio, $(if ($ratio -le 1) { 'not slower than lsns' } else { 'SLOWER than lsns' })
