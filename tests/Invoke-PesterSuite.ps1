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
# The image store of the run: no test touches the node's /var/lib/podshell/images (image tests use their own).
$env:PODSHELL_IMAGE_ROOT = Join-Path ([System.IO.Path]::GetTempPath()) "podshell-test-images-$runId"
# The run's cache of compiled seccomp programs (the node's own is /run/podshell-cache), removed at the end.
$env:PODSHELL_CACHE_ROOT = "/run/podshell-cache-test-$runId"
# Registry settings of the node or the user must not steer the tests' pulls.
$env:PODSHELL_REGISTRIES_CONF = '/nonexistent/registries.conf'
$env:PODSHELL_REGISTRY_MIRRORS = $null

# Pod networking: this run's own CNI config folder and default network (own name, bridge, subnet and
# host-local folder, no masquerading), so suites running side by side on the node never share one.
$env:PODSHELL_CNI_CONFIG_DIR = "/run/podshell-cni-test-$runId"
$env:PODSHELL_DEFAULT_NETWORK = "pst-$runId"
$env:PODSHELL_TEST_NETWORK = "pst-$runId"
Import-Module (Join-Path $env:PODSHELL_TEST_MODULE 'PodShell.psd1')
for ($try = 0; ; $try++) {
    # A random /24 of 10.200-254.x.x: New-PodNetwork refuses one that overlaps a route of the node.
    $subnet = '10.{0}.{1}.0/24' -f (Get-Random -Minimum 200 -Maximum 255), (Get-Random -Maximum 256)
    try {
        New-PodNetwork -Name $env:PODSHELL_TEST_NETWORK -Subnet $subnet -NoMasquerade -ErrorAction Stop | Out-Null
        break
    }
    catch {
        if ($try -ge 20 -or $_.FullyQualifiedErrorId -notlike 'SubnetInUse*') { throw }
    }
}

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
# The CNI plugins' node-wide chains (portmap's CNI-HOSTPORT-*, firewall's CNI-FORWARD and CNI-ADMIN)
# outlive the pods that made them: once no pod of any run has a rule in them, they go too.
function Remove-IdleCniChain {
    param([string] $Table, [string] $Entry, [string[]] $Chains)
    $rules = @(& iptables -w -t $Table -S 2>$null)
    $busy = $rules | Where-Object { $_ -like "-A $Entry *" -and $_ -notlike '*-j CNI-ADMIN' }
    $admin = $rules | Where-Object { $_ -like '-A CNI-ADMIN *' }
    if ($busy -or $admin -or -not ($rules -contains "-N $Entry")) { return }
    foreach ($jump in $rules | Where-Object { $_ -match '^-A (PREROUTING|INPUT|OUTPUT|POSTROUTING|FORWARD) .*-j CNI-' }) {
        & bash -c "iptables -w -t $Table $($jump -replace '^-A ', '-D ')"
    }
    foreach ($chain in $Chains) { & iptables -w -t $Table -F $chain 2>$null }
    foreach ($chain in $Chains) { & iptables -w -t $Table -X $chain 2>$null }
}

try {
    $result = Invoke-Pester -Configuration $config
}
finally {
    Stop-TestDockerDaemon $dockerDaemon
    Remove-Item -Recurse -Force -ErrorAction Ignore $busybox
    Remove-PodNetwork -Name $env:PODSHELL_TEST_NETWORK -Force -Confirm:$false -ErrorAction Continue
    Remove-Item -Recurse -Force -ErrorAction Ignore $env:PODSHELL_CNI_CONFIG_DIR
    Remove-Item -Recurse -Force -ErrorAction Ignore $env:PODSHELL_CACHE_ROOT
    if (Get-Command iptables -ErrorAction Ignore) {
        Remove-IdleCniChain nat CNI-HOSTPORT-DNAT CNI-HOSTPORT-DNAT, CNI-HOSTPORT-MASQ, CNI-HOSTPORT-SETMARK
        Remove-IdleCniChain filter CNI-FORWARD CNI-FORWARD, CNI-ADMIN
    }
}
$summary = [ordered]@{
    Passed  = $result.PassedCount
    Failed  = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
    Skipped = $result.SkippedCount + $result.NotRunCount
}
$summary | ConvertTo-Json | Set-Content -Path $SummaryPath
if ($summary.Failed -gt 0) { exit 1 }
exit 0
