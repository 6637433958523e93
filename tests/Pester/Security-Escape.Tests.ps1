# The escape suite (issue 7): each case is tried from inside a container (or with the caller's own fds), and the
# outcome is read from the kernel (/proc/PID/fd, /proc/PID/status, the node's files), not from PodShell.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-PodShellUnderTest

    function Invoke-InPod([string] $Pod, [string] $Container, [string[]] $Command) {
        Invoke-PodCommand -Pod $Pod -Container $Container -Command $Command -ErrorAction SilentlyContinue 2>&1 | ForEach-Object { "$_" }
    }

    # The fds of a process as "N -> target" (readlink), without 0-2.
    function Get-OpenFd([int] $ProcessId) {
        Get-ChildItem "/proc/$ProcessId/fd" -ErrorAction Ignore | Where-Object { [int] $_.Name -gt 2 } |
            ForEach-Object { '{0} -> {1}' -f $_.Name, (& readlink "/proc/$ProcessId/fd/$($_.Name)") }
    }

    function Get-ParentProcessId([int] $ProcessId) {
        [int] ((Get-Content "/proc/$ProcessId/status" | Where-Object { $_ -like 'PPid:*' }) -split '\s+')[1]
    }
}

Describe 'Escape: no file descriptor of the caller in any process PodShell starts' -Tag 'Security' {
    BeforeAll {
        $name = New-TestPodName 'fds'
        $script:Marker = "/tmp/podshell-escape-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
        $witness = "$Marker.witness"
        $pwsh = @([System.Environment]::ProcessPath)
        if ((Split-Path -Leaf $pwsh[0]) -like 'dotnet*') { $pwsh += Join-Path $PSHOME 'pwsh.dll' }
        $module = Join-Path $env:PODSHELL_TEST_MODULE 'PodShell.psd1'
        # A caller session with fd 7 on the node's / and fd 8 on a node file, as `exec 7</ 8>>file` in a shell.
        $script = @"
Import-Module '$module'
`$pod = New-PodSandbox -Name '$name'
`$c = `$pod | Add-PodContainer -Name c -Image host -Command sleep, infinity
`$exec = Invoke-PodCommand -Pod '$name' -Container c -- sh -c 'ls /proc/self/fd; echo x > /proc/self/fd/7/$($Marker.TrimStart('/')); echo rc=`$?' 2>&1 | ForEach-Object { "`$_" }
[pscustomobject]@{ Pause = `$pod.PausePid; Container = `$c.Pid; Exec = `$exec } | ConvertTo-Json -Compress
"@
        $scriptFile = "$Marker.ps1"
        Set-Content $scriptFile $script
        $quoted = ($pwsh | ForEach-Object { "'$_'" }) -join ' '
        $output = & bash -c "exec 7</ 8>>'$witness'; exec $quoted -NoProfile -NonInteractive -File '$scriptFile'"
        $script:Result = ($output | Where-Object { $_ -like '{*' } | Select-Object -Last 1) | ConvertFrom-Json
        $script:Shim = Get-ParentProcessId $Result.Container
        Remove-Item $scriptFile, $witness -ErrorAction Ignore
    }
    AfterAll {
        Remove-TestPod $name
        Remove-Item $Marker -ErrorAction Ignore
    }

    It 'made the pod from a session that held fds 7 and 8' {
        $Result.Container | Should -BeGreaterThan 0
        $Result.Pause | Should -BeGreaterThan 0
        $Shim | Should -BeGreaterThan 1
        (Get-Content "/proc/$Shim/cmdline" -Raw) | Should -Match 'podshell-init'
    }

    It 'leaves no fd above 2 in the container, and none of the caller''s in the pause and the shim (/proc/PID/fd)' {
        Get-OpenFd $Result.Container | Should -BeNullOrEmpty
        foreach ($daemon in $Result.Pause, $Shim) {
            $fds = @(Get-OpenFd $daemon)
            $fds | Should -Not -Contain '7 -> /'
            $fds | Where-Object { $_ -like "* -> $Marker*" -or $_ -match ' -> /$' } | Should -BeNullOrEmpty
            # What remains is the daemon's own: signalfd, pid namespace, log, pipes of the container, urandom of the runtime.
            $fds | Where-Object { $_ -notmatch 'signalfd|container\.log|pipe:|pid:\[|/dev/urandom' } | Should -BeNullOrEmpty
        }
        foreach ($daemon in $Result.Pause, $Shim) {
            [int] (& ps -o sid= -p $daemon).Trim() | Should -Be $daemon -Because 'the daemons lead sessions of their own'
            & readlink "/proc/$daemon/fd/0" | Should -Be '/dev/null'
        }
    }

    It 'gives an exec''d process no fd 7, so it cannot write on the node through it' {
        $Result.Exec | Should -Not -Contain '7'
        $Result.Exec | Should -Not -Contain 'rc=0'
        Test-Path $Marker | Should -BeFalse
    }
}
