# The interactive path, driven in a real terminal: tmux runs pwsh, send-keys types, capture-pane reads the screen.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'ExecTestHelpers.psm1') -Force
    Import-PodShellUnderTest

    # Processes of the container running the named command (from cgroupfs and /proc, not from PodShell).
    function Get-ContainerProcess([string] $CgroupPath, [string] $Command) {
        Get-CgroupProcessId $CgroupPath | Where-Object { (Get-ProcessCommandName $_) -eq $Command }
    }
}

Describe 'Enter-PodContainer and Invoke-PodCommand -Interactive in a terminal' {
    BeforeAll {
        $name = New-TestPodName 'tty'
        $container = New-PodSandbox -Name $name | Add-PodContainer -Name app -Image host -Command sleep, infinity
        $session = Start-TmuxPwsh -Columns 100 -Rows 30
        $prompt = "root@$([regex]::Escape($name)):"
    }
    AfterAll {
        Stop-TmuxPwsh $session
        Remove-TestPod $name
    }

    It 'shows the prompt of the container''s shell' {
        Send-TmuxLine $session ('stty -g > /tmp/podshell-tty-before-$PID; Enter-PodContainer ' + $name + ' app')
        Wait-TmuxPane $session $prompt | Out-Null
        Get-ContainerProcess $container.CgroupPath 'bash' | Should -Not -BeNullOrEmpty -Because 'bash runs inside the container''s cgroup'
    }

    It 'gives it a pty of the container''s own devpts, not pwsh''s terminal' {
        Send-TmuxLine $session 'tty; stty size'
        $pane = Wait-TmuxPane $session '^\d+ \d+$'
        $pane | Should -Contain '30 100' -Because 'the initial window size is passed on'
        ($pane | Where-Object { $_ -match '^/dev/pts/\d+$' }) | Should -Not -BeNullOrEmpty
        $bash = Get-ContainerProcess $container.CgroupPath 'bash' | Select-Object -First 1
        $theirs = (& stat -L -c '%d %t' "/proc/$bash/fd/0").Trim()
        $ours = (& stat -L -c '%d %t' (Get-TmuxPaneTty $session)).Trim()
        ($theirs -split ' ')[1] | Should -Be '88' -Because 'a pty slave (major 136)'
        ($theirs -split ' ')[0] | Should -Not -Be ($ours -split ' ')[0] -Because 'another devpts instance than the node''s, where pwsh''s terminal lives'
        $stat = Get-Content -Raw "/proc/$bash/stat"
        $fields = $stat.Substring($stat.LastIndexOf(')') + 2) -split ' '
        $fields[4] | Should -Not -Be '0' -Because 'the pty is its controlling terminal'
    }

    It 'passes window size changes on' {
        Resize-TmuxWindow $session -Columns 120 -Rows 40
        Start-Sleep -Milliseconds 500
        Send-TmuxLine $session 'stty size'
        Wait-TmuxPane $session '^40 120$' | Out-Null
    }

    It 'interrupts a sleep inside with Ctrl+C, and the shell goes on' {
        Send-TmuxLine $session 'sleep 987'
        Wait-Until -Because 'sleep 987 to run in the container' { Get-ContainerProcess $container.CgroupPath 'sleep' | Where-Object { (Get-Content -Raw "/proc/$_/cmdline") -match '987' } } | Out-Null
        Send-TmuxKey $session 'C-c'
        # An interactive bash drops the rest of a command line whose job SIGINT killed: ask for the status on its own.
        Wait-TmuxPane $session '^\^C$' | Out-Null
        Send-TmuxLine $session 'echo "status=$?"'
        Wait-TmuxPane $session '^status=130$' | Out-Null
        Wait-Until -TimeoutSeconds 5 -Because 'sleep 987 to be gone' { -not (Get-ContainerProcess $container.CgroupPath 'sleep' | Where-Object { (Get-Content -Raw "/proc/$_/cmdline" -ErrorAction Ignore) -match '987' }) } | Should -BeTrue
    }

    It 'returns to a working pwsh on exit, with $LASTEXITCODE and the terminal as it was' {
        Send-TmuxLine $session 'exit 7'
        Wait-TmuxPane $session '^PS .*>' | Out-Null
        Send-TmuxLine $session '"back=$LASTEXITCODE sum=$(20+22)"; if ((stty -g) -eq (Get-Content /tmp/podshell-tty-before-$PID)) { "TERMINAL-RESTORED" }; Remove-Item /tmp/podshell-tty-before-$PID'
        Wait-TmuxPane $session '^back=7 sum=42$' | Out-Null
        Wait-TmuxPane $session '^TERMINAL-RESTORED$' | Out-Null
        Wait-Until -TimeoutSeconds 5 -Because 'the shell to be gone' { -not (Get-ContainerProcess $container.CgroupPath 'bash') } | Should -BeTrue
    }

    It 'ends the shell with Ctrl+D (Invoke-PodCommand -it)' {
        Send-TmuxLine $session "Clear-Host; Invoke-PodCommand $name app -it -- sh; `"after-d=`$LASTEXITCODE`""
        Wait-TmuxPane $session '^# ?$' | Out-Null
        Send-TmuxKey $session 'C-d'
        Wait-TmuxPane $session '^after-d=0$' | Out-Null
    }

    It 'lets no exec''d process without -Interactive reach the terminal: /dev/tty fails and TIOCSTI injects nothing' {
        # dev.tty.legacy_tiocsti is 1 on the test node: a process holding pwsh's terminal could type into it.
        $inject = 'import fcntl, os, termios' + "`n" +
            'def push(fd):' + "`n" +
            '    try:' + "`n" +
            '        for c in "Write-Output (\"PWN\"+\"ED\")\r": fcntl.ioctl(fd, termios.TIOCSTI, c.encode())' + "`n" +
            '        print("INJECTED", fd)' + "`n" +
            '    except OSError as e: print("refused", fd, e.errno)' + "`n" +
            'for fd in (0, 1, 2): push(fd)' + "`n" +
            'try: push(os.open("/dev/tty", os.O_RDWR))' + "`n" +
            'except OSError as e: print("no /dev/tty", e.errno)'
        Set-Content -Path "/tmp/podshell-tiocsti-$name.py" -Value $inject
        try {
            Send-TmuxLine $session "Clear-Host; Get-Content -Raw /tmp/podshell-tiocsti-$name.py | Invoke-PodCommand $name app -- python3 -; 'TIOCSTI-DONE'"
            $pane = Wait-TmuxPane $session '^TIOCSTI-DONE$'
            Start-Sleep -Seconds 1
            $pane = Get-TmuxPane $session
            ($pane | Where-Object { $_ -match '^refused \d 25$' }).Count | Should -Be 3 -Because 'stdio are pipes (ENOTTY)'
            $pane | Should -Contain 'no /dev/tty 6' -Because 'no controlling terminal (ENXIO)'
            $pane | Should -Not -Contain 'PWNED'
            ($pane | Where-Object { $_ -match '^INJECTED' }) | Should -BeNullOrEmpty
        }
        finally { Remove-Item "/tmp/podshell-tiocsti-$name.py" -ErrorAction Ignore }
    }
}
