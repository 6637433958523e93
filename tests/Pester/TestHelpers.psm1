# Shared helpers for the Pester suite: import the built module, start and stop test processes,
# and read the kernel's own view (the independent witnesses) without going through PodShell.

function Import-PodShellUnderTest {
    $path = $env:PODSHELL_TEST_MODULE
    if (-not $path) { $path = Join-Path $PSScriptRoot '../../out/PodShell' }
    Import-Module (Join-Path $path 'PodShell.psd1') -Force -Global
}

# Starts a process that lives until Stop-TestProcess; returns its pid (the innermost one for
# unshare --fork, so the pid is the process inside the new namespaces).
function Start-TestProcess {
    param([Parameter(Mandatory)] [string[]] $ArgumentList)
    $psi = [System.Diagnostics.ProcessStartInfo]::new($ArgumentList[0])
    foreach ($a in $ArgumentList | Select-Object -Skip 1) { $psi.ArgumentList.Add($a) }
    $psi.RedirectStandardOutput = $true
    $psi.RedirectStandardError = $true
    $psi.UseShellExecute = $false
    [System.Diagnostics.Process]::Start($psi)
}

# The pid of the deepest descendant of $ProcessId (for `unshare --fork sleep`), waiting for it to appear.
function Get-LeafProcessId {
    param([Parameter(Mandatory)] [int] $ProcessId, [int] $Depth = 1)
    $current = $ProcessId
    for ($level = 0; $level -lt $Depth; $level++) {
        $child = $null
        for ($try = 0; $try -lt 200 -and -not $child; $try++) {
            $child = Get-ChildProcessId $current | Select-Object -First 1
            if (-not $child) { Start-Sleep -Milliseconds 10 }
        }
        if (-not $child) { throw "Process $current has no child." }
        $current = $child
    }
    # Wait until the child has exec'd (its namespaces are final once it runs its command).
    Start-Sleep -Milliseconds 50
    [int] $current
}

function Get-ChildProcessId {
    param([int] $ProcessId)
    $path = "/proc/$ProcessId/task/$ProcessId/children"
    if (Test-Path $path) {
        (Get-Content -Raw $path) -split '\s+' | Where-Object { $_ } | ForEach-Object { [int] $_ }
    }
}

function Stop-TestProcess {
    param([System.Diagnostics.Process] $Process)
    if ($Process -and -not $Process.HasExited) {
        $Process.Kill($true)
        $Process.WaitForExit(5000) | Out-Null
    }
}

# The namespace inode of a process, read by coreutils' readlink: "net:[4026531840]" -> 4026531840.
function Get-NamespaceInodeByReadlink {
    param([int] $ProcessId, [string] $Type)
    $link = & readlink "/proc/$ProcessId/ns/$Type"
    if ($link -match '\[(\d+)\]') { [uint64] $Matches[1] }
}


# Waits until the process runs the named command (its comm after exec), e.g. 'sleep' for `nsenter ... sleep`.
function Wait-ProcessCommand {
    param([Parameter(Mandatory)] [int] $ProcessId, [Parameter(Mandatory)] [string] $Name, [int] $TimeoutMilliseconds = 3000)
    $deadline = [DateTime]::UtcNow.AddMilliseconds($TimeoutMilliseconds)
    while ([DateTime]::UtcNow -lt $deadline) {
        $comm = Get-Content -Raw -ErrorAction Ignore "/proc/$ProcessId/comm"
        if ($comm -and $comm.Trim() -eq $Name) { return }
        Start-Sleep -Milliseconds 10
    }
    throw "Process $ProcessId does not run '$Name' after $TimeoutMilliseconds ms."
}

# lsns's flat list (util-linux, the independent witness; --list, since its default tree nests rows) as a hashtable "type:inode" -> row with
# Type, Inode, Processes, LowestProcessId, OwnerUserNamespace, Command.
function Get-LsnsNamespace {
    param([string[]] $Type)
    $arguments = @('-J', '--list', '-o', 'NS,TYPE,NPROCS,PID,ONS,COMMAND')
    foreach ($t in $Type) { $arguments += @('-t', $t.ToLowerInvariant()) }
    $json = (& lsns @arguments) -join "`n"
    if ($LASTEXITCODE -ne 0) { throw "lsns failed with exit code $LASTEXITCODE." }
    $rows = @{}
    foreach ($ns in ($json | ConvertFrom-Json).namespaces) {
        $rows["$($ns.type):$($ns.ns)"] = [pscustomobject]@{
            Type               = [string] $ns.type
            Inode              = [uint64] $ns.ns
            Processes          = [int] $ns.nprocs
            LowestProcessId    = [int] $ns.pid
            OwnerUserNamespace = if ($null -ne $ns.ons -and $ns.ons -ne 0) { [uint64] $ns.ons } else { $null }
            Command            = [string] $ns.command
        }
    }
    $rows
}


# The node's namespace of a type, by readlink: PID 1's, or kthreadd's where PID 1 may not be read
# (kernel threads live in the namespaces the node started with).
function Get-NodeNamespaceInode {
    param([string] $Type)
    $inode = Get-NamespaceInodeByReadlink 1 $Type 2>$null
    if (-not $inode) { $inode = Get-NamespaceInodeByReadlink 2 $Type }
    $inode
}

# A pod name no other test uses.
function New-TestPodName {
    param([string] $Prefix = 't')
    '{0}-{1}' -f $Prefix, [guid]::NewGuid().ToString('N').Substring(0, 8)
}

# Removes pods a test made, whatever state they are in.
function Remove-TestPod {
    param([string[]] $Name)
    foreach ($n in $Name) { Remove-Pod -Name $n -Force -Confirm:$false -Timeout 0 -ErrorAction SilentlyContinue }
}

# Every cgroup folder of a pod path in the v1 hierarchies the engine uses.
function Get-TestCgroupFolder {
    param([Parameter(Mandatory)] [string] $RelativePath)
    foreach ($controller in 'memory', 'cpu', 'pids') {
        $dir = Join-Path "/sys/fs/cgroup/$controller" $RelativePath.TrimStart('/')
        if (Test-Path $dir) { $dir }
    }
}

# --- podshell-init (the native backend's helper binary), driven directly ---

function Get-PodShellInitPath {
    $path = $env:PODSHELL_TEST_MODULE
    if (-not $path) { $path = Join-Path $PSScriptRoot '../../out/PodShell' }
    Join-Path $path 'bin/linux-x64/podshell-init'
}

# Runs podshell-init; returns the exit code, stdout, stderr and the JSON line (when stdout is one).
function Invoke-PodShellInit {
    param([Parameter(Mandatory)] [string[]] $ArgumentList)
    $stderrFile = [System.IO.Path]::GetTempFileName()
    try {
        $stdout = & (Get-PodShellInitPath) @ArgumentList 2> $stderrFile
        $code = $LASTEXITCODE
        $text = ($stdout -join "`n")
        $json = $null
        if ($text.StartsWith('{')) { $json = $text | ConvertFrom-Json }
        [pscustomobject]@{ ExitCode = $code; Stdout = $text; Stderr = (Get-Content -Raw $stderrFile); Json = $json }
    }
    finally { Remove-Item $stderrFile -ErrorAction Ignore }
}

# The state letter of /proc/PID/stat (R, S, Z...), or $null when the process is gone.
function Get-ProcessStateLetter {
    param([int] $ProcessId)
    $stat = Get-Content -Raw -ErrorAction Ignore "/proc/$ProcessId/stat"
    if (-not $stat) { return $null }
    ($stat.Substring($stat.LastIndexOf(')') + 2) -split ' ')[0]
}

# A zombie counts as dead: PID 1 of this node does not reap the orphans it adopts.
function Test-ProcessAlive {
    param([int] $ProcessId)
    $state = Get-ProcessStateLetter $ProcessId
    $state -and $state -ne 'Z' -and $state -ne 'X'
}

function Wait-ProcessExit {
    param([int] $ProcessId, [int] $TimeoutMilliseconds = 5000)
    $deadline = [DateTime]::UtcNow.AddMilliseconds($TimeoutMilliseconds)
    while ((Test-ProcessAlive $ProcessId) -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 20 }
    -not (Test-ProcessAlive $ProcessId)
}

function Send-Signal {
    param([int] $ProcessId, [ValidateSet('TERM', 'KILL', 'INT')] [string] $Signal = 'TERM')
    if ($ProcessId -gt 0 -and (Test-ProcessAlive $ProcessId)) { & /bin/kill -s $Signal $ProcessId 2>$null }
}

# Polls a script block until it returns something truthy, and returns that. On timeout: throws
# when -Because says what was awaited, else returns $null.
function Wait-Until {
    param([Parameter(Mandatory)] [scriptblock] $Condition, [int] $TimeoutSeconds = 20, [int] $TimeoutMilliseconds, [string] $Because)
    $span = if ($TimeoutMilliseconds) { [TimeSpan]::FromMilliseconds($TimeoutMilliseconds) } else { [TimeSpan]::FromSeconds($TimeoutSeconds) }
    $deadline = [DateTime]::UtcNow + $span
    do {
        $value = & $Condition
        if ($value) { return $value }
        Start-Sleep -Milliseconds 20
    } while ([DateTime]::UtcNow -lt $deadline)
    if ($Because) { throw "Timed out after $($span.TotalSeconds) s waiting for $Because." }
    $null
}

Export-ModuleMember -Function *
