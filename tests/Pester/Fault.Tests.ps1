# The fault suite (issue 7): state files broken in every way (missing, empty, garbage, wrong types) never hide a pod
# or a container, and Remove-Pod -Force still finds every process, mount and cgroup of the pod from the kernel.
# Witnesses: /proc (processes alive), /proc/self/mountinfo, the cgroupfs folders, the state folder.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-PodShellUnderTest

    # Everything of a pod the kernel can show: its pause, its shims and containers, its mounts, its cgroup folders.
    function Get-PodFootprint($Pod, [int[]] $ProcessIds) {
        $dir = $Pod.EngineDetails.StateDirectory
        [pscustomobject]@{
            Processes = @($ProcessIds | Where-Object { Test-ProcessAlive $_ })
            Mounts    = @(Get-Content /proc/self/mountinfo | Where-Object { ($_ -split ' ')[4] -like "$dir/*" })
            Cgroups   = @(Get-TestCgroupFolder $Pod.CgroupPath)
            State     = Test-Path $dir
        }
    }

    # Nothing of the fault pod is left: no process, no mount under its state folder, no cgroup folder, no state folder.
    function Assert-NoPodFootprint($Fault) {
        $left = Get-PodFootprint $Fault.Pod $Fault.Ids
        $left.Processes | Should -BeNullOrEmpty
        $left.Mounts | Should -BeNullOrEmpty
        $left.Cgroups | Should -BeNullOrEmpty
        $left.State | Should -BeFalse
    }

    function New-FaultPod([string] $Prefix) {
        $name = New-TestPodName $Prefix
        $pod = New-PodSandbox -Name $name
        $c = $pod | Add-PodContainer -Name c -Image host -Command sleep, infinity
        $shim = [int] ((Get-Content "/proc/$($c.Pid)/status" | Where-Object { $_ -like 'PPid:*' }) -split '\s+')[1]
        [pscustomobject]@{ Name = $name; Pod = $pod; Container = $c; Ids = @($pod.PausePid, $shim, $c.Pid) }
    }
}

Describe 'Fault: a broken pod.json never hides the pod, and Remove-Pod -Force cleans it from the kernel' -Tag 'Fault' {
    It 'shows the pod as Unknown and removes everything when pod.json is <Case>' -TestCases @(
        @{ Case = 'missing'; Content = $null }
        @{ Case = 'empty'; Content = '' }
        @{ Case = 'truncated'; Content = '{"name": "x", "uid": ' }
        @{ Case = 'of the wrong types'; Content = '{"name": 5, "uid": [1], "namespaces": "no", "labels": 7}' }
        @{ Case = 'another JSON value'; Content = '[1, 2, 3]' }
    ) {
        $f = New-FaultPod 'podjson'
        try {
            $file = Join-Path $f.Pod.EngineDetails.StateDirectory 'pod.json'
            if ($null -eq $Content) { Remove-Item $file } else { [IO.File]::WriteAllText($file, $Content) }

            $listed = Get-Pod | Where-Object Name -EQ $f.Name
            $listed | Should -Not -BeNullOrEmpty -Because 'Get-Pod never hides a pod'
            $listed.State | Should -Be 'Unknown'
            $listed.Message | Should -Match 'pod\.json'
            (Get-Pod $f.Name).State | Should -Be 'Unknown'

            $err = $null
            Remove-Pod $f.Name -Confirm:$false -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].FullyQualifiedErrorId | Should -BeLike 'PodRunning,*' -Because 'its processes still run: -Force is needed'

            Remove-Pod $f.Name -Force -Confirm:$false
            Assert-NoPodFootprint $f
            Get-Pod | Where-Object Name -EQ $f.Name | Should -BeNullOrEmpty
        }
        finally { Remove-TestPod $f.Name }
    }
}

Describe 'Fault: broken container state files' -Tag 'Fault' {
    It 'shows the container as Unknown, and Get-Pod | Remove-Pod -Force cleans everything, when <File> is <Case>' -TestCases @(
        @{ File = 'container.json'; Case = 'garbage'; Content = 'not json at all' }
        @{ File = 'container.json'; Case = 'empty'; Content = '' }
        @{ File = 'container.json'; Case = 'of the wrong types'; Content = '{"name": {"a": 1}, "args": 3}' }
        @{ File = 'status.json'; Case = 'garbage'; Content = '}}}' }
        @{ File = 'status.json'; Case = 'of an unknown state'; Content = '{"state": "Dancing"}' }
        @{ File = 'both'; Case = 'garbage'; Content = 'xx' }
    ) {
        $f = New-FaultPod 'ctrjson'
        try {
            $dir = $f.Container.EngineDetails.StateDirectory
            $files = if ($File -eq 'both') { 'container.json', 'status.json' } else { @($File) }
            foreach ($stateFile in $files) { [IO.File]::WriteAllText((Join-Path $dir $stateFile), $Content) }

            $shown = Get-PodContainer -Pod $f.Name
            $shown | Should -HaveCount 1 -Because 'a container with broken state is never hidden'
            $shown.State | Should -Be 'Unknown'
            $shown.Message | Should -Match ($files[0] -replace '\.', '\.')

            { Get-Pod | Where-Object Name -EQ $f.Name | Remove-Pod -Force -Confirm:$false -ErrorAction Stop } | Should -Not -Throw
            Assert-NoPodFootprint $f
        }
        finally { Remove-TestPod $f.Name }
    }

    It 'removes one container with broken state by -Force, leaving the pod and its other containers' {
        $f = New-FaultPod 'ctrone'
        try {
            $other = Add-PodContainer -Pod $f.Name -Name other -Image host -Command sleep, infinity
            [IO.File]::WriteAllText((Join-Path $f.Container.EngineDetails.StateDirectory 'container.json'), 'garbage')
            [IO.File]::WriteAllText((Join-Path $f.Container.EngineDetails.StateDirectory 'status.json'), 'garbage')
            Remove-PodContainer -Pod $f.Name -Name c -Force -Confirm:$false
            Test-ProcessAlive $f.Container.Pid | Should -BeFalse
            Test-ProcessAlive $f.Ids[1] | Should -BeFalse -Because 'its shim is found by its command line'
            Test-Path "/sys/fs/cgroup/pids$($f.Container.CgroupPath)" | Should -BeFalse
            (Get-PodContainer -Pod $f.Name).Name | Should -Be 'other'
            Test-ProcessAlive $other.Pid | Should -BeTrue
        }
        finally { Remove-TestPod $f.Name }
    }
}

Describe 'Fault: every other state file broken' -Tag 'Fault' {
    It 'still lists the pod, and Remove-Pod -Force leaves nothing, when <File> is <Case>' -TestCases @(
        @{ File = 'containers/c/status.json'; Case = 'empty'; Content = '' }
        @{ File = 'containers/c/status.json'; Case = 'of the wrong types'; Content = '{"state": 5, "pid": "x", "exitCode": []}' }
        @{ File = 'containers/c/config.json'; Case = 'garbage'; Content = 'garbage' }
        @{ File = 'containers/c/config.json'; Case = 'empty'; Content = '' }
        @{ File = 'sandbox.json'; Case = 'garbage'; Content = '{{{' }
        @{ File = 'network.json'; Case = 'garbage'; Content = 'not a CNI result' }
        @{ File = 'network.json'; Case = 'of the wrong types'; Content = '{"cniVersion": 1, "interfaces": "x", "ips": {}}' }
    ) {
        $f = New-FaultPod 'files'
        try {
            [IO.File]::WriteAllText((Join-Path $f.Pod.EngineDetails.StateDirectory $File), $Content)
            Get-Pod -WarningAction SilentlyContinue | Where-Object Name -EQ $f.Name | Should -Not -BeNullOrEmpty -Because 'Get-Pod never hides a pod'
            Get-PodContainer -Pod $f.Name -WarningAction SilentlyContinue | Should -HaveCount 1
            Remove-Pod $f.Name -Force -Confirm:$false -Timeout 0 -WarningAction SilentlyContinue -ErrorAction SilentlyContinue
            Assert-NoPodFootprint $f
        }
        finally { Remove-TestPod $f.Name }
    }
}

Describe 'Fault: a pod another session is creating' -Tag 'Fault' {
    It 'is shown as Creating while that session holds its lock, as Unknown once it is gone, and a new create reclaims the name' {
        $name = New-TestPodName 'midcreate'
        $dir = Join-Path $env:PODSHELL_ROOT "pods/$name"
        $lockPath = Join-Path $env:PODSHELL_ROOT "locks/$name.lock"
        New-Item -ItemType Directory -Force (Split-Path $lockPath), $dir | Out-Null
        # What a create holds between making the folder and writing pod.json: the pod's lock (flock) and an empty folder.
        $held = [IO.File]::Open($lockPath, 'OpenOrCreate', 'ReadWrite', 'None')
        try {
            (Get-Pod | Where-Object Name -EQ $name).State | Should -Be 'Creating'
            (Get-Pod $name).State | Should -Be 'Creating'
        }
        finally { $held.Dispose() }
        $gone = Get-Pod $name -WarningAction SilentlyContinue
        $gone.State | Should -Be 'Unknown'
        $gone.Message | Should -Match 'did not finish'
        try {
            $pod = New-PodSandbox -Name $name -Network None
            $pod.State | Should -Be 'Ready'
            Test-ProcessAlive $pod.PausePid | Should -BeTrue
        }
        finally { Remove-TestPod $name }
        Test-Path $dir | Should -BeFalse
        Test-Path $lockPath | Should -BeFalse -Because 'the lock file goes with the pod'
    }
}

Describe 'Fault: creating on a full state file system' -Tag 'Fault' {
    It 'fails with an error of its own, lists and removes what it left, and creates once there is room' {
        $root = Join-Path $env:PODSHELL_ROOT "full-$([guid]::NewGuid().ToString('N').Substring(0, 6))"
        New-Item -ItemType Directory -Force $root | Out-Null
        & mount -t tmpfs -o size=256k podshell-test-full $root
        $saved = $env:PODSHELL_ROOT
        $name = New-TestPodName 'nospace'
        try {
            $env:PODSHELL_ROOT = $root
            & dd if=/dev/zero of="$root/filler" bs=4k count=1000 2>$null
            $err = $null
            New-PodSandbox -Name $name -Network None -ErrorVariable err -ErrorAction SilentlyContinue | Out-Null
            $err | Should -Not -BeNullOrEmpty
            $err[0].FullyQualifiedErrorId | Should -Not -BeLike 'System.*' -Because 'a PodShell error id, not a raw exception'
            "$($err[0].Exception.Message)" | Should -Match 'space'
            $listed = @(Get-Pod -WarningAction SilentlyContinue | Where-Object Name -EQ $name)
            if (Test-Path "$root/pods/$name") { $listed | Should -HaveCount 1 -Because 'a pod folder is never hidden' }
            Remove-Pod $name -Force -Confirm:$false -Timeout 0 -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
            Test-Path "$root/pods/$name" | Should -BeFalse
            @(Get-ChildItem "$root/locks" -ErrorAction Ignore) | Should -BeNullOrEmpty
            @(Get-ChildItem -Recurse -Directory "/sys/fs/cgroup/pids/$env:PODSHELL_CGROUP_ROOT_NAME" -ErrorAction Ignore | Where-Object Name -Like 'pod*') | Should -BeNullOrEmpty

            Remove-Item "$root/filler"
            $pod = New-PodSandbox -Name $name -Network None
            $pod.State | Should -Be 'Ready'
            Remove-Pod $name -Force -Confirm:$false -Timeout 0
            Test-ProcessAlive $pod.PausePid | Should -BeFalse
        }
        finally {
            Remove-TestPod $name
            $env:PODSHELL_ROOT = $saved
            & umount -l $root
            Remove-Item -Recurse -Force $root -ErrorAction Ignore
        }
    }
}

Describe 'Fault: a killed shim is noticed, and Start-PodContainer takes the container back' -Tag 'Fault' {
    It 'marks the container, warns, and restarts it under a new shim' {
        $f = New-FaultPod 'shim'
        try {
            $shim = $f.Ids[1]
            & kill -9 $shim
            Wait-ProcessExit $shim | Should -BeTrue
            Test-ProcessAlive $f.Container.Pid | Should -BeTrue -Because 'the container outlives its shim'

            $warnings = $null
            $seen = Get-PodContainer -Pod $f.Name -Name c -WarningVariable warnings -WarningAction SilentlyContinue
            $seen.State | Should -Be 'Running'
            $seen.Reason | Should -Be 'ShimLost'
            ($warnings -join "`n") | Should -Match 'unwatched'
            $warnings = $null
            Get-Pod $f.Name -WarningVariable warnings -WarningAction SilentlyContinue | Out-Null
            ($warnings -join "`n") | Should -Match "Container 'c'"

            $back = Start-PodContainer -Pod $f.Name -Name c -PassThru -WarningAction SilentlyContinue
            $back.State | Should -Be 'Running'
            $back.Reason | Should -BeNullOrEmpty
            $back.Pid | Should -Not -Be $f.Container.Pid
            Wait-ProcessExit $f.Container.Pid | Should -BeTrue -Because 'the unwatched process is replaced, not doubled'
            $newShim = [int] ((Get-Content "/proc/$($back.Pid)/status" | Where-Object { $_ -like 'PPid:*' }) -split '\s+')[1]
            (Get-Content -Raw "/proc/$newShim/cmdline") | Should -Match 'shim-run'
            @(Get-Content "/sys/fs/cgroup/pids$($back.CgroupPath)/cgroup.procs") | Should -Be @("$($back.Pid)")
        }
        finally { Remove-TestPod $f.Name }
    }
}

Describe 'Fault: logs are rotated as kubelet does, and a full state disk does not make the shim spin' -Tag 'Fault' {
    It 'keeps at most PODSHELL_CONTAINER_LOG_MAX_FILES files of about PODSHELL_CONTAINER_LOG_MAX_SIZE' {
        $name = New-TestPodName 'logrot'
        $env:PODSHELL_CONTAINER_LOG_MAX_SIZE = '64Ki'
        $env:PODSHELL_CONTAINER_LOG_MAX_FILES = '3'
        try {
            $pod = New-PodSandbox -Name $name
            $c = $pod | Add-PodContainer -Name c -Image host -Command sh, -c, 'i=0; while [ $i -lt 4000 ]; do echo "line $i 0123456789012345678901234567890123456789"; i=$((i+1)); done; echo last-line; sleep infinity'
            $dir = $c.EngineDetails.StateDirectory
            Wait-Until -Because 'the last line' { (Get-PodLog -Pod $name -Container c -Tail 1) -eq 'last-line' } | Out-Null
            $files = @(Get-ChildItem $dir -Filter 'container.log*' | Sort-Object Name)
            $files.Name | Should -Be @('container.log', 'container.log.1', 'container.log.2')
            foreach ($file in $files) { $file.Length | Should -BeLessOrEqual (64KB + 200) }
            (Get-Content "$dir/container.log.1" -TotalCount 1) | Should -Match '^\S+ stdout F line \d+ '
        }
        finally {
            Remove-Item Env:PODSHELL_CONTAINER_LOG_MAX_SIZE, Env:PODSHELL_CONTAINER_LOG_MAX_FILES -ErrorAction Ignore
            Remove-TestPod $name
        }
    }

    It 'backs off while the state file system is full (shim CPU time), keeps the container running, and removes cleanly' {
        $root = Join-Path $env:PODSHELL_ROOT "small-$([guid]::NewGuid().ToString('N').Substring(0, 6))"
        New-Item -ItemType Directory -Force $root | Out-Null
        & mount -t tmpfs -o size=1m podshell-test-small $root
        $saved = $env:PODSHELL_ROOT
        $name = New-TestPodName 'full'
        try {
            $env:PODSHELL_ROOT = $root
            $pod = New-PodSandbox -Name $name
            $c = $pod | Add-PodContainer -Name c -Image host -Command sh, -c, 'while :; do echo 0123456789012345678901234567890123456789012345678901234567890123456789; done'
            $shim = [int] ((Get-Content "/proc/$($c.Pid)/status" | Where-Object { $_ -like 'PPid:*' }) -split '\s+')[1]
            Wait-Until -Because 'the disk to fill' { (& df --output=avail $root | Select-Object -Last 1).Trim() -eq '0' } | Out-Null
            Start-Sleep -Milliseconds 500
            $ticks = { $f = (Get-Content -Raw "/proc/$shim/stat").Split(')')[1].Trim().Split(' '); [long] $f[11] + [long] $f[12] }
            $before = & $ticks
            Start-Sleep -Seconds 3
            $used = (& $ticks) - $before
            $used | Should -BeLessThan 100 -Because 'under a second of CPU in 3 s (clock ticks of 10 ms): the shim backs off instead of spinning'
            Test-ProcessAlive $shim | Should -BeTrue
            $seen = Get-PodContainer -Pod $name -Name c
            $seen.State | Should -Be 'Running'
            $seen.Message | Should -Match 'LogWriteFailed' -Because 'status.json is rewritten in place when no new file fits'
            Remove-Pod $name -Force -Confirm:$false -Timeout 0
            Test-ProcessAlive $shim | Should -BeFalse
            Test-Path "$root/pods/$name" | Should -BeFalse
        }
        finally {
            Remove-TestPod $name
            $env:PODSHELL_ROOT = $saved
            & umount -l $root
            Remove-Item -Recurse -Force $root -ErrorAction Ignore
        }
    }
}

Describe 'Fault: kill -9 of the calling session, of pause, shim and container' -Tag 'Fault' {
    BeforeAll {
        $script:Work = Join-Path ([IO.Path]::GetTempPath()) "podshell-kill-$([guid]::NewGuid().ToString('N').Substring(0, 6))"
        New-Item -ItemType Directory -Force $Work | Out-Null
        $script:Module = Join-Path $env:PODSHELL_TEST_MODULE 'PodShell.psd1'
        # The session warms its cmdlets up (binding, JIT) so that the delays fall into the create itself, says it is
        # ready, and starts on a signal: several sessions are killed in one round, each at its own delay.
        Set-Content "$Work/create.ps1" @'
param([string] $Module, [string] $Name, [string] $Ready, [string] $Go)
Import-Module $Module
New-PodSandbox -Name $Name -WhatIf | Out-Null
Add-PodContainer -Pod $Name -Name c -Image host -Command sleep, infinity -WhatIf -ErrorAction SilentlyContinue | Out-Null
Get-Pod | Out-Null
Set-Content $Ready 'ready'
while (-not (Test-Path $Go)) { Start-Sleep -Milliseconds 2 }
$watch = [Diagnostics.Stopwatch]::StartNew()
New-PodSandbox -Name $Name | Add-PodContainer -Name c -Image host -Command sleep, infinity | Out-Null
"created $($watch.ElapsedMilliseconds)" | Add-Content $Ready
'@
        function script:Start-CreateSession([string] $Name, [string] $Go) {
            $psi = [System.Diagnostics.ProcessStartInfo]::new($Pwsh[0])
            foreach ($a in @($Pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-File', "$Work/create.ps1", $Module, $Name, "$Work/$Name.ready", $Go)) { $psi.ArgumentList.Add($a) }
            $psi.UseShellExecute = $false
            [System.Diagnostics.Process]::Start($psi)
        }
        $script:Pwsh = @([System.Environment]::ProcessPath)
        if ((Split-Path -Leaf $Pwsh[0]) -like 'dotnet*') { $script:Pwsh += Join-Path $PSHOME 'pwsh.dll' }

        # What is left of pods on the node, from the kernel and the file system alone: processes in the run's cgroups
        # or naming the pod's folder, pod cgroup folders in every hierarchy, mounts and state under the pod's folder,
        # the pod's lock file.
        function script:Get-Leftover([string] $Name) {
            $dir = Join-Path $env:PODSHELL_ROOT "pods/$Name"
            $cgroups = @(foreach ($hierarchy in Get-ChildItem /sys/fs/cgroup -Directory) {
                    Get-ChildItem (Join-Path $hierarchy.FullName $env:PODSHELL_CGROUP_ROOT_NAME) -Recurse -Directory -ErrorAction Ignore | Where-Object Name -Like 'pod*' | ForEach-Object FullName
                })
            $processes = @(foreach ($p in Get-ChildItem /proc -Directory | Where-Object Name -Match '^\d+$') {
                    $cmd = (Get-Content -Raw -ErrorAction Ignore "$($p.FullName)/cmdline") -replace "`0", ' '
                    $cg = Get-Content -Raw -ErrorAction Ignore "$($p.FullName)/cgroup"
                    if (($cmd -and $cmd.Contains("$dir/")) -or ($cg -and $cg.Contains("/$env:PODSHELL_CGROUP_ROOT_NAME/"))) {
                        if (Test-ProcessAlive ([int] $p.Name)) { "$($p.Name): $cmd" }
                    }
                })
            @($processes) + @($cgroups) +
            @(Get-Content /proc/self/mountinfo | Where-Object { ($_ -split ' ')[4] -like "$dir*" }) +
            @(Get-ChildItem -Force "$env:PODSHELL_ROOT/pods" -ErrorAction Ignore | Where-Object Name -Like "*$Name*" | ForEach-Object FullName) +
            @(Get-ChildItem "$env:PODSHELL_ROOT/locks" -ErrorAction Ignore | Where-Object Name -Like "$Name*" | ForEach-Object FullName)
        }
    }
    AfterAll { Remove-Item -Recurse -Force $Work -ErrorAction Ignore }

    It 'after kill -9 of the session at 20 points of New-PodSandbox | Add-PodContainer, Get-Pod shows the pod and Remove-Pod -Force or a new create leaves nothing' {
        # One create that is not killed says how long a create takes here and now; the 20 kills spread over 1.4 times that
        # (four sessions create at once in each round, which slows each one down).
        $name = New-TestPodName 'timed'
        $go = "$Work/go-timed"
        $session = Start-CreateSession $name $go
        try {
            Wait-Until -TimeoutSeconds 60 -Because 'the session to warm up' { Test-Path "$Work/$name.ready" } | Out-Null
            Set-Content $go 'go'
            $session.WaitForExit(60000) | Out-Null
            $took = [int] ((@(Get-Content "$Work/$name.ready") -match '^created ') -replace 'created ', '' | Select-Object -First 1)
            $took | Should -BeGreaterThan 0 -Because 'the timing create finished'
        }
        finally {
            if (-not $session.HasExited) { $session.Kill($true) }
            Remove-TestPod $name
        }
        $delays = 0..19 | ForEach-Object { [int] ($_ * $took * 1.4 / 19) }

        $report = foreach ($round in 0..4) {
            $go = "$Work/go-$round"
            $batch = foreach ($k in 0..3) {
                $n = New-TestPodName 'killed'
                [pscustomobject]@{ Name = $n; Delay = $delays[$round + 5 * $k]; Index = $round + 5 * $k; Session = Start-CreateSession $n $go }
            }
            try {
                foreach ($b in $batch) { Wait-Until -TimeoutSeconds 60 -Because 'the sessions to warm up' { Test-Path "$Work/$($b.Name).ready" } | Out-Null }
                Set-Content $go 'go'
                $watch = [Diagnostics.Stopwatch]::StartNew()
                foreach ($b in $batch | Sort-Object Delay) {
                    $wait = $b.Delay - $watch.ElapsedMilliseconds
                    if ($wait -gt 0) { Start-Sleep -Milliseconds $wait }
                    & kill -9 $b.Session.Id
                }
                foreach ($b in $batch) { $b.Session.WaitForExit(5000) | Out-Null }

                foreach ($b in $batch) {
                    $finished = [bool] (@(Get-Content "$Work/$($b.Name).ready" -ErrorAction Ignore) -match '^created')
                    $made = Test-Path (Join-Path $env:PODSHELL_ROOT "pods/$($b.Name)")
                    $listed = Get-Pod -WarningAction SilentlyContinue | Where-Object Name -EQ $b.Name
                    if ($made) { $listed | Should -Not -BeNullOrEmpty -Because "a pod folder is never hidden (kill after $($b.Delay) ms)" }
                    if ($listed) { $listed.State | Should -BeIn 'Ready', 'NotReady', 'Unknown', 'Creating' }
                    # Half the kills are cleaned by Remove-Pod -Force, the other half by creating the pod again.
                    if ($b.Index % 2 -eq 0) {
                        Remove-Pod $b.Name -Force -Confirm:$false -Timeout 0 -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
                    }
                    else {
                        $err = $null
                        $again = New-PodSandbox -Name $b.Name -Network None -ErrorVariable err -ErrorAction SilentlyContinue
                        if ($err) { $err[0].FullyQualifiedErrorId | Should -BeLike 'PodAlreadyExists,*' -Because "only a complete pod keeps its name (kill after $($b.Delay) ms)" }
                        else { $again.State | Should -Be 'Ready' -Because "a half-made pod is reclaimed (kill after $($b.Delay) ms)" }
                        Remove-Pod $b.Name -Force -Confirm:$false -Timeout 0 -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
                    }
                    "$($b.Delay) ms: $(if ($finished) { 'finished' } elseif ($listed) { $listed.State } else { 'no folder' })"
                }
                foreach ($b in $batch) {
                    Get-Leftover $b.Name | Should -BeNullOrEmpty -Because "nothing is left after kill -9 $($b.Delay) ms into the create"
                }
            }
            finally {
                foreach ($b in $batch) {
                    if (-not $b.Session.HasExited) { $b.Session.Kill($true) }
                    Remove-TestPod $b.Name
                }
            }
        }
        Write-Host "A create took $took ms; kills: $($report -join '; ')"
        @($report | Where-Object { $_ -notmatch 'finished|no folder' }) | Should -Not -BeNullOrEmpty -Because 'some kills landed mid-create'
    }

    It 'after kill -9 of its <Victim>, Get-Pod shows the pod and Remove-Pod -Force leaves nothing' -TestCases @(
        @{ Victim = 'pause'; Index = 0 }
        @{ Victim = 'shim'; Index = 1 }
        @{ Victim = 'container'; Index = 2 }
    ) {
        $f = New-FaultPod "kill$Victim"
        try {
            & kill -9 $f.Ids[$Index]
            Wait-ProcessExit $f.Ids[$Index] | Should -BeTrue
            Get-Pod -WarningAction SilentlyContinue | Where-Object Name -EQ $f.Name | Should -Not -BeNullOrEmpty
            Remove-Pod $f.Name -Force -Confirm:$false -Timeout 0 -WarningAction SilentlyContinue
            Assert-NoPodFootprint $f
            Get-Leftover $f.Name | Should -BeNullOrEmpty
        }
        finally { Remove-TestPod $f.Name }
    }
}

Describe 'Fault: the sandbox stage dies with the session that runs it (PR_SET_PDEATHSIG)' -Tag 'Fault' {
    BeforeAll {
        $script:Work = Join-Path ([IO.Path]::GetTempPath()) "podshell-pdeath-$([guid]::NewGuid().ToString('N').Substring(0, 6))"
        New-Item -ItemType Directory -Force $Work | Out-Null
        # A FIFO as the config: the stage blocks opening it, after it has tied itself to its parent.
        $script:Fifo = "$Work/config.fifo"
        & mkfifo $Fifo
        $script:Init = Get-PodShellInitPath
    }
    AfterAll { Remove-Item -Recurse -Force $Work -ErrorAction Ignore }

    It 'is killed when its parent is killed, before it reads its config' {
        $psi = [System.Diagnostics.ProcessStartInfo]::new('bash')
        foreach ($a in '-c', '"$0" sandbox --config "$1" --parent $$ & echo $! > "$2"; wait', $Init, $Fifo, "$Work/stage.pid") { $psi.ArgumentList.Add($a) }
        $parent = [System.Diagnostics.Process]::Start($psi)
        $stage = 0
        try {
            $stage = [int] (Wait-Until -Because 'the stage to start' { Get-Content "$Work/stage.pid" -ErrorAction Ignore })
            Wait-Until -Because 'the stage to wait on its config' {
                ((Get-Content -Raw -ErrorAction Ignore "/proc/$stage/cmdline") -replace "`0", ' ') -match 'sandbox' -and (Get-Content -Raw -ErrorAction Ignore "/proc/$stage/wchan") -match 'partner|fifo'
            } | Out-Null
            & kill -9 $parent.Id
            Wait-ProcessExit $stage | Should -BeTrue -Because 'the kernel sends SIGKILL when the parent dies'
        }
        finally {
            if ($stage -gt 0) { Send-Signal $stage KILL }
            if (-not $parent.HasExited) { $parent.Kill() }
        }
    }

    It 'gives up at once when its caller is gone already (another parent than --parent)' {
        & timeout 20 $Init sandbox --config $Fifo --parent 1 *> $null
        $LASTEXITCODE | Should -Be 1 -Because 'it exits without opening the config (124: it waited on the FIFO)'
    }
}
