<#
.SYNOPSIS
    Pull + unpack of a multi-layer image from a local registry: PodShell's Import-PodImage next to
    skopeo copy + umoci unpack and podman pull (where installed), interleaved; then pod create with a
    stored image next to the host image. Prints medians and ratios. Everything lives in a temp folder.
.EXAMPLE
    dotnet pwsh ./build.ps1 Bench
#>
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '../out/PodShell'),
    [int] $Iterations = 5,
    # Megabytes of file content in the image's data layers.
    [int] $SizeMB = 48
)
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $ModulePath 'PodShell.psd1') -Force
Import-Module (Join-Path $PSScriptRoot '../tests/Pester/ImageTestHelpers.psm1') -Force
$runId = [guid]::NewGuid().ToString('N').Substring(0, 8)
$env:PODSHELL_ROOT = "/run/podshell-bench-$runId"
$env:PODSHELL_CGROUP_ROOT = "podshell-bench-$runId"
$env:PODSHELL_REGISTRIES_CONF = '/nonexistent'
$work = Join-Path ([System.IO.Path]::GetTempPath()) "podshell-bench-images-$runId"
New-Item -ItemType Directory -Force $work | Out-Null

Import-Module (Join-Path $PSScriptRoot 'BenchCommon.psm1') -Force

function Measure-Ms([scriptblock] $Block) {
    $watch = [System.Diagnostics.Stopwatch]::StartNew()
    & $Block
    $watch.Elapsed.TotalMilliseconds
}

$registry = $null
try {
    # The image: busybox, then a layer of many small files, then one of a few large compressible ones.
    $bb = Join-Path $work 'src/busybox'
    New-TestBusyboxRoot $bb
    $small = Join-Path $work 'src/small'
    foreach ($d in 1..40) {
        $dir = Join-Path $small "lib/d$d"
        New-Item -ItemType Directory -Force $dir | Out-Null
        foreach ($f in 1..50) { [System.IO.File]::WriteAllText("$dir/f$f.txt", ("line $d $f`n" * (Get-Random -Minimum 10 -Maximum 200))) }
    }
    $large = Join-Path $work 'src/large'
    New-Item -ItemType Directory -Force $large | Out-Null
    foreach ($i in 1..4) { & bash -c "head -c $([int]($SizeMB / 8))M /dev/urandom > $large/random$i.bin; yes 'podshell bench line' 2>/dev/null | head -c $([int]($SizeMB / 8))M > $large/text$i.txt" }
    $image = New-TestOciLayout -Layout (Join-Path $work 'oci') -LayerFolders $bb, $small, $large -Compression gzip, gzip, gzip -Config @{ Cmd = @('sh'); Env = @('PATH=/bin') }
    $registry = Start-TestRegistry -Folder (Join-Path $work 'registry')
    Push-TestImage -Layout $image.Layout -Registry $registry -Repository bench/multi -Tag 1.0
    $ref = "$($registry.Host)/bench/multi:1.0"
    Write-Host ("Image: {0} layers, {1:0.0} MiB compressed" -f $image.Layers.Count, (($image.Layers | Measure-Object Size -Sum).Sum / 1MB))

    $engines = [ordered]@{
        podshell = {
            param($i)
            $env:PODSHELL_IMAGE_ROOT = Join-Path $work "store-$i"
            Import-PodImage -Reference $ref | Out-Null
        }
    }
    if ((Get-Command skopeo -ErrorAction Ignore) -and (Get-Command umoci -ErrorAction Ignore)) {
        $engines['skopeo+umoci'] = {
            param($i)
            & skopeo copy --quiet --src-tls-verify=false "docker://$ref" "oci:$work/skopeo-$($i):1.0" | Out-Null
            $out = & umoci unpack --image "$work/skopeo-$($i):1.0" "$work/bundle-$i" 2>&1
            if ($LASTEXITCODE -ne 0) { throw "umoci unpack failed: $out" }
        }
    }
    if ((Get-Command podman -ErrorAction Ignore)) {
        $engines['podman'] = {
            param($i)
            & podman --root "$work/podman-$i" --runroot "$work/podman-run-$i" --storage-driver overlay pull --quiet --tls-verify=false $ref *> $null
            if ($LASTEXITCODE -ne 0) { throw 'podman pull failed.' }
        }
    }
    $times = @{}
    foreach ($name in $engines.Keys) { $times[$name] = [System.Collections.Generic.List[double]]::new() }
    for ($i = 0; $i -lt $Iterations; $i++) {
        foreach ($name in $engines.Keys) {
            & sync
            $times[$name].Add((Measure-Ms { & $engines[$name] $i }))
        }
    }
    $base = Get-Median $times['podshell']
    Write-Host "`nPull + unpack, median of $Iterations (ms):"
    foreach ($name in $engines.Keys) {
        $median = Get-Median $times[$name]
        Write-Host ("  {0,-14} {1,8:0.0}   podshell/this = {2:0.00}" -f $name, $median, ($base / $median))
    }

    # Pod create with the stored image beside the host image.
    $env:PODSHELL_IMAGE_ROOT = Join-Path $work 'store-0'
    $podTimes = @{ host = [System.Collections.Generic.List[double]]::new(); image = [System.Collections.Generic.List[double]]::new() }
    for ($i = 0; $i -lt 10; $i++) {
        foreach ($kind in 'host', 'image') {
            $name = "bench-$runId-$kind-$i"
            $podTimes[$kind].Add((Measure-Ms {
                        $pod = New-PodSandbox -Name $name -Network None
                        if ($kind -eq 'host') { $pod | Add-PodContainer -Name app -Image host -Command sleep, infinity | Out-Null }
                        else { $pod | Add-PodContainer -Name app -Image $ref -PullPolicy IfNotPresent -Command sleep, infinity | Out-Null }
                    }))
            Remove-Pod -Name $name -Force -Confirm:$false -Timeout 0
        }
    }
    $hostMedian = Get-Median $podTimes.host
    $imageMedian = Get-Median $podTimes.image
    Write-Host ("`nPod create (sandbox + 1 container), median of 10: host image {0:0.0} ms, stored image {1:0.0} ms, image/host = {2:0.00}" -f $hostMedian, $imageMedian, ($imageMedian / $hostMedian))
}
finally {
    Stop-TestRegistry $registry
    foreach ($dir in Get-ChildItem $work -Directory -Filter 'podman-*' -ErrorAction Ignore) {
        # podman's overlay storage may hold mounts; let podman clean its own store.
        & podman --root $dir.FullName --runroot "$($dir.FullName)-run" system reset --force *> $null
    }
    Remove-Item -Recurse -Force $work -ErrorAction Ignore
}
