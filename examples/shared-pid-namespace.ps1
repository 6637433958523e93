<#
.SYNOPSIS
    A pod that shares one process namespace (Kubernetes' shareProcessNamespace): the pause is PID 1
    and every container sees the others' processes.
.EXAMPLE
    ./examples/shared-pid-namespace.ps1 -ModulePath ./out/PodShell
#>
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '../out/PodShell'),
    [string] $Name = 'shared-pid-' + [guid]::NewGuid().ToString('N').Substring(0, 6)
)
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $ModulePath 'PodShell.psd1') -Force

$pod = New-PodSandbox -Name $Name -ShareProcessNamespace
try {
    $pod | Add-PodContainer -Name app -Command sleep, infinity | Out-Null
    $pod | Add-PodContainer -Name sidecar -Command sleep, infinity | Out-Null

    Write-Host "== ps in the sidecar: PID 1 is the pause, and app's sleep is there too"
    Invoke-PodCommand $Name sidecar -- ps -e -o 'pid,comm' | Out-Host

    Write-Host '== the pid namespace is the pod''s (Scope Pod) for both containers'
    Get-Pod $Name | Get-PodNamespace -Type pid | Format-Table | Out-Host
}
finally {
    # sleep as a PID 1 ignores SIGTERM: no grace period to wait out.
    Remove-Pod $Name -Force -Timeout 0
}
