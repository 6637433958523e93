<#
.SYNOPSIS
    The Docker backend's per-pod create and remove (sandbox + two containers, as the article's third part
    builds it) next to the docker CLI doing the same (docker run --ipc shareable, docker run --network/--ipc
    container:, docker rm -f) and to the same API calls made straight through Docker.DotNet, interleaved in
    one run. Prints the median per pod and the ratios. Aim: PodShell no slower than the CLI, and within 10%
    of the raw calls.
.DESCRIPTION
    Uses the daemon DOCKER_HOST names when it answers; otherwise starts a private one for the run (as the
    tests do: tests/TestDockerDaemon.ps1) and stops it at the end. The image is busybox-static imported
    locally; nothing is pulled.
.EXAMPLE
    dotnet pwsh ./build.ps1 Bench
#>
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '../out/PodShell'),
    [int] $Iterations = 10
)
$ErrorActionPreference = 'Stop'
$ModulePath = (Resolve-Path $ModulePath).Path
. (Join-Path $PSScriptRoot '../tests/TestDockerDaemon.ps1')
$runId = [guid]::NewGuid().ToString('N').Substring(0, 8)
$env:PODSHELL_CGROUP_ROOT = "podshell-bench-$runId"

Import-Module (Join-Path $PSScriptRoot 'BenchCommon.psm1') -Force

$daemon = $null
$rootfs = $null
& docker version --format '{{.Server.APIVersion}}' *> $null
if ($LASTEXITCODE -ne 0) {
    $rootfs = New-TestBusyboxRootfs -RunId "bench-$runId"
    $daemon = Start-TestDockerDaemon -RunId "bench-$runId" -CgroupRootName $env:PODSHELL_CGROUP_ROOT -Rootfs $rootfs
    if (-not $daemon) { Write-Host "docker-pod: skipped, no Docker daemon: $env:PODSHELL_TEST_DOCKER_SKIP"; return }
    $image = $env:PODSHELL_TEST_DOCKER_IMAGE
}
else {
    $image = "podshell-bench/busybox:$runId"
    $rootfs = New-TestBusyboxRootfs -RunId "bench-$runId"
    & sh -c "tar -C '$rootfs' -c . | docker import - '$image'" | Out-Null
}

try {
    Import-Module (Join-Path $ModulePath 'PodShell.psd1') -Force
    # The pause image is made once, outside the measurement (as docker's busybox is already there).
    New-PodSandbox -Name "bench-$runId-warm" -Engine Docker -WarningAction SilentlyContinue | Out-Null
    Remove-Pod "bench-$runId-warm" -Force -Confirm:$false -Timeout 0
    $pause = (& docker image ls --format '{{.Repository}}:{{.Tag}}' podshell/pause | Select-Object -First 1)

    # The same calls PodShell makes, straight through Docker.DotNet (the copy PodShell loaded, in its own context).
    $dockerDotNet = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'Docker.DotNet' } | Select-Object -First 1
    $models = { param($name) $dockerDotNet.GetType("Docker.DotNet.Models.$name", $true) }
    $builder = [Activator]::CreateInstance($dockerDotNet.GetType('Docker.DotNet.DockerClientBuilder', $true))
    $builder = $builder.WithEndpoint([uri] ($env:DOCKER_HOST ?? 'unix:///var/run/docker.sock')).WithApiVersion([version] (& docker version --format '{{.Server.APIVersion}}'))
    $client = $builder.Build()
    $none = [System.Threading.CancellationToken]::None
    function Invoke-Raw([string] $i) {
        $hostConfig = [Activator]::CreateInstance((& $models HostConfig))
        $hostConfig.NetworkMode = 'none'; $hostConfig.IpcMode = 'shareable'
        $create = [Activator]::CreateInstance((& $models CreateContainerParameters))
        $create.Name = "raw-$runId-$i-pause"; $create.Image = $pause; $create.HostConfig = $hostConfig
        $start = [Activator]::CreateInstance((& $models ContainerStartParameters))
        $sandbox = $client.Containers.CreateContainerAsync($create, $none).GetAwaiter().GetResult().ID
        $null = $client.Containers.StartContainerAsync($sandbox, $start, $none).GetAwaiter().GetResult()
        $ids = @($sandbox)
        foreach ($c in 'app', 'sidecar') {
            $hc = [Activator]::CreateInstance((& $models HostConfig))
            $hc.NetworkMode = "container:$sandbox"; $hc.IpcMode = "container:$sandbox"
            $p = [Activator]::CreateInstance((& $models CreateContainerParameters))
            $p.Name = "raw-$runId-$i-$c"; $p.Image = $image; $p.HostConfig = $hc
            $p.Entrypoint = [System.Collections.Generic.List[string]] @('/bin/sleep', '100000')
            $id = $client.Containers.CreateContainerAsync($p, $none).GetAwaiter().GetResult().ID
            $null = $client.Containers.StartContainerAsync($id, $start, $none).GetAwaiter().GetResult()
            $ids += $id
        }
        foreach ($id in $ids[2], $ids[1], $ids[0]) {
            $remove = [Activator]::CreateInstance((& $models ContainerRemoveParameters))
            $remove.Force = $true
            $client.Containers.RemoveContainerAsync($id, $remove, $none).GetAwaiter().GetResult()
        }
    }

    $ways = [ordered]@{
        podshell = {
            param($i)
            $name = "bench-$runId-$i"
            $pod = New-PodSandbox -Name $name -Engine Docker -WarningAction SilentlyContinue
            $pod | Add-PodContainer -Name app -Image $image -Command /bin/sleep, 100000 | Out-Null
            $pod | Add-PodContainer -Name sidecar -Image $image -Command /bin/sleep, 100000 | Out-Null
            Remove-Pod -Name $name -Force -Confirm:$false -Timeout 0
        }
        'docker CLI' = {
            param($i)
            $pod = "cli-$runId-$i"
            & docker run -d --name "$pod-pause" --ipc shareable --network none $pause | Out-Null
            foreach ($c in 'app', 'sidecar') {
                & docker run -d --name "$pod-$c" --network "container:$pod-pause" --ipc "container:$pod-pause" $image /bin/sleep 100000 | Out-Null
            }
            & docker rm -f "$pod-app" "$pod-sidecar" "$pod-pause" | Out-Null
        }
        'Docker.DotNet' = { param($i) Invoke-Raw $i }
    }

    foreach ($way in $ways.Values) { & $way 'warm' | Out-Null }
    $times = @{}
    foreach ($key in $ways.Keys) { $times[$key] = [System.Collections.Generic.List[double]]::new() }
    for ($i = 0; $i -lt $Iterations; $i++) {
        foreach ($key in $ways.Keys) {
            $clock = [System.Diagnostics.Stopwatch]::StartNew()
            & $ways[$key] $i | Out-Null
            $times[$key].Add($clock.Elapsed.TotalMilliseconds)
        }
    }

    $median = @{}
    foreach ($key in $ways.Keys) { $median[$key] = Get-Median $times[$key] }
    Write-Host ("docker-pod: sandbox + 2 containers, create and remove, median of {0} (daemon API {1})" -f $Iterations, (& docker version --format '{{.Server.APIVersion}}'))
    foreach ($key in $ways.Keys) { Write-Host ("  {0,-14} {1,8:N1} ms" -f $key, $median[$key]) }
    Write-Host ("  podshell / docker CLI    = {0:N2} (aim: <= 1.00)" -f ($median['podshell'] / $median['docker CLI']))
    Write-Host ("  podshell / Docker.DotNet = {0:N2} (aim: <= 1.10)" -f ($median['podshell'] / $median['Docker.DotNet']))
}
finally {
    # Each step on its own, so a failure of one never leaves the daemon running.
    try { & docker ps -a -q --filter "name=$runId" | ForEach-Object { & docker rm -f $_ | Out-Null } } catch { Write-Warning "$_" }
    if (Get-Command Get-Pod -ErrorAction Ignore) {
        try { Get-Pod -Engine Docker -ErrorAction Ignore | Where-Object Name -Like "bench-$runId-*" | ForEach-Object { Remove-Pod $_.Name -Force -Confirm:$false -Timeout 0 } } catch { Write-Warning "$_" }
    }
    if ($daemon) { Stop-TestDockerDaemon $daemon }
    elseif ($image) { & docker rmi $image | Out-Null }
    if ($rootfs) { Remove-Item -Recurse -Force -ErrorAction Ignore $rootfs }
}
