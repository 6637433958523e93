# Get-PodNamespace against the kernel's own answers: readlink(1) of /proc/<pid>/ns/* and lsns(8),
# on processes that util-linux's unshare and nsenter put into namespaces of their own.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-PodShellUnderTest

    $script:allTypes = @('net', 'ipc', 'uts', 'pid', 'mnt', 'cgroup', 'user', 'time') |
        Where-Object { Test-Path "/proc/self/ns/$_" }
    $script:hasTime = $allTypes -contains 'time'

    # The node's namespaces as the kernel shows them: PID 1's, or kthreadd's where PID 1 is protected.
    function Get-NodeInode([string] $Type) {
        $inode = Get-NamespaceInodeByReadlink -ProcessId 1 -Type $Type 2>$null
        if ($null -eq $inode) { $inode = Get-NamespaceInodeByReadlink -ProcessId 2 -Type $Type }
        $inode
    }

    $script:started = [System.Collections.Generic.List[System.Diagnostics.Process]]::new()
    function Start-Tracked([string[]] $ArgumentList) {
        $process = Start-TestProcess -ArgumentList $ArgumentList
        $script:started.Add($process)
        $process
    }

    # unshare itself moves into the new net/uts/ipc/mnt namespaces; only its child enters the new pid namespace.
    $script:sandbox = Start-Tracked @('unshare', '--net', '--uts', '--ipc', '--mount', '--pid', '--fork', 'sleep', '300')
    $script:inner = Get-LeafProcessId -ProcessId $sandbox.Id
    Wait-ProcessCommand -ProcessId $inner -Name sleep
    # nsenter without --pid does not fork: the process it starts becomes sleep in the joined net and ipc.
    $script:joined = Start-Tracked @('nsenter', '-t', "$inner", '--net', '--ipc', 'sleep', '300')
    Wait-ProcessCommand -ProcessId $joined.Id -Name sleep
    $script:userSandbox = Start-Tracked @('unshare', '--user', '--map-root-user', '--net', '--fork', 'sleep', '300')
    $script:userInner = Get-LeafProcessId -ProcessId $userSandbox.Id
    Wait-ProcessCommand -ProcessId $userInner -Name sleep
    if ($hasTime) {
        $script:timeSandbox = Start-Tracked @('unshare', '--time', '--fork', 'sleep', '300')
        $script:timeInner = Get-LeafProcessId -ProcessId $timeSandbox.Id
        Wait-ProcessCommand -ProcessId $timeInner -Name sleep
    }
    Wait-ProcessCommand -ProcessId $sandbox.Id -Name unshare

    $script:processes = @{
        self    = $PID
        sandbox = $sandbox.Id
        inner   = $inner
        joined  = $joined.Id
    }
}

AfterAll {
    foreach ($process in $script:started) { Stop-TestProcess $process }
}

Describe 'Get-PodNamespace -Id' {
    It 'agrees with readlink for every namespace of the <Name> process' -ForEach @(
        @{ Name = 'self' }, @{ Name = 'sandbox' }, @{ Name = 'inner' }, @{ Name = 'joined' }
    ) {
        $id = $processes[$Name]
        $result = @(Get-PodNamespace -Id $id)
        $result.Type.ForEach({ $_.ToString().ToLowerInvariant() }) | Should -Be $allTypes
        $comm = (Get-Content -Raw "/proc/$id/comm").Trim()
        foreach ($item in $result) {
            $type = $item.Type.ToString().ToLowerInvariant()
            $item | Should -BeOfType PodShell.Model.ProcessNamespace
            $item.ProcessId | Should -Be $id
            $item.Inode | Should -Be (Get-NamespaceInodeByReadlink -ProcessId $id -Type $type) -Because "$type of $Name"
            $item.Path | Should -Be "/proc/$id/ns/$type"
            $item.IsNodeNamespace | Should -Be ($item.Inode -eq (Get-NodeInode $type)) -Because "$type of $Name"
            $item.Scope | Should -Be $(if ($item.IsNodeNamespace) { 'Node' } else { 'Process' })
            $item.Command | Should -Be $comm
        }
    }

    It 'shows the unshared namespaces as not the node''s, and the rest as the node''s' {
        $byType = @{}
        Get-PodNamespace -Id $inner | ForEach-Object { $byType[$_.Type.ToString()] = $_ }
        foreach ($type in 'Net', 'Uts', 'Ipc', 'Mnt', 'Pid') { $byType[$type].IsNodeNamespace | Should -BeFalse -Because $type }
        foreach ($type in 'Cgroup', 'User') { $byType[$type].IsNodeNamespace | Should -BeTrue -Because $type }
    }

    It 'shows the nsenter-joined process sharing net and ipc, but not uts, mnt or pid' {
        $innerNs = @{}; Get-PodNamespace -Id $inner | ForEach-Object { $innerNs[$_.Type.ToString()] = $_.Inode }
        $joinedNs = @{}; Get-PodNamespace -Id $joined.Id | ForEach-Object { $joinedNs[$_.Type.ToString()] = $_ }
        $joinedNs['Net'].Inode | Should -Be $innerNs['Net']
        $joinedNs['Ipc'].Inode | Should -Be $innerNs['Ipc']
        foreach ($type in 'Uts', 'Mnt', 'Pid') {
            $joinedNs[$type].Inode | Should -Not -Be $innerNs[$type]
            $joinedNs[$type].IsNodeNamespace | Should -BeTrue -Because $type
        }
    }

    It 'shows pid_for_children where it differs from the pid namespace' {
        $readlinkChildren = [uint64] ((& readlink "/proc/$($sandbox.Id)/ns/pid_for_children") -replace '\D', '')
        $parent = Get-PodNamespace -Id $sandbox.Id -Type pid
        $parent.IsNodeNamespace | Should -BeTrue
        $parent.ForChildrenInode | Should -Be $readlinkChildren
        $parent.ForChildrenInode | Should -Be (Get-PodNamespace -Id $inner -Type pid).Inode
        (Get-PodNamespace -Id $inner -Type pid).ForChildrenInode | Should -BeNullOrEmpty
        (Get-PodNamespace -Id $sandbox.Id -Type net).ForChildrenInode | Should -BeNullOrEmpty
    }

    It 'shows time_for_children where it differs from the time namespace' {
        if (-not $hasTime) { Set-ItResult -Skipped -Because 'the kernel has no time namespaces'; return }
        $parent = Get-PodNamespace -Id $timeSandbox.Id -Type time
        $child = Get-PodNamespace -Id $timeInner -Type time
        $parent.IsNodeNamespace | Should -BeTrue
        $child.IsNodeNamespace | Should -BeFalse
        $parent.ForChildrenInode | Should -Be $child.Inode
        $child.ForChildrenInode | Should -BeNullOrEmpty
    }

    It 'reads the current process when no id is given' {
        $result = @(Get-PodNamespace)
        $result.Count | Should -Be $allTypes.Count
        $result.ProcessId | Sort-Object -Unique | Should -Be $PID
    }

    It 'filters by -Type, accepting lower-case names, in a fixed order' {
        $result = @(Get-PodNamespace -Id $inner -Type uts, NET, net, Pid)
        $result.Type | Should -Be @([PodShell.Model.NamespaceType]::Net, [PodShell.Model.NamespaceType]::Uts, [PodShell.Model.NamespaceType]::Pid)
    }

    It 'rejects an unknown namespace type' {
        { Get-PodNamespace -Type bogus } | Should -Throw -ErrorId 'CannotConvertArgumentNoMessage,PodShell.Cmdlets.GetPodNamespaceCommand'
    }
}

Describe 'Get-PodNamespace in the pipeline' {
    It 'takes Get-Process output by property name' {
        $result = @(Get-Process -Id $PID | Get-PodNamespace)
        $result.Count | Should -Be $allTypes.Count
        $result.ProcessId | Sort-Object -Unique | Should -Be $PID
    }

    It 'takes process ids by value' {
        $result = @($inner, $joined.Id | Get-PodNamespace -Type net)
        $result.ProcessId | Should -Be @($inner, $joined.Id)
        $result[0].Inode | Should -Be $result[1].Inode
    }

    It 'takes a ProcessId property and the -ProcessId alias' {
        ([pscustomobject]@{ ProcessId = $inner } | Get-PodNamespace -Type uts).Inode |
            Should -Be (Get-NamespaceInodeByReadlink -ProcessId $inner -Type uts)
        (Get-PodNamespace -ProcessId $inner -Type uts).ProcessId | Should -Be $inner
    }

    It 'gives a ProcessNotFound error for a reaped process and goes on with the others' {
        $gone = [System.Diagnostics.Process]::Start('true')
        $gone.WaitForExit()
        $goneId = $gone.Id
        if (Test-Path "/proc/$goneId") { Set-ItResult -Inconclusive -Because "pid $goneId was reused at once"; return }

        $output = @($PID, $goneId, $inner | Get-PodNamespace -Type uts -ErrorVariable problems -ErrorAction SilentlyContinue)
        $output.ProcessId | Should -Be @($PID, $inner)
        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -Be 'ProcessNotFound,PodShell.Cmdlets.GetPodNamespaceCommand'
        $problems[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $problems[0].TargetObject | Should -Be $goneId
        $problems[0].ToString() | Should -Match "$goneId"
    }

    It 'gives a NamespaceAccessDenied error for a process it may not read and goes on' {
        # Root without CAP_SYS_PTRACE may not read the namespaces of another user's process: a child
        # pwsh (root, CAP_SYS_PTRACE dropped from its bounding set) reads a sleep that runs as nobody.
        if (-not (Get-Command setpriv -CommandType Application -ErrorAction Ignore)) { Set-ItResult -Skipped -Because 'setpriv (util-linux) is missing'; return }
        $nobody = Start-Tracked @('setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', 'sleep', '300')
        Wait-ProcessCommand -ProcessId $nobody.Id -Name sleep
        $pwsh = [System.Environment]::ProcessPath
        $command = if ((Split-Path -Leaf $pwsh) -like 'dotnet*') { @($pwsh, (Join-Path $PSHOME 'pwsh.dll')) } else { @($pwsh) }
        $module = Join-Path (Split-Path (Get-Module PodShell).Path) 'PodShell.psd1'
        $script = "Import-Module '$module'; " +
            "`$out = @(Get-PodNamespace -Id $($nobody.Id), `$PID -Type net -ErrorVariable e -ErrorAction SilentlyContinue); " +
            "'{0}|{1}|{2}|{3}|{4}' -f `$out.Count, `$out[0].ProcessId, `$e[0].FullyQualifiedErrorId, `$e[0].CategoryInfo.Category, `$e[0].TargetObject"
        $line = & setpriv --bounding-set=-sys_ptrace --inh-caps=-sys_ptrace @command -NoProfile -NonInteractive -Command $script
        $count, $outputPid, $errorId, $category, $target = ($line | Select-Object -Last 1) -split '\|'
        $count | Should -Be 1
        $outputPid | Should -Not -Be $nobody.Id
        $errorId | Should -Be 'NamespaceAccessDenied,PodShell.Cmdlets.GetPodNamespaceCommand'
        $category | Should -Be 'PermissionDenied'
        $target | Should -Be $nobody.Id
    }

    It 'gives a NamespaceAccessDenied error for a process even root may not read' {
        # Some sandboxed VMs protect PID 1 from everyone; where no such process exists there is nothing to test.
        $protected = @(1, 2) | Where-Object {
            (Test-Path "/proc/$_/stat") -and $null -eq (& readlink "/proc/$_/ns/net" 2>$null)
        } | Select-Object -First 1
        if (-not $protected) { Set-ItResult -Skipped -Because 'root may read every process here'; return }
        $output = @(Get-PodNamespace -Id $protected, $PID -Type net -ErrorVariable problems -ErrorAction SilentlyContinue)
        $output.ProcessId | Should -Be @($PID)
        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -Be 'NamespaceAccessDenied,PodShell.Cmdlets.GetPodNamespaceCommand'
        $problems[0].CategoryInfo.Category | Should -Be 'PermissionDenied'
        $problems[0].TargetObject | Should -Be $protected
    }
}

Describe 'Get-PodNamespace -All' {
    BeforeAll {
        # lsns counts itself: one more process in each namespace of this pwsh, which it inherits.
        $script:selfKeys = @{}
        Get-PodNamespace -Id $PID | ForEach-Object { $selfKeys["$($_.Type.ToString().ToLowerInvariant()):$($_.Inode)"] = $true }

        function Get-LsnsView([string[]] $Type) {
            $view = @{}
            foreach ($row in (Get-LsnsNamespace -Type $Type).Values) {
                $key = "$($row.Type):$($row.Inode)"
                $count = $row.Processes - $(if ($selfKeys[$key]) { 1 } else { 0 })
                $view[$key] = "$count/$($row.LowestProcessId)"
            }
            $view
        }
        function Get-PodShellView([string[]] $Type) {
            $view = @{}
            $arguments = @{ All = $true }
            if ($Type) { $arguments.Type = $Type }
            foreach ($row in Get-PodNamespace @arguments) {
                $view["$($row.Type.ToString().ToLowerInvariant()):$($row.Inode)"] = "$($row.Processes)/$($row.LowestProcessId)"
            }
            $view
        }
        function Compare-View([hashtable] $Left, [hashtable] $Right) {
            $keys = @($Left.Keys) + @($Right.Keys) | Sort-Object -Unique
            @($keys | Where-Object { $Left[$_] -ne $Right[$_] } | ForEach-Object { "$_ lsns=$($Left[$_]) podshell=$($Right[$_])" })
        }
        # Other processes on the node come and go while we compare. Take lsns, then Get-PodNamespace,
        # then lsns again; when both lsns lists agree nothing changed in between that lsns could see,
        # so Get-PodNamespace must agree exactly. Retry until such a quiet window occurs.
        function Assert-AgreesWithLsns([string[]] $Type) {
            $lastDifference = 'the node never stood still between two lsns runs'
            for ($attempt = 0; $attempt -lt 30; $attempt++) {
                $before = Get-LsnsView $Type
                $ours = Get-PodShellView $Type
                $after = Get-LsnsView $Type
                if ((Compare-View $before $after).Count -ne 0) { Start-Sleep -Milliseconds 100; continue }
                $difference = Compare-View $before $ours
                if ($difference.Count -eq 0) { return }
                $lastDifference = $difference -join '; '
                Start-Sleep -Milliseconds 100
            }
            throw "Get-PodNamespace -All does not agree with lsns: $lastDifference"
        }
    }

    It 'lists exactly the namespaces, process counts and lowest pids lsns lists' {
        Assert-AgreesWithLsns
    }

    It 'agrees with lsns when filtered by -Type <Type>' -ForEach @(@{ Type = 'net' }, @{ Type = 'pid' }, @{ Type = 'mnt' }) {
        Assert-AgreesWithLsns @($Type)
    }

    It 'counts the test-made namespaces exactly, as lsns does' {
        $lsns = Get-LsnsNamespace
        $ours = @{}
        Get-PodNamespace -All | ForEach-Object { $ours["$($_.Type.ToString().ToLowerInvariant()):$($_.Inode)"] = $_ }
        # net and ipc: unshare, its child and the nsenter-joined sleep; uts and mnt: unshare and its child;
        # pid: only the child.
        $expected = @{ net = 3; ipc = 3; uts = 2; mnt = 2; pid = 1 }
        foreach ($type in $expected.Keys) {
            $key = "${type}:$(Get-NamespaceInodeByReadlink -ProcessId $inner -Type $type)"
            $ours[$key].Processes | Should -Be $expected[$type] -Because $key
            $ours[$key].Processes | Should -Be $lsns[$key].Processes -Because $key
            $ours[$key].LowestProcessId | Should -Be $lsns[$key].LowestProcessId -Because $key
            $ours[$key].Command | Should -Be $lsns[$key].Command -Because $key
            $ours[$key].OwnerUserNamespace | Should -Be $lsns[$key].OwnerUserNamespace -Because $key
            $ours[$key].IsNodeNamespace | Should -BeFalse -Because $key
            $ours[$key].OwnerUid | Should -Be 0
        }
        $ours["pid:$(Get-NamespaceInodeByReadlink -ProcessId $inner -Type pid)"].LowestProcessId | Should -Be $inner
        $ours["net:$(Get-NamespaceInodeByReadlink -ProcessId $inner -Type net)"].LowestProcessId |
            Should -Be ([Math]::Min($sandbox.Id, $joined.Id))
    }

    It 'shows the owning user namespace of namespaces made in a new user namespace' {
        $userInode = Get-NamespaceInodeByReadlink -ProcessId $userInner -Type user
        $netInode = Get-NamespaceInodeByReadlink -ProcessId $userInner -Type net
        $all = @(Get-PodNamespace -All -Type user, net)
        $user = $all | Where-Object { $_.Type -eq 'User' -and $_.Inode -eq $userInode }
        $net = $all | Where-Object { $_.Type -eq 'Net' -and $_.Inode -eq $netInode }
        $nodeUser = Get-NodeInode user
        $user.Processes | Should -Be 2
        $user.OwnerUserNamespace | Should -Be $nodeUser
        $net.OwnerUserNamespace | Should -Be $userInode
        $net.OwnerUid | Should -Be 0
        $lsns = Get-LsnsNamespace -Type user, net
        $user.OwnerUserNamespace | Should -Be $lsns["user:$userInode"].OwnerUserNamespace
        $net.OwnerUserNamespace | Should -Be $lsns["net:$netInode"].OwnerUserNamespace
        ($all | Where-Object { $_.Type -eq 'User' -and $_.Inode -eq $nodeUser }).OwnerUserNamespace | Should -BeNullOrEmpty
    }

    It 'marks the node''s namespaces' {
        $all = @(Get-PodNamespace -All)
        foreach ($type in $allTypes) {
            $node = Get-NodeInode $type
            $rows = @($all | Where-Object { $_.Type.ToString().ToLowerInvariant() -eq $type })
            @($rows | Where-Object IsNodeNamespace).Inode | Should -Be @($node) -Because $type
        }
        $all | Should -BeOfType PodShell.Model.NamespaceSummary
        $all.Inode | Should -Be ($all.Inode | Sort-Object)
    }
}
