<#
.SYNOPSIS
    Memory and CPU limits: the cgroup files they become, and a container that goes over its memory
    limit and is OOM-killed, as Kubernetes reports it.
.EXAMPLE
    ./examples/limits.ps1 -ModulePath ./out/PodShell
#>
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '../out/PodShell'),
    [string] $Name = 'limits-' + [guid]::NewGuid().ToString('N').Substring(0, 6)
)
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $ModulePath 'PodShell.psd1') -Force

$pod = New-PodSandbox -Name $Name
try {
    $pod | Add-PodContainer -Name app -Command sleep, infinity -Memory 128Mi -Cpu 0.5 | Out-Null
    # Asks for 256 MiB with a 64 MiB limit: the kernel's OOM killer ends it.
    $pod | Add-PodContainer -Name hog -Command python3, -c, 'x = bytearray(256 * 1024 * 1024)' -Memory 64Mi -RestartPolicy Never | Out-Null

    Write-Host '== the pod''s cgroup tree: app has 0.5 cpu and 128Mi, hog 64Mi'
    Get-Pod $Name | Get-PodCgroup | Format-Table | Out-Host

    Write-Host '== hog went over its limit'
    Get-PodContainer $Name hog | Wait-PodContainer -For Exited -Timeout 30 |
        Format-List Name, State, ExitCode, Reason | Out-Host

    Write-Host '== the same limits, read from cgroupfs itself'
    $app = Get-PodContainer $Name app
    $memory = Get-PodCgroup -Path "/memory$($app.CgroupPath)"
    $cpu = Get-PodCgroup -Path "/cpu$($app.CgroupPath)"
    # cgroup v1 names, then v2's (a node has one or the other).
    foreach ($file in (Join-Path $memory.FullPath 'memory.limit_in_bytes'), (Join-Path $memory.FullPath 'memory.max'),
        (Join-Path $cpu.FullPath 'cpu.cfs_quota_us'), (Join-Path $cpu.FullPath 'cpu.cfs_period_us'), (Join-Path $cpu.FullPath 'cpu.max')) {
        if (Test-Path $file) { '{0} = {1}' -f $file, (Get-Content $file) | Out-Host }
    }
}
finally {
    Remove-Pod $Name -Force -Timeout 0
}
