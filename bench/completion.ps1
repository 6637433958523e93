<#
.SYNOPSIS
    Tab completion with 100 pods: the median time of TabExpansion2 for a pod name (Get-Pod <prefix>)
    and for a container name within a pod (Get-PodLog <pod> <Tab>), against Get-Pod itself (which
    reads every pod's state) as the reference. Completion reads folder names only, so it should stay
    well under the 100 ms a user notices.
.EXAMPLE
    dotnet pwsh bench/completion.ps1 -ModulePath out/PodShell -Pods 100
#>
[CmdletBinding()]
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '../out/PodShell'),
    [ValidateRange(1, 1000)] [int] $Pods = 100,
    [ValidateRange(1, 10000)] [int] $Count = 31
)
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path (Resolve-Path $ModulePath).Path 'PodShell.psd1') -Force

function Measure-Milliseconds([scriptblock] $Action) {
    $watch = [System.Diagnostics.Stopwatch]::StartNew()
    & $Action | Out-Null
    $watch.Elapsed.TotalMilliseconds
}

Import-Module (Join-Path $PSScriptRoot 'BenchCommon.psm1') -Force

# Real pods (sandboxes, each with one container) in a state root of the bench's own.
$env:PODSHELL_ROOT = "/run/podshell-bench-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
$names = 1..$Pods | ForEach-Object { 'bench-{0:d3}' -f $_ }
try {
    foreach ($n in $names) {
        New-PodSandbox -Name $n -Network None | Add-PodContainer -Name app -Command sleep, infinity | Out-Null
    }
    $podLine = 'Get-Pod bench-0'
    $containerLine = "Get-PodLog $($names[0]) "
    $cases = [ordered]@{
        'complete a pod name'       = { TabExpansion2 -inputScript $podLine -cursorColumn $podLine.Length }
        'complete a container name' = { TabExpansion2 -inputScript $containerLine -cursorColumn $containerLine.Length }
        'Get-Pod (reference)'       = { Get-Pod }
    }
    foreach ($case in $cases.Values) { foreach ($i in 1..3) { Measure-Milliseconds $case | Out-Null } }
    foreach ($name in $cases.Keys) {
        $times = foreach ($i in 1..$Count) { Measure-Milliseconds $cases[$name] }
        '{0,-28} median {1,8:0.0} ms over {2} runs with {3} pods' -f $name, (Get-Median $times), $Count, $Pods
    }
}
finally {
    $names | ForEach-Object { Remove-Pod $_ -Force -Timeout 0 -ErrorAction SilentlyContinue }
}
