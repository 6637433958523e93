BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-PodShellUnderTest
}

Describe 'New-PodSandbox' {
    Context 'a default pod' {
        BeforeAll {
            $name = New-TestPodName 'sb'
            $pod = New-PodSandbox -Name $name -Label @{ app = 'web' }
        }
        AfterAll { Remove-TestPod $name }

        It 'returns a Ready pod with a live pause process' {
            $pod | Should -BeOfType ([PodShell.Model.Pod])
            $pod.State | Should -Be 'Ready'
            $pod.Engine | Should -Be 'Native'
            $pod.Id | Should -Match '^[0-9a-f]{64}$'
            $pod.Labels['app'] | Should -Be 'web'
            Test-ProcessAlive $pod.PausePid | Should -BeTrue
            (Get-Content "/proc/$($pod.PausePid)/cmdline" -Raw) -replace "`0", ' ' | Should -Match 'podshell-init pause'
        }

        It 'gives the pause new net, ipc, uts, pid and mnt namespaces (by readlink)' {
            foreach ($type in 'net', 'ipc', 'uts', 'pid', 'mnt') {
                Get-NamespaceInodeByReadlink $pod.PausePid $type | Should -Not -Be (Get-NodeNamespaceInode $type) -Because "$type is the pod's own"
            }
        }

        It 'makes the pause PID 1 of its pid namespace' {
            (Get-Content "/proc/$($pod.PausePid)/status" | Where-Object { $_ -like 'NSpid:*' }) -split '\s+' | Select-Object -Last 1 | Should -Be '1'
        }

        It 'sets the hostname in the pod''s uts namespace (by nsenter)' {
            & nsenter -t $pod.PausePid -u hostname | Should -Be $name
            hostname | Should -Not -Be $name
        }

        It 'brings lo up in the pod''s network namespace, named by a bind mount, with the network''s eth0' {
            $pod.EngineDetails.NetworkNamespacePath | Should -Exist
            $links = & nsenter "--net=$($pod.EngineDetails.NetworkNamespacePath)" ip -o link show
            $links | Should -HaveCount 2
            $links[0] | Should -Match 'lo: <LOOPBACK,UP'
            $links[1] | Should -Match 'eth0@'
            (Get-Item $pod.EngineDetails.NetworkNamespacePath).Length | Should -Be 0
            & stat -f -c '%T' $pod.EngineDetails.NetworkNamespacePath | Should -Be 'nsfs'
        }

        It 'places the pause in the pod''s cgroup (by the cgroupfs files)' {
            # No container yet: no requests or limits, so BestEffort, as Kubernetes computes it.
            $pod.QosClass | Should -Be 'BestEffort'
            $pod.CgroupPath | Should -Be "/$env:PODSHELL_CGROUP_ROOT/besteffort/pod$($pod.Uid)"
            $folders = @(Get-TestCgroupFolder "$($pod.CgroupPath)/pause")
            $folders.Count | Should -BeGreaterThan 0
            foreach ($folder in $folders) {
                Get-Content "$folder/cgroup.procs" | Should -Contain "$($pod.PausePid)"
            }
            Get-Content "/proc/$($pod.PausePid)/cgroup" | Where-Object { $_ -match ':memory:' } | Should -Match "besteffort/pod$($pod.Uid)/pause$"
        }

        It 'is found again by Get-Pod, by name and by wildcard' {
            (Get-Pod $name).Id | Should -Be $pod.Id
            (Get-Pod 'sb-*').Name | Should -Contain $name
        }
    }

    Context 'host namespaces and a shared process namespace' {
        AfterEach { Remove-Pod -Name $script:name -Force -Confirm:$false -Timeout 0 -ErrorAction SilentlyContinue }

        It 'with -HostNetwork the pause has the node''s net and uts namespaces' {
            $script:name = New-TestPodName 'hn'
            $pod = New-PodSandbox -Name $script:name -HostNetwork
            Get-NamespaceInodeByReadlink $pod.PausePid net | Should -Be (Get-NodeNamespaceInode net)
            Get-NamespaceInodeByReadlink $pod.PausePid uts | Should -Be (Get-NodeNamespaceInode uts)
            Get-NamespaceInodeByReadlink $pod.PausePid ipc | Should -Not -Be (Get-NodeNamespaceInode ipc)
            $pod.EngineDetails.NetworkNamespacePath | Should -BeNullOrEmpty
            $c = $pod | Add-PodContainer -Name c -Image host -Command sleep, infinity
            Get-NamespaceInodeByReadlink $c.Pid net | Should -Be (Get-NodeNamespaceInode net)
            Get-NamespaceInodeByReadlink $c.Pid uts | Should -Be (Get-NodeNamespaceInode uts)
            Get-NamespaceInodeByReadlink $c.Pid mnt | Should -Not -Be (Get-NodeNamespaceInode mnt)
        }

        It 'with -HostPID and -HostIPC the pause has the node''s pid and ipc namespaces' {
            $script:name = New-TestPodName 'hp'
            $pod = New-PodSandbox -Name $script:name -HostPID -HostIPC
            Get-NamespaceInodeByReadlink $pod.PausePid pid | Should -Be (Get-NodeNamespaceInode pid)
            Get-NamespaceInodeByReadlink $pod.PausePid ipc | Should -Be (Get-NodeNamespaceInode ipc)
            Get-NamespaceInodeByReadlink $pod.PausePid net | Should -Not -Be (Get-NodeNamespaceInode net)
            $c = $pod | Add-PodContainer -Name c -Image host -Command sleep, infinity
            Get-NamespaceInodeByReadlink $c.Pid pid | Should -Be (Get-NodeNamespaceInode pid)
            Get-NamespaceInodeByReadlink $c.Pid ipc | Should -Be (Get-NodeNamespaceInode ipc)
        }

        It 'records the namespace modes' {
            $script:name = New-TestPodName 'sp'
            $pod = New-PodSandbox -Name $script:name -ShareProcessNamespace
            $pod.Namespaces.Pid | Should -Be 'Pod'
            $pod.Namespaces.Network | Should -Be 'Pod'
        }
    }

    Context 'bad input' {
        It 'rejects a name that is not a DNS-1123 subdomain: <name>' -ForEach @(
            @{ name = 'Foo' }, @{ name = 'foo_bar' }, @{ name = '-foo' }, @{ name = ('a' * 254) }
        ) {
            $err = $null
            New-PodSandbox -Name $name -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            $err[0].FullyQualifiedErrorId | Should -BeLike 'InvalidPodName,*'
            $err[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
            $err[0].TargetObject | Should -Be $name
        }

        It 'rejects a duplicate name and leaves the first pod as it was' {
            $name = New-TestPodName 'dup'
            try {
                $first = New-PodSandbox -Name $name
                $err = $null
                New-PodSandbox -Name $name -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
                $err[0].FullyQualifiedErrorId | Should -BeLike 'PodAlreadyExists,*'
                $err[0].CategoryInfo.Category | Should -Be 'ResourceExists'
                (Get-Pod $name).PausePid | Should -Be $first.PausePid
                Test-ProcessAlive $first.PausePid | Should -BeTrue
            }
            finally { Remove-TestPod $name }
        }

        It 'tells a user who is not root what is needed' {
            $pwshCommand = @([Environment]::ProcessPath)
            if ((Split-Path -Leaf $pwshCommand[0]) -like 'dotnet*') { $pwshCommand += (Join-Path $PSHOME 'pwsh.dll') }
            $nobodyHome = Join-Path ([IO.Path]::GetTempPath()) "podshell-nobody-$([guid]::NewGuid().ToString('N').Substring(0,6))"
            New-Item -ItemType Directory $nobodyHome | Out-Null
            & chown 65534 $nobodyHome
            try {
                $script = "Import-Module '$env:PODSHELL_TEST_MODULE/PodShell.psd1'; try { New-PodSandbox -Name nobody-pod -ErrorAction Stop } catch { `$_.FullyQualifiedErrorId; `$_.Exception.Message }"
                # dac_read_search only lets the non-root user read pwsh from root's NuGet folder.
                $output = & setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=+dac_read_search --ambient-caps=+dac_read_search `
                    env "HOME=$nobodyHome" "PODSHELL_ROOT=$env:PODSHELL_ROOT" @pwshCommand -NoProfile -NonInteractive -Command $script 2>&1
                ($output -join "`n") | Should -Match 'RootRequired'
                ($output -join "`n") | Should -Match 'root'
                Test-Path (Join-Path $env:PODSHELL_ROOT 'pods/nobody-pod') | Should -BeFalse
            }
            finally { Remove-Item -Recurse -Force $nobodyHome }
        }
    }
}
