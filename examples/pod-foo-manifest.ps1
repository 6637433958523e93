<#
.SYNOPSIS
    The article's pod "foo" from its Kubernetes manifest (examples/pod-foo.yaml): what PodShell reads
    from it, the pod it makes, and the pod written back as a manifest.
.EXAMPLE
    ./examples/pod-foo-manifest.ps1 -ModulePath ./out/PodShell
#>
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '../out/PodShell'),
    [string] $Name = 'foo-yaml',
    [switch] $Keep
)
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $ModulePath 'PodShell.psd1') -Force

if (Get-Pod $Name -ErrorAction Ignore) {
    if ($PSBoundParameters.ContainsKey('Name')) {
        Write-Host "A pod named '$Name' exists already: remove it (Remove-Pod $Name -Force) or pass another -Name."
        exit 1
    }
    $Name = 'foo-yaml-' + [guid]::NewGuid().ToString('N').Substring(0, 6)
    Write-Host "A pod named 'foo-yaml' exists already on this node; the demo uses its own pod '$Name'."
}

$manifest = (Get-Content -Raw (Join-Path $PSScriptRoot 'pod-foo.yaml')) -replace '(?m)^  name: foo$', "  name: $Name"

Write-Host '== ConvertFrom-PodManifest: what the manifest asks for, and what PodShell does with each field'
$plan = $manifest | ConvertFrom-PodManifest
$plan | Format-Table | Out-Host
$plan.Report | Format-Table | Out-Host

Write-Host "== New-Pod: the sandbox, then the containers in order"
$pod = $manifest | New-Pod
try {
    Get-PodContainer -Pod $Name | Format-Table | Out-Host
    Write-Host '== ConvertTo-PodManifest: the pod as a v1 Pod manifest again'
    $pod | ConvertTo-PodManifest | Out-Host
}
finally {
    if (-not $Keep) {
        Write-Host "== Remove-Pod $Name"
        Remove-Pod -Name $Name -Force -Confirm:$false -Timeout 2
    }
}
