@{
    RootModule           = 'PodShell.dll'
    ModuleVersion        = '0.1.0'
    GUID                 = '6f1f8f3e-5a43-4a59-9a0e-3f3c2b6f7d21'
    Author               = 'PodShell developers'
    CompanyName          = 'PodShell'
    Copyright            = '(c) PodShell developers. MIT licence.'
    Description          = 'Build and inspect Kubernetes-style pods (namespaces and cgroups) by hand on a Linux node.'
    PowerShellVersion    = '7.4'
    CompatiblePSEditions = @('Core')
    FormatsToProcess     = @(
        'Formats/Namespace.format.ps1xml'
        'Formats/Cgroup.format.ps1xml'
        'Formats/Pod.format.ps1xml'
        'Formats/Manifest.format.ps1xml'
        'Formats/Network.format.ps1xml'
        'Formats/Resources.format.ps1xml'
        'Formats/Image.format.ps1xml'
    )
    CmdletsToExport      = @(
        'Get-PodNamespace'
        'Get-PodCgroup'
        'New-PodSandbox'
        'Add-PodContainer'
        'Get-Pod'
        'Get-PodContainer'
        'Start-Pod'
        'Stop-Pod'
        'Remove-Pod'
        'Start-PodContainer'
        'Stop-PodContainer'
        'Remove-PodContainer'
        'Invoke-PodCommand'
        'Enter-PodContainer'
        'Get-PodLog'
        'New-Pod'
        'ConvertFrom-PodManifest'
        'ConvertTo-PodManifest'
        'Export-PodManifest'
        'Restart-Pod'
        'Wait-PodContainer'
        'New-PodNetwork'
        'Get-PodNetwork'
        'Remove-PodNetwork'
        'Test-PodNetwork'
        'Set-PodCgroupLimit'
        'Get-PodStats'
        'Import-PodImage'
        'Get-PodImage'
        'Remove-PodImage'
        'Suspend-Pod'
        'Resume-Pod'
        'Copy-PodItem'
    )
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{
        PSData = @{
            Tags       = @('Linux', 'Kubernetes', 'Pod', 'Namespaces', 'Cgroups', 'Containers')
            ProjectUri = ''
        }
    }
}
