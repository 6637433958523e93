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

# Polls a script block until it returns something truthy (returned), or $null after the timeout.
function Wait-Until {
    param([scriptblock] $Condition, [int] $TimeoutMilliseconds = 5000)
    $deadline = [DateTime]::UtcNow.AddMilliseconds($TimeoutMilliseconds)
    do {
        $value = & $Condition
        if ($value) { return $value }
        Start-Sleep -Milliseconds 20
    } while ([DateTime]::UtcNow -lt $deadline)
    $null
}

Export-ModuleMember -Function *
