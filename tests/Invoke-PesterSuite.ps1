<#
.SYNOPSIS
    Runs the Pester suite in an isolated PODSHELL_ROOT and cgroup root, then checks that nothing
    of PodShell is left on the node. Called by build.ps1 Test in a child pwsh.
#>
param(
    [Parameter(Mandatory)] [string] $PesterManifest,
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $ResultPath,
    [Parameter(Mandatory)] [string] $SummaryPath,
    [string] $TestName = '*'
)
$ErrorActionPreference = 'Stop'
Import-Module $PesterManifest -Force

# One unique state root and cgroup root for the whole run; every test file reads them from here.
$runId = [guid]::NewGuid().ToString('N').Substring(0, 8)
$env:PODSHELL_ROOT = "/run/podshell-test-$runId"
$env:PODSHELL_CGROUP_ROOT_NAME = "podshell-test-$runId"
# The engine reads PODSHELL_CGROUP_ROOT; tests read PODSHELL_CGROUP_ROOT_NAME.
$env:PODSHELL_CGROUP_ROOT = $env:PODSHELL_CGROUP_ROOT_NAME
$env:PODSHELL_BACKOFF_BASE_MS = "200"
$env:PODSHELL_TEST_MODULE = (Resolve-Path $ModulePath).Path

$config = New-PesterConfiguration
$config.Run.Path = Join-Path $PSScriptRoot 'Pester'
$config.Run.PassThru = $true
$config.Run.Exit = $false
$config.Filter.FullName = @()
$all = Get-ChildItem (Join-Path $PSScriptRoot 'Pester') -Filter '*.Tests.ps1'
# The leak check always runs, last, after every other file has cleaned up (also when -TestName filters).
$files = @($all | Where-Object { $_.Name -like $TestName -and $_.Name -ne 'Leak.Tests.ps1' }) + @($all | Where-Object Name -EQ 'Leak.Tests.ps1')
$config.Run.Path = @($files.FullName)
$config.Output.Verbosity = 'Detailed'
$config.TestResult.Enabled = $true
$config.TestResult.OutputFormat = 'NUnitXml'
$config.TestResult.OutputPath = $ResultPath

# One private dockerd for the whole run, shared by every Docker test (see TestDockerDaemon.ps1).
. (Join-Path $PSScriptRoot 'TestDockerDaemon.ps1')
$busybox = New-TestBusyboxRootfs -RunId $runId
$dockerDaemon = Start-TestDockerDaemon -RunId $runId -CgroupRootName $env:PODSHELL_CGROUP_ROOT_NAME -Rootfs $busybox
try {
    $result = Invoke-Pester -Configuration $config
}
finally {
    Stop-TestDockerDaemon $dockerDaemon
    Remove-Item -Recurse -Force -ErrorAction Ignore $busybox
}
$summary = [ordered]@{
    Passed  = $result.PassedCount
    Failed  = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
    Skipped = $result.SkippedCount + $result.NotRunCount
}
$summary | ConvertTo-Json | Set-Content -Path $SummaryPath
if ($summary.Failed -gt 0) { exit 1 }
exit 0
