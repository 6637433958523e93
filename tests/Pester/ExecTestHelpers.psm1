# Helpers for the exec tests: a child pwsh, and a pwsh running in a real terminal (tmux) that tests type into and read.

# The command line of a pwsh like this one (apphost, or dotnet + pwsh.dll for the local tool).
function Get-PwshCommandLine {
    $process = [System.Environment]::ProcessPath
    if ((Split-Path -Leaf $process) -like 'dotnet*') { return @($process, (Join-Path $PSHOME 'pwsh.dll')) }
    @($process)
}

function ConvertTo-ShellWord([string] $Text) { "'" + ($Text -replace "'", "'\''") + "'" }

# pid of every process in a cgroup (v1 pids hierarchy, else memory), read from cgroupfs itself.
function Get-CgroupProcessId {
    param([Parameter(Mandatory)] [string] $RelativePath)
    foreach ($controller in 'pids', 'memory', 'cpu') {
        $file = Join-Path "/sys/fs/cgroup/$controller" ($RelativePath.TrimStart('/') + '/cgroup.procs')
        if (Test-Path $file) { return @(Get-Content $file | Where-Object { $_ } | ForEach-Object { [int] $_ }) }
    }
    @()
}

function Get-ProcessCommandName([int] $ProcessId) {
    $comm = Get-Content -Raw -ErrorAction Ignore "/proc/$ProcessId/comm"
    if ($comm) { $comm.Trim() }
}

# A tmux server of our own (its own socket) running pwsh with the module under test imported, in a
# terminal of the given size. Returns an object for the functions below.
function Start-TmuxPwsh {
    param([int] $Columns = 100, [int] $Rows = 30)
    if (-not (Get-Command tmux -ErrorAction Ignore)) { throw 'tmux is missing: ./build.ps1 installs it (Debian package tmux).' }
    $socket = 'podshell-test-' + [guid]::NewGuid().ToString('N').Substring(0, 8)
    $module = Join-Path $env:PODSHELL_TEST_MODULE 'PodShell.psd1'
    $environment = foreach ($name in 'PODSHELL_ROOT', 'PODSHELL_CGROUP_ROOT', 'PODSHELL_CGROUP_ROOT_NAME', 'PODSHELL_BACKOFF_BASE_MS') {
        $value = [Environment]::GetEnvironmentVariable($name)
        if ($value) { "$name=$(ConvertTo-ShellWord $value)" }
    }
    $pwsh = (Get-PwshCommandLine | ForEach-Object { ConvertTo-ShellWord $_ }) -join ' '
    $command = "env TERM=xterm $($environment -join ' ') $pwsh -NoProfile -NoLogo"
    & tmux -L $socket -f /dev/null new-session -d -s main -x $Columns -y $Rows $command
    if ($LASTEXITCODE -ne 0) { throw "tmux could not start a session ($LASTEXITCODE)." }
    $session = [pscustomobject]@{ Socket = $socket }
    try {
        Wait-TmuxPane $session 'PS .*> ?$' -TimeoutSeconds 60 | Out-Null
        Send-TmuxLine $session "Import-Module $(ConvertTo-ShellWord $module); Clear-Host"
        Wait-TmuxPane $session '^PS .*> ?$' -TimeoutSeconds 60 | Out-Null
    }
    catch {
        Stop-TmuxPwsh $session
        throw
    }
    $session
}

function Send-TmuxLine {
    param([Parameter(Mandatory)] $Session, [Parameter(Mandatory)] [string] $Text)
    & tmux -L $Session.Socket send-keys -t main -l $Text
    & tmux -L $Session.Socket send-keys -t main Enter
}

# Keys by tmux name (C-c, C-d, Enter...).
function Send-TmuxKey {
    param([Parameter(Mandatory)] $Session, [Parameter(Mandatory)] [string[]] $Key)
    & tmux -L $Session.Socket send-keys -t main @Key
}

function Get-TmuxPane {
    param([Parameter(Mandatory)] $Session)
    @(& tmux -L $Session.Socket capture-pane -p -t main -S -200)
}

# Waits until a line of the screen matches the pattern; returns the screen. Throws with the screen on timeout.
function Wait-TmuxPane {
    param([Parameter(Mandatory)] $Session, [Parameter(Mandatory)] [string] $Pattern, [int] $TimeoutSeconds = 30)
    $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSeconds)
    do {
        $pane = Get-TmuxPane $Session
        if ($pane | Where-Object { $_ -match $Pattern }) { return $pane }
        Start-Sleep -Milliseconds 100
    } while ([DateTime]::UtcNow -lt $deadline)
    throw "Timed out after $TimeoutSeconds s waiting for /$Pattern/ on the screen:`n$($pane -join "`n")"
}

function Clear-TmuxPane {
    param([Parameter(Mandatory)] $Session)
    & tmux -L $Session.Socket clear-history -t main
}

function Resize-TmuxWindow {
    param([Parameter(Mandatory)] $Session, [int] $Columns, [int] $Rows)
    & tmux -L $Session.Socket resize-window -t main -x $Columns -y $Rows
}

# The terminal device tmux gives the pane (the caller's terminal, as pwsh sees it).
function Get-TmuxPaneTty {
    param([Parameter(Mandatory)] $Session)
    (& tmux -L $Session.Socket display-message -p -t main '#{pane_tty}').Trim()
}

function Get-TmuxPanePid {
    param([Parameter(Mandatory)] $Session)
    [int] (& tmux -L $Session.Socket display-message -p -t main '#{pane_pid}').Trim()
}

# Ends this session's tmux server (only ours: its own socket) and the pwsh in it.
function Stop-TmuxPwsh {
    param($Session)
    if ($Session) { & tmux -L $Session.Socket kill-server 2>$null }
}

Export-ModuleMember -Function *
