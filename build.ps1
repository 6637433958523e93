#!/usr/bin/env pwsh
<#
.SYNOPSIS
    Builds, tests and demonstrates PodShell.
.DESCRIPTION
    Build    compiles PodShell.dll and the NativeAOT podshell-init, and assembles the module in out/PodShell.
    Test     builds, then runs the xunit tests (tests/PodShell.Tests) and the Pester suite in a child pwsh; the last
             line is "N passed, N failed, N skipped" for both together. -TestName filters Pester's files
             (the xunit tests run with the full suite, or alone with -TestName Unit).
    Demo     builds, then runs the article's pod example.
    Bench    builds, then runs the scripts under bench/.
    Clean    removes out/ and every bin/ and obj/ folder.
    Set-up that is missing (Debian packages, NuGet packages) is installed on the way.
.EXAMPLE
    dotnet tool restore && dotnet pwsh ./build.ps1 Test
#>
[CmdletBinding()]
param(
    [Parameter(Position = 0)]
    [ValidateSet('Build', 'Test', 'Demo', 'Bench', 'Clean')]
    [string] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    # Pester filter: run only test files whose name matches this wildcard.
    [string] $TestName = '*',

    # Skip the build step (the module in out/PodShell is used as it is).
    [switch] $NoBuild
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$Root = $PSScriptRoot
$Out = Join-Path $Root 'out'
$ModuleOut = Join-Path $Out 'PodShell'
$PesterVersion = '5.7.1'

function Invoke-Native {
    param([string] $File, [string[]] $Arguments)
    & $File @Arguments
    if ($LASTEXITCODE -ne 0) { throw "'$File $($Arguments -join ' ')' failed with exit code $LASTEXITCODE." }
}

# The command line that starts a child pwsh like this one (apphost, or dotnet + pwsh.dll for the local tool).
function Get-PwshCommand {
    $process = [System.Environment]::ProcessPath
    if ((Split-Path -Leaf $process) -like 'dotnet*') { return @($process, (Join-Path $PSHOME 'pwsh.dll')) }
    @($process)
}

function Invoke-ChildPwsh {
    param([string[]] $Arguments)
    $command = @(Get-PwshCommand)
    $rest = @($command | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive') + $Arguments
    & $command[0] @rest
}

function Get-Architecture {
    switch ([System.Runtime.InteropServices.RuntimeInformation]::OSArchitecture) {
        'X64' { 'linux-x64' }
        'Arm64' { 'linux-arm64' }
        default { throw "Unsupported architecture: $_" }
    }
}

# Debian packages the build, the tests or the demo need, by a file that shows they are there. Paths,
# not PATH lookups: containers of the host image see /usr/bin, not a user's own python or curl.
function Install-DebianPrerequisite {
    $wanted = [ordered]@{
        '/usr/bin/unshare' = 'util-linux'; '/usr/bin/nsenter' = 'util-linux'; '/usr/bin/lsns' = 'util-linux'
        '/usr/bin/setpriv' = 'util-linux'; '/usr/bin/ipcmk' = 'util-linux'; '/usr/sbin/ip' = 'iproute2'
        '/usr/bin/ps' = 'procps'; '/usr/bin/gcc' = 'gcc'; '/usr/bin/python3' = 'python3'; '/usr/bin/curl' = 'curl'
        # The independent reader of exported manifests in the tests.
        '/usr/lib/python3/dist-packages/kubernetes' = 'python3-kubernetes'
        # The interactive exec tests drive pwsh in a real terminal.
        '/usr/bin/tmux' = 'tmux'
        # NativeAOT links with the platform's zlib.
        '/usr/include/zlib.h' = 'zlib1g-dev'
        # The Docker tests start a private dockerd (with its containerd and runc); their images are made from busybox-static.
        '/usr/sbin/dockerd' = 'docker.io'; '/usr/bin/busybox' = 'busybox-static'
        # Pod networking: the standard CNI plugins, and iptables for portmap and bridge's ipMasq.
        '/usr/lib/cni/bridge' = 'containernetworking-plugins'; '/usr/sbin/iptables' = 'iptables'
        # Image tests: a local registry (plain and htpasswd), images built from busybox-static, pushed and
        # converted by skopeo, zstd layers; umoci for bench/image-pull.ps1.
        '/usr/bin/docker-registry' = 'docker-registry'; '/usr/bin/skopeo' = 'skopeo'; '/usr/bin/htpasswd' = 'apache2-utils'
        '/usr/bin/zstd' = 'zstd'; '/usr/bin/umoci' = 'umoci'
        # The independent witness of the cgroup v2 devices program in the escape tests.
        '/usr/sbin/bpftool' = 'bpftool'
    }
    # CNI plugins installed by hand in /opt/cni/bin serve as well as Debian's.
    if (Test-Path '/opt/cni/bin/bridge') { $wanted.Remove('/usr/lib/cni/bridge') }
    $missing = @($wanted.GetEnumerator() | Where-Object { -not (Test-Path $_.Key) } | ForEach-Object Value | Select-Object -Unique)
    # Debian's plain busybox package is dynamically linked: a test image needs the static one.
    if ((Test-Path /usr/bin/busybox) -and -not (Test-StaticExecutable /usr/bin/busybox)) { $missing += 'busybox-static' }
    if ($missing.Count -eq 0) { return }
    if (-not (Get-Command apt-get -ErrorAction Ignore)) {
        throw "Missing packages ($($missing -join ', ')) and no apt-get to install them: install them by hand."
    }
    Write-Host "Installing Debian packages: $($missing -join ', ')"
    $env:DEBIAN_FRONTEND = 'noninteractive'
    Invoke-Native apt-get @('update', '-qq')
    Invoke-Native apt-get (@('install', '-y', '-qq', '--no-install-recommends') + $missing)
}

# Whether an ELF file has no program interpreter (PT_INTERP), i.e. runs without a dynamic loader.
function Test-StaticExecutable {
    param([string] $Path)
    $bytes = [System.IO.File]::ReadAllBytes($Path)
    if ($bytes.Length -lt 64 -or $bytes[4] -ne 2) { return $false }   # ELF64 only
    $phoff = [BitConverter]::ToInt64($bytes, 32)
    $phentsize = [BitConverter]::ToUInt16($bytes, 54)
    $phnum = [BitConverter]::ToUInt16($bytes, 56)
    for ($i = 0; $i -lt $phnum; $i++) {
        if ([BitConverter]::ToUInt32($bytes, [int] ($phoff + $i * $phentsize)) -eq 3) { return $false }
    }
    $true
}

function Get-PesterModulePath {
    $toolsProject = Join-Path $Root 'build/Tools.csproj'
    Invoke-Native dotnet @('restore', $toolsProject, '--verbosity', 'quiet')
    $globalPackages = (& dotnet nuget locals global-packages --list) -replace '^global-packages:\s*', ''
    $manifest = Join-Path $globalPackages.Trim() "pester/$PesterVersion/tools/Pester.psd1"
    $env:PODSHELL_TEST_OLD_DOCKERDOTNET = Join-Path $globalPackages.Trim() 'docker.dotnet/3.125.15/lib/netstandard2.0/Docker.DotNet.dll'
    if (-not (Test-Path $manifest)) { throw "Pester $PesterVersion was restored but $manifest is missing." }
    $manifest
}

function Merge-Help {
    param([string] $Destination)
    $fragments = Get-ChildItem (Join-Path $Root 'src/PodShell/Help') -Filter '*.xml' | Sort-Object Name
    $merged = [xml]'<?xml version="1.0" encoding="utf-8"?><helpItems schema="maml" xmlns="http://msh"></helpItems>'
    foreach ($fragment in $fragments) {
        $doc = [xml](Get-Content -Raw $fragment.FullName)
        foreach ($command in $doc.DocumentElement.ChildNodes) {
            if ($command.NodeType -eq 'Element') { [void] $merged.DocumentElement.AppendChild($merged.ImportNode($command, $true)) }
        }
    }
    New-Item -ItemType Directory -Force (Split-Path $Destination) | Out-Null
    $merged.Save($Destination)
}

# An adapter and its third-party assemblies go to Dependencies/, which only PodShell's own load context reads.
function Copy-Adapter {
    param([string] $Name)
    $project = Join-Path $Root "src/$Name/$Name.csproj"
    Invoke-Native dotnet @('build', $project, '-c', $Configuration, '--nologo', '--verbosity', 'quiet')
    $built = Join-Path $Root "src/$Name/bin/$Configuration/net8.0"
    $dependencies = Join-Path $ModuleOut 'Dependencies'
    New-Item -ItemType Directory -Force $dependencies | Out-Null
    # PodShell.dll itself is shared from the module folder, never loaded twice.
    Get-ChildItem $built -Filter '*.dll' | Where-Object Name -NE 'PodShell.dll' | Copy-Item -Destination $dependencies
}

function Invoke-Build {
    Install-DebianPrerequisite
    $rid = Get-Architecture
    Invoke-Native dotnet @('build', (Join-Path $Root 'src/PodShell/PodShell.csproj'), '-c', $Configuration, '--nologo', '--verbosity', 'quiet')
    Invoke-Native dotnet @('publish', (Join-Path $Root 'src/PodShell.Init/PodShell.Init.csproj'), '-c', 'Release', '-r', $rid,
        '--nologo', '--verbosity', 'quiet', '-o', (Join-Path $Out "init/$rid"))

    if (Test-Path $ModuleOut) { Remove-Item -Recurse -Force $ModuleOut }
    New-Item -ItemType Directory -Force $ModuleOut, (Join-Path $ModuleOut 'Formats'), (Join-Path $ModuleOut "bin/$rid") | Out-Null
    $dllFolder = Join-Path $Root "src/PodShell/bin/$Configuration/net8.0"
    Copy-Item (Join-Path $dllFolder 'PodShell.dll') $ModuleOut
    # Third-party assemblies load in PodShell's own context from Dependencies/ (see Loader/DependencyLoadContext.cs).
    $dependencies = Join-Path $dllFolder 'Dependencies'
    if (Test-Path $dependencies) {
        New-Item -ItemType Directory -Force (Join-Path $ModuleOut 'Dependencies') | Out-Null
        Copy-Item (Join-Path $dependencies '*.dll') (Join-Path $ModuleOut 'Dependencies')
    }
    Copy-Item (Join-Path $Root 'PodShell.psd1') $ModuleOut
    Copy-Item (Join-Path $Root 'src/PodShell/Formats/*.format.ps1xml') (Join-Path $ModuleOut 'Formats')
    Copy-Item (Join-Path $Out "init/$rid/podshell-init") (Join-Path $ModuleOut "bin/$rid/podshell-init")
    Merge-Help (Join-Path $ModuleOut 'en-US/PodShell.dll-Help.xml')
    Copy-Adapter 'PodShell.Manifest'
    Copy-Item (Join-Path $Root 'src/PodShell/Help/en-US/*.help.txt') (Join-Path $ModuleOut 'en-US')
    Copy-Adapter 'PodShell.Docker'
    Write-Host "Module assembled in $ModuleOut"
}

# The xunit project (pure parts, no root): its counts join Pester's in the summary line. Runs with the full suite,
# or alone with -TestName Unit.
function Invoke-UnitTest {
    $project = Join-Path $Root 'tests/PodShell.Tests/PodShell.Tests.csproj'
    $resultsDirectory = Join-Path $Out 'UnitTestResults'
    Remove-Item -Recurse -Force $resultsDirectory -ErrorAction Ignore
    & dotnet test $project -c $Configuration --nologo --verbosity quiet --logger 'trx;LogFileName=unit.trx' --results-directory $resultsDirectory | Out-Host
    $trx = Join-Path $resultsDirectory 'unit.trx'
    if (-not (Test-Path $trx)) {
        Write-Host 'The unit tests did not run (see the build output above).'
        return [pscustomobject]@{ Passed = 0; Failed = 1; Skipped = 0 }
    }
    $counters = ([xml] (Get-Content -Raw $trx)).TestRun.ResultSummary.Counters
    $failed = [int] $counters.failed + [int] $counters.error + [int] $counters.timeout + [int] $counters.aborted
    if ($LASTEXITCODE -ne 0 -and $failed -eq 0) { $failed = 1 }
    [pscustomobject]@{ Passed = [int] $counters.passed; Failed = $failed; Skipped = [int] $counters.notExecuted }
}

function Invoke-Test {
    $unit = [pscustomobject]@{ Passed = 0; Failed = 0; Skipped = 0 }
    if ($TestName -eq '*' -or 'Unit' -like $TestName) { $unit = Invoke-UnitTest }
    $pester = Get-PesterModulePath
    $results = Join-Path $Out 'TestResults.xml'
    $summary = Join-Path $Out 'TestSummary.json'
    Remove-Item $summary -ErrorAction Ignore
    $runner = Join-Path $Root 'tests/Invoke-PesterSuite.ps1'
    # A child pwsh, so this session never loads (and locks) the freshly built dll.
    $runnerArgs = @('-File', $runner, '-PesterManifest', $pester, '-ModulePath', $ModuleOut,
        '-ResultPath', $results, '-SummaryPath', $summary)
    # pwsh globs bare '*' arguments of native commands on Unix: pass the filter only when set.
    if ($TestName -ne '*') { $runnerArgs += @('-TestName', $TestName) }
    Invoke-ChildPwsh $runnerArgs
    $childExit = $LASTEXITCODE
    if (-not (Test-Path $summary)) {
        Write-Host ('{0} passed, {1} failed, {2} skipped' -f $unit.Passed, ($unit.Failed + 1), $unit.Skipped)
        exit 1
    }
    $counts = Get-Content -Raw $summary | ConvertFrom-Json
    $failed = [int] $counts.Failed
    if ($childExit -ne 0 -and $failed -eq 0) { $failed = 1 }
    if ($unit.Passed + $unit.Failed -gt 0) {
        Write-Host ('Pester: {0} passed, {1} failed, {2} skipped; xunit: {3} passed, {4} failed, {5} skipped' -f
            $counts.Passed, $failed, $counts.Skipped, $unit.Passed, $unit.Failed, $unit.Skipped)
    }
    $failed += $unit.Failed
    Write-Host ('{0} passed, {1} failed, {2} skipped' -f ([int] $counts.Passed + $unit.Passed), $failed, ([int] $counts.Skipped + $unit.Skipped))
    if ($failed -gt 0) { exit 1 }
}

function Invoke-Demo {
    $demo = Join-Path $Root 'examples/pod-foo.ps1'
    if (-not (Test-Path $demo)) { $demo = Join-Path $Root 'examples/namespaces.ps1' }
    Invoke-ChildPwsh @('-File', $demo, '-ModulePath', $ModuleOut)
    if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
    # The same pod from its Kubernetes manifest.
    Invoke-ChildPwsh @('-File', (Join-Path $Root 'examples/pod-foo-manifest.ps1'), '-ModulePath', $ModuleOut)
    if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
}

function Invoke-Bench {
    foreach ($script in Get-ChildItem (Join-Path $Root 'bench') -Filter '*.ps1' | Sort-Object Name) {
        Write-Host "== $($script.Name)"
        Invoke-ChildPwsh @('-File', $script.FullName, '-ModulePath', $ModuleOut)
    }
}

switch ($Task) {
    'Clean' {
        Remove-Item -Recurse -Force -ErrorAction Ignore $Out
        Get-ChildItem $Root -Recurse -Directory -Include bin, obj | Remove-Item -Recurse -Force -ErrorAction Ignore
    }
    'Build' { Invoke-Build }
    'Test' { if (-not $NoBuild) { Invoke-Build }; Invoke-Test }
    'Demo' { if (-not $NoBuild) { Invoke-Build }; Invoke-Demo }
    'Bench' { if (-not $NoBuild) { Invoke-Build }; Invoke-Bench }
}
