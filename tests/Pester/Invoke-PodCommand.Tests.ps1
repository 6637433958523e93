BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'ExecTestHelpers.psm1') -Force
    Import-PodShellUnderTest

    # Runs a command under the given preferences and records what a script sees: every item of the merged
    # output (stdout lines as OUT, error records as ERR with their id), whether it stopped the script, and
    # $LASTEXITCODE. The same block runs natively and in the container, so both can be compared.
    function Invoke-Case {
        param([scriptblock] $Body, [string] $Preference, [bool] $UseNativePreference)
        $ErrorActionPreference = $Preference
        $PSNativeCommandUseErrorActionPreference = $UseNativePreference
        $global:LASTEXITCODE = $null
        $items = [System.Collections.Generic.List[string]]::new()
        $threw = $null
        try {
            & $Body 2>&1 | ForEach-Object {
                if ($_ -is [System.Management.Automation.ErrorRecord]) { $items.Add("ERR:$($_.FullyQualifiedErrorId -replace ',.*'):$($_.Exception.Message -replace 'Program "sh".*', 'exit')") }
                else { $items.Add("OUT:$_") }
            }
        }
        catch { $threw = $_.FullyQualifiedErrorId -replace ',.*' }
        [pscustomobject]@{
            # Two pipes: which of stdout and stderr is read first is not defined, natively either.
            Items    = ($items | Sort-Object) -join '|'
            Threw    = $threw
            ExitCode = $global:LASTEXITCODE
        }
    }
}

Describe 'Invoke-PodCommand: a native command in a container' {
    BeforeAll {
        $name = New-TestPodName 'exec'
        $pod = New-PodSandbox -Name $name
        # no_new_privs on, so the exec'd process is seen to get it too (it is off by default, as in Kubernetes).
        $app = $pod | Add-PodContainer -Name app -Image host -Command sleep, infinity -NoNewPrivileges
        $pod | Add-PodContainer -Name side -Image host -Command sleep, infinity | Out-Null
        $single = New-TestPodName 'exec1'
        New-PodSandbox -Name $single | Add-PodContainer -Name only -Image host -Command sleep, infinity | Out-Null
        $work = Join-Path ([System.IO.Path]::GetTempPath()) ("podshell-exec-" + [guid]::NewGuid().ToString('N').Substring(0, 8))
        New-Item -ItemType Directory $work | Out-Null
    }
    AfterAll {
        Remove-TestPod $name, $single
        Remove-Item -Recurse -Force $work -ErrorAction Ignore
    }

    Context 'side by side with sh -c run natively, under each preference' {
        It '<Script> under <Preference> (native exit errors: <UseNative>)' -ForEach @(
            foreach ($script in 'echo warn >&2; echo after', 'echo out; exit 3', 'echo e1 >&2; echo e2 >&2; exit 2', 'printf "a\nb\r\nc\n\nd"') {
                foreach ($preference in 'Continue', 'Stop', 'SilentlyContinue') {
                    foreach ($useNative in $false, $true) { @{ Script = $script; Preference = $preference; UseNative = $useNative } }
                }
            }
        ) {
            $native = Invoke-Case { sh -c $Script } $Preference $UseNative
            $inPod = Invoke-Case { Invoke-PodCommand $name app -- sh -c $Script } $Preference $UseNative
            $inPod.Items | Should -BeExactly $native.Items
            $inPod.Threw | Should -Be $native.Threw
            $inPod.ExitCode | Should -Be $native.ExitCode
        }

        It 'keeps running the script after stderr under $ErrorActionPreference = Stop (the issue''s case)' {
            $ErrorActionPreference = 'Stop'
            $seen = Invoke-PodCommand $name app -- sh -c 'echo warn >&2; echo after' 2>$null
            $seen | Should -Be 'after'
            $LASTEXITCODE | Should -Be 0
        }

        It 'writes stderr as NativeCommandError records around a RemoteException, as pwsh does' {
            $record = Invoke-PodCommand $name app -- sh -c 'echo oops >&2' 2>&1
            $record | Should -BeOfType System.Management.Automation.ErrorRecord
            $record.FullyQualifiedErrorId | Should -Be 'NativeCommandError'
            $record.Exception | Should -BeOfType System.Management.Automation.RemoteException
            $record.Exception.Message | Should -Be 'oops'
        }

        It 'sets $LASTEXITCODE for every run, including 127 for a command that is not in the container' {
            Invoke-PodCommand $name app -- sh -c 'exit 42'
            $LASTEXITCODE | Should -Be 42
            Invoke-PodCommand $name app -- true
            $LASTEXITCODE | Should -Be 0
            $err = Invoke-PodCommand $name app -- no-such-command 2>&1
            $LASTEXITCODE | Should -Be 127
            "$err" | Should -Match 'executable file not found'
        }
    }

    Context 'bytes' {
        It 'writes stdout byte for byte through > and >>, as pwsh does for native commands (cmp against native gzip)' {
            $native = Join-Path $work 'native-redirect.gz'
            $viaPod = Join-Path $work 'pod-redirect.gz'
            gzip -c -n /usr/bin/dash > $native
            Invoke-PodCommand $name app -- gzip -c -n /usr/bin/dash > $viaPod
            & cmp $native $viaPod | Should -BeNullOrEmpty
            $LASTEXITCODE | Should -Be 0
            & gzip -t $viaPod
            $LASTEXITCODE | Should -Be 0
            sh -c 'printf "\001\377"' > "$native.2"
            sh -c 'printf "tail\r"' >> "$native.2"
            Invoke-PodCommand $name app -- sh -c 'printf "\001\377"' > "$viaPod.2"
            Invoke-PodCommand $name app -- sh -c 'printf "tail\r"' >> "$viaPod.2"
            & cmp "$native.2" "$viaPod.2" | Should -BeNullOrEmpty
        }

        It 'writes text, as pwsh does, when stderr is merged into the redirected output (2>&1 > file)' {
            sh -c 'echo out; echo err >&2' 2>&1 > (Join-Path $work 'native-merged.txt')
            Invoke-PodCommand $name app -- sh -c 'echo out; echo err >&2' 2>&1 > (Join-Path $work 'pod-merged.txt')
            Get-Content (Join-Path $work 'pod-merged.txt') | Sort-Object | Should -Be (Get-Content (Join-Path $work 'native-merged.txt') | Sort-Object)
        }

        It 'writes stdout byte for byte with -OutFile: the same gzip stream as a native gzip redirected with >' {
            $native = Join-Path $work 'native.gz'
            $viaPod = Join-Path $work 'pod.gz'
            gzip -c -n /usr/bin/dash > $native
            Invoke-PodCommand $name app -OutFile $viaPod -- gzip -c -n /usr/bin/dash
            $LASTEXITCODE | Should -Be 0
            & cmp $native $viaPod | Should -BeNullOrEmpty
            $LASTEXITCODE | Should -Be 0
            & gzip -t $viaPod
            $LASTEXITCODE | Should -Be 0
        }

        It 'passes bytes on with -AsByteStream (into Set-Content -AsByteStream and into a native command)' {
            $viaPod = Join-Path $work 'bytes.gz'
            Invoke-PodCommand $name app -AsByteStream -- gzip -c -n /usr/bin/dash | Set-Content -AsByteStream -Path $viaPod
            & cmp (Join-Path $work 'native.gz') $viaPod | Should -BeNullOrEmpty
            $sum = Invoke-PodCommand $name app -AsByteStream -- gzip -c -n /usr/bin/dash | gzip -dc | sha256sum
            ($sum -split ' ')[0] | Should -Be ((& sha256sum /usr/bin/dash) -split ' ')[0]
        }

        It 'splits stdout into lines as pwsh does for native commands (UTF-8, \n, \r\n and \r)' {
            $native = sh -c 'printf "h\303\251llo\nx\r\ny\rz"'
            $inPod = Invoke-PodCommand $name app -- sh -c 'printf "h\303\251llo\nx\r\ny\rz"'
            $inPod | Should -Be $native
            $inPod[0] | Should -BeExactly 'héllo'
        }
    }

    Context 'stdin from the pipeline' {
        It 'sends pipeline strings as lines: Get-Content f | Invoke-PodCommand ... -- wc -l' {
            $file = Join-Path $work 'lines.txt'
            1..1234 | ForEach-Object { "line $_" } | Set-Content $file
            $native = Get-Content $file | wc -l
            $inPod = Get-Content $file | Invoke-PodCommand $name app -- wc -l
            $inPod.Trim() | Should -Be $native.Trim()
            $inPod.Trim() | Should -Be '1234'
        }

        It 'sends what native commands get for <Label>' -ForEach @(
            @{ Label = 'strings'; Produce = { 'hello', 'wörld' } }
            @{ Label = 'bytes'; Produce = { [byte[]] (0, 1, 2, 13, 10, 255) } }
            @{ Label = 'numbers'; Produce = { 1, 2, 3 } }
            @{ Label = 'objects (formatted as a table)'; Produce = { [pscustomobject]@{ A = 1; B = 'x' }, [pscustomobject]@{ A = 2; B = 'y' } } }
        ) {
            $native = & $Produce | od -An -c
            $inPod = & $Produce | Invoke-PodCommand $name app -- od -An -c
            $inPod | Should -Be $native
        }

        It 'streams input while the command runs and stops feeding when it has had enough (head)' {
            $started = [DateTime]::UtcNow
            $inPod = 1..200000 | Invoke-PodCommand $name app -- head -n 2
            $inPod | Should -Be @('1', '2')
            ([DateTime]::UtcNow - $started).TotalSeconds | Should -BeLessThan 60
        }

        It 'runs the command on empty input when the pipeline brings nothing' {
            @() | Invoke-PodCommand $name app -- wc -c | ForEach-Object Trim | Should -Be '0'
        }

        It 'gives a command without pipeline input /dev/null, never pwsh''s own stdin' {
            Invoke-PodCommand $name app -- readlink /proc/self/fd/0 | Should -Be '/dev/null'
        }
    }

    Context 'which container' {
        It 'takes pod and container positionally' {
            Invoke-PodCommand $name side -- hostname | Should -Be $name
        }

        It 'takes the only container of a pod when none is named' {
            Invoke-PodCommand $single -- hostname | Should -Be $single
            Get-Pod $single | Invoke-PodCommand -- hostname | Should -Be $single
        }

        It 'binds a piped Pod to the pod and a piped PodContainer to both' {
            Get-Pod $name | Invoke-PodCommand -Container side -- hostname | Should -Be $name
            Get-Pod $name | Invoke-PodCommand app -- hostname | Should -Be $name
            Get-PodContainer -Pod $name -Name side | Invoke-PodCommand -- sh -c 'echo $HOSTNAME' | Should -Be $name
        }

        It 'lists the containers when a pod has several and none is named' {
            Invoke-PodCommand -ErrorAction SilentlyContinue -ErrorVariable err $name -- hostname
            $err[0].FullyQualifiedErrorId | Should -Match '^ContainerNameRequired'
            "$($err[0])" | Should -Match 'app, side'
        }

        It 'says when the pod does not exist or the container is not running' {
            Invoke-PodCommand -ErrorAction SilentlyContinue -ErrorVariable err no-such-pod app -- true
            $err[0].FullyQualifiedErrorId | Should -Match '^PodNotFound'
            $stopped = New-TestPodName 'exec2'
            try {
                New-PodSandbox -Name $stopped | Add-PodContainer -Name c -Image host -Command true -RestartPolicy Never | Out-Null
                Wait-Until -Because 'the container to exit' { (Get-PodContainer -Pod $stopped -Name c).State -eq 'Exited' } | Out-Null
                Invoke-PodCommand -ErrorAction SilentlyContinue -ErrorVariable err $stopped c -- true
                $err[0].FullyQualifiedErrorId | Should -Match '^ContainerNotRunning'
            }
            finally { Remove-TestPod $stopped }
        }
    }

    Context 'the exec''d process' {
        It 'joins every namespace of the container (readlink of its /proc/self/ns against the container''s process)' {
            $links = Invoke-PodCommand $name app -- sh -c 'for n in cgroup ipc mnt net pid uts; do readlink /proc/self/ns/$n; done'
            $expected = foreach ($n in 'cgroup', 'ipc', 'mnt', 'net', 'pid', 'uts') { & readlink "/proc/$($app.Pid)/ns/$n" }
            $links | Should -Be $expected
        }

        It 'has the container''s capabilities, no_new_privs and seccomp mode (its /proc/self/status against the container''s first process)' {
            $fields = 'CapInh', 'CapPrm', 'CapEff', 'CapBnd', 'CapAmb', 'NoNewPrivs', 'Seccomp'
            $pattern = '^(' + ($fields -join '|') + '):'
            $exec = Invoke-PodCommand $name app -- cat /proc/self/status | Where-Object { $_ -match $pattern }
            $main = Get-Content "/proc/$($app.Pid)/status" | Where-Object { $_ -match $pattern }
            $exec | Should -Be $main
            $exec | Should -Contain "NoNewPrivs:`t1"
        }

        It 'runs in the container''s cgroup (the main process and it read the same /proc/PID/cgroup)' {
            Invoke-PodCommand $name app -- cat /proc/self/cgroup | Should -Be (Invoke-PodCommand $name app -- cat /proc/1/cgroup)
        }

        It 'is in a session of its own with no controlling terminal, and cannot open /dev/tty' {
            $stat = Invoke-PodCommand $name app -- sh -c 'cat /proc/self/stat'
            $fields = ($stat.Substring($stat.LastIndexOf(')') + 2)) -split ' '
            $fields[3] | Should -Be $fields[2] -Because 'the session id is its own process group (it leads the session)'
            $fields[4] | Should -Be '0' -Because 'tty_nr 0: no controlling terminal'
            $out = Invoke-PodCommand $name app -- sh -c 'exec 3</dev/tty && echo OPENED' 2>&1
            "$out" | Should -Not -Match 'OPENED'
            "$out" | Should -Match 'No such device'
        }

        It 'has pipes for stdout and stderr' {
            Invoke-PodCommand $name app -- sh -c 'readlink /proc/self/fd/1 /proc/self/fd/2' | Should -Match '^pipe:'
        }

        It 'can be interrupted (StopProcessing): the command stops and nothing of it stays in the container' {
            $ps = [powershell]::Create()
            [void] $ps.AddScript("Import-Module '$($env:PODSHELL_TEST_MODULE)/PodShell.psd1'; Invoke-PodCommand $name app -- sleep 321")
            $async = $ps.BeginInvoke()
            try {
                Wait-Until -Because 'sleep 321 to run in the container' {
                    Get-CgroupProcessId $app.CgroupPath | Where-Object { (Get-Content -Raw "/proc/$_/cmdline" -ErrorAction Ignore) -match 'sleep.321' }
                } | Out-Null
                $ps.Stop()
                $async.IsCompleted | Should -BeTrue
                Wait-Until -TimeoutSeconds 10 -Because 'sleep 321 to be gone from the container''s cgroup' {
                    -not (Get-CgroupProcessId $app.CgroupPath | Where-Object { (Get-Content -Raw "/proc/$_/cmdline" -ErrorAction Ignore) -match 'sleep.321' })
                } | Should -BeTrue
            }
            finally { $ps.Dispose() }
        }
    }

    Context 'a terminal' {
        It 'refuses -Interactive when pwsh has no terminal, saying why' {
            $pwsh = Get-PwshCommandLine
            $script = "Import-Module '$($env:PODSHELL_TEST_MODULE)/PodShell.psd1'; Invoke-PodCommand $name app -Interactive -- sh 2>&1 | ForEach-Object FullyQualifiedErrorId"
            $words = @($pwsh + @('-NoProfile', '-NonInteractive', '-Command', $script) | ForEach-Object { ConvertTo-ShellWord $_ })
            $out = sh -c "$($words -join ' ') </dev/null"
            $out | Should -Match '^TerminalRequired'
        }

        It 'refuses pipeline input with -Interactive' {
            'x' | Invoke-PodCommand -ErrorAction SilentlyContinue -ErrorVariable err $name app -Interactive -- cat
            $err[0].FullyQualifiedErrorId | Should -Match '^InputNotAllowedWithInteractive'
        }
    }
}
