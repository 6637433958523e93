<#
.SYNOPSIS
    The YAML layer's cost: the article's pod made from its manifest (New-Pod) against the same pod made
    by hand (New-PodSandbox + Add-PodContainer), interleaved, and the parse of the manifest alone
    (ConvertFrom-PodManifest). podman kube play of the same file joins where podman runs.
    The pods join a network of the run's own (own CNI folder, bridge, /24 subnet), removed at the end:
    the node's default network is never written.
.EXAMPLE
    dotnet pwsh ./bench/manifest.ps1 -ModulePath ./out/PodShell
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

# The manifest names no network: its pods (and those by hand) join the default one, which is the run's own.
$network = New-BenchNetwork -RunId $runId

# Long-running commands that need no port: many pods at once must not clash.
$template = (Get-Content -Raw (Join-Path $PSScriptRoot '../examples/pod-foo.yaml')) -replace 'command: \[python3[^\]]*\]', 'command: [sleep, infinity]'
$cases = [ordered]@{
    'New-Pod (YAML)' = {
        param($name)
        $template -replace '(?m)^  name: foo$', "  name: $name" | New-Pod | Out-Null
        Remove-Pod -Name $name -Force -Confirm:$false -Timeout 0
    }
    'by hand' = {
        param($name)
        $pod = New-PodSandbox -Name $name -Label @{ app = 'foo' }
        $pod | Add-PodContainer -Name app -Image host -Command sleep, infinity -Memory 256Mi -Cpu 500m | Out-Null
        $pod | Add-PodContainer -Name sidecar -Image host -Command sleep, infinity -Memory 128Mi | Out-Null
        Remove-Pod -Name $name -Force -Confirm:$false -Timeout 0
    }
    'parse only' = { param($name) $template | ConvertFrom-PodManifest | Out-Null }
}
if ((Get-Command podman -ErrorAction Ignore) -and ((& podman info 2>$null) -and $LASTEXITCODE -eq 0)) {
    $cases['podman kube play'] = {
        param($name)
        $file = "/tmp/$name.yaml"
        $template -replace '(?m)^  name: foo$', "  name: $name" -replace 'image: host', 'image: busybox' | Set-Content $file
        & podman kube play $file | Out-Null
        & podman kube down $file | Out-Null
        Remove-Item $file
    }
}

$times = @{}
foreach ($key in $cases.Keys) { $times[$key] = [System.Collections.Generic.List[double]]::new() }
try {
    # One warm-up round, not counted (the YAML adapter loads on first use).
    foreach ($key in $cases.Keys) { & $cases[$key] "bench-$runId-warm" }
    for ($i = 0; $i -lt $Iterations; $i++) {
        foreach ($key in $cases.Keys) {
            $watch = [System.Diagnostics.Stopwatch]::StartNew()
            & $cases[$key] "bench-$runId-$i"
            $times[$key].Add($watch.Elapsed.TotalMilliseconds)
        }
    }
}
finally {
    Get-Pod -ErrorAction Ignore | Where-Object Name -Like "bench-$runId-*" | Remove-Pod -Force -Confirm:$false -Timeout 0
    Remove-BenchNetwork -Name $network.Name
}
$hand = Get-Median $times['by hand']
foreach ($key in $cases.Keys) {
    $median = Get-Median $times[$key]
    '{0,-18} median {1,8:N1} ms   ratio to by hand {2,5:N2}' -f $key, $median, ($median / $hand)
}
'YAML layer overhead per pod: {0:N1} ms' -f ((Get-Median $times['New-Pod (YAML)']) - $hand)
