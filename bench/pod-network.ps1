<#
.SYNOPSIS
    What pod networking costs: creates and removes a pod N times without a network (-Network None) and
    with one (bridge + host-local + portmap), interleaved with the same plugin chain run by hand on a
    network namespace of its own (ADD bridge, ADD portmap with the bridge's result, DEL in reverse): the
    plugins' own time is the floor. Prints the medians and PodShell's overhead over the plugins.
    Runs on a network of its own (own CNI folder, bridge, /24 subnet, no masquerading), removed at the end.
.EXAMPLE
    dotnet pwsh ./bench/pod-network.ps1 -ModulePath ./out/PodShell -Iterations 20
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
$work = "/run/podshell-bench-chain-$runId"
New-Item -ItemType Directory -Force $work | Out-Null

Import-Module (Join-Path $PSScriptRoot 'BenchCommon.psm1') -Force

$network = New-BenchNetwork -RunId $runId
$config = Get-Content -Raw $network.ConfigPath | ConvertFrom-Json
$bridgeConfig = $config.plugins[0] | Select-Object *
$bridgeConfig | Add-Member cniVersion $config.cniVersion
$bridgeConfig | Add-Member name "$($config.name)-hand"   # its own host-local folder, same bridge and subnet
$bridgeConfig | ConvertTo-Json -Depth 10 -Compress | Set-Content -NoNewline "$work/bridge.json"
$plugins = (@('/opt/cni/bin', '/usr/lib/cni') | Where-Object { Test-Path "$_/bridge" } | Select-Object -First 1)

# The chain by hand: its own timer around the four plugin runs only (the namespace is made before).
$chainScript = @"
set -e
cd '$work'
export CNI_CONTAINERID=hand`$1 CNI_NETNS='$work/netns' CNI_IFNAME=eth0 CNI_PATH='$plugins'
touch netns && unshare --net=netns true
sleep 0.2
start=`$(date +%s%N)
CNI_COMMAND=ADD $plugins/bridge < bridge.json > result.json
printf '{"cniVersion":"1.0.0","name":"hand","type":"portmap","capabilities":{"portMappings":true},"prevResult":%s}' "`$(cat result.json)" > portmap.json
CNI_COMMAND=ADD $plugins/portmap < portmap.json > /dev/null
added=`$(date +%s%N)
sleep 0.2
delstart=`$(date +%s%N)
CNI_COMMAND=DEL $plugins/portmap < portmap.json
printf '%s' "`$(head -c -1 bridge.json),\"prevResult\":`$(cat result.json)}" | CNI_COMMAND=DEL $plugins/bridge
deleted=`$(date +%s%N)
umount netns && rm netns
echo `$(( (added - start) / 1000 )) `$(( (deleted - delstart) / 1000 ))
"@

$times = [ordered]@{}
foreach ($key in 'create, no network', 'create, network', 'plugins ADD by hand', 'remove, no network', 'remove, network', 'plugins DEL by hand') {
    $times[$key] = [System.Collections.Generic.List[double]]::new()
}
try {
    for ($i = -1; $i -lt $Iterations; $i++) {
        foreach ($mode in 'None', 'default') {
            $name = "bench-$runId-$($mode.ToLowerInvariant())"
            # The kernel frees a network namespace asynchronously (under locks interface changes need): let the last one go first.
            Start-Sleep -Milliseconds 200
            $clock = [System.Diagnostics.Stopwatch]::StartNew()
            if ($mode -eq 'None') { New-PodSandbox -Name $name -Network None | Out-Null } else { New-PodSandbox -Name $name | Out-Null }
            $created = $clock.Elapsed.TotalMilliseconds
            Start-Sleep -Milliseconds 200
            $clock.Restart()
            Remove-Pod -Name $name -Force -Confirm:$false -Timeout 0
            $removed = $clock.Elapsed.TotalMilliseconds
            Start-Sleep -Milliseconds 200
            if ($i -lt 0) { continue }   # the first round warms up (JIT, page cache)
            $suffix = if ($mode -eq 'None') { 'no network' } else { 'network' }
            $times["create, $suffix"].Add($created)
            $times["remove, $suffix"].Add($removed)
        }
        $hand = (& bash -c $chainScript bench $i) -split ' '
        if ($LASTEXITCODE -ne 0) { throw "The chain by hand failed: $hand" }
        if ($i -lt 0) { continue }
        $times['plugins ADD by hand'].Add([double] $hand[0] / 1000)
        $times['plugins DEL by hand'].Add([double] $hand[1] / 1000)
    }
}
finally {
    Get-Pod "bench-$runId-*" -ErrorAction Ignore | Remove-Pod -Force -Confirm:$false -Timeout 0
    if (Test-Path "$work/netns") { & umount "$work/netns" 2>$null }
    Remove-BenchNetwork -Name $network.Name
    Remove-Item -Recurse -Force $work, "/var/lib/cni/networks/$($config.name)-hand" -ErrorAction Ignore
}

# Medians, and minimums (the best case, least disturbed by other work on the node).
$median = [ordered]@{}; $minimum = [ordered]@{}
foreach ($key in $times.Keys) { $median[$key] = Get-Median $times[$key]; $minimum[$key] = ($times[$key] | Measure-Object -Minimum).Minimum }
Write-Host "Pod networking, $Iterations rounds (ms):      median      min"
foreach ($key in $median.Keys) { Write-Host ('  {0,-24} {1,9:N1} {2,9:N1}' -f $key, $median[$key], $minimum[$key]) }
foreach ($stat in @(@{ Name = 'median'; Values = $median }, @{ Name = 'min'; Values = $minimum })) {
    $v = $stat.Values
    $add = $v['create, network'] - $v['create, no network'] - $v['plugins ADD by hand']
    $del = $v['remove, network'] - $v['remove, no network'] - $v['plugins DEL by hand']
    Write-Host ('  PodShell''s overhead over the plugins ({0}): create {1:N1} ms, remove {2:N1} ms' -f $stat.Name, $add, $del)
}
