# What only the Docker engine does: the daemon and its address, the pause image, Kubernetes' labels,
# the isolated Docker.DotNet, errors that name what to do. The run's private dockerd
# (tests/TestDockerDaemon.ps1) is the witness, through the docker CLI and the kernel's /proc.
BeforeDiscovery {
    $skip = -not $env:PODSHELL_TEST_DOCKER_IMAGE
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-PodShellUnderTest
    $image = $env:PODSHELL_TEST_DOCKER_IMAGE

    # Runs a script in a fresh pwsh (a new session: nothing of this one is loaded), returns its output lines.
    function Invoke-FreshSession([string] $Script) {
        $module = Join-Path $env:PODSHELL_TEST_MODULE 'PodShell.psd1'
        $file = Join-Path ([System.IO.Path]::GetTempPath()) "podshell-session-$([guid]::NewGuid().ToString('N')).ps1"
        Set-Content $file "`$ErrorActionPreference = 'Stop'`n`$module = '$module'`n$Script"
        try {
            $exe = [System.Environment]::ProcessPath
            $arguments = [System.Collections.Generic.List[string]]::new()
            if ((Split-Path -Leaf $exe) -like 'dotnet*') { $arguments.Add((Join-Path $PSHOME 'pwsh.dll')) }
            $arguments.AddRange([string[]] @('-NoProfile', '-NonInteractive', '-File', $file))
            & $exe @arguments 2>&1 | ForEach-Object { "$_" }
        }
        finally { Remove-Item $file -ErrorAction Ignore }
    }
}

Describe 'Docker engine: the daemon' -Skip:$skip {
    It 'says DockerUnavailable, naming the socket, when no daemon listens there; and makes nothing' {
        $socket = "/tmp/podshell-no-daemon-$([guid]::NewGuid().ToString('N').Substring(0, 8)).sock"
        $saved = $env:DOCKER_HOST
        try {
            $env:DOCKER_HOST = "unix://$socket"
            $err = $null
            New-PodSandbox -Name (New-TestPodName 'nod') -Engine Docker -ErrorVariable err -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
            $err[0].FullyQualifiedErrorId | Should -BeLike 'DockerUnavailable,*'
            $err[0].CategoryInfo.Category | Should -Be 'ResourceUnavailable'
            $err[0].Exception.Message | Should -BeLike "*$socket*"
            $err[0].ErrorDetails.RecommendedAction | Should -Match 'dockerd|DOCKER_HOST'

            $env:DOCKER_HOST = 'tcp://127.0.0.1:1'
            $err = $null
            New-PodSandbox -Name (New-TestPodName 'nod') -Engine Docker -ErrorVariable err -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
            $err[0].FullyQualifiedErrorId | Should -BeLike 'DockerUnavailable,*'
            $err[0].Exception.Message | Should -BeLike '*127.0.0.1:1*'
        }
        finally { $env:DOCKER_HOST = $saved }
        & docker ps -a -q | Should -BeNullOrEmpty
    }

    It 'honours DOCKER_HOST over tcp, and negotiates the daemon''s API version' {
        $name = New-TestPodName 'tcp'
        $saved = $env:DOCKER_HOST
        try {
            $env:DOCKER_HOST = $env:PODSHELL_TEST_DOCKER_TCP
            $pod = New-PodSandbox -Name $name -Engine Docker -WarningAction SilentlyContinue
            $pod.EngineDetails.Endpoint | Should -Be $env:PODSHELL_TEST_DOCKER_TCP
            $pod.EngineDetails.ApiVersion | Should -Be (& docker version --format '{{.Server.APIVersion}}')
        }
        finally { $env:DOCKER_HOST = $saved }
        # The same pod, seen through the unix socket.
        (Get-Pod $name).Id | Should -Be $pod.Id
        Remove-TestPod $name
    }
}

Describe 'Docker engine: the sandbox' -Skip:$skip {
    BeforeAll {
        $name = New-TestPodName 'dsb'
        $pod = New-PodSandbox -Name $name -Engine Docker -Hostname "$name-host" -Label @{ app = 'web' } -WarningAction SilentlyContinue
        $inspect = (& docker inspect $pod.Id | ConvertFrom-Json)[0]
    }
    AfterAll { Remove-TestPod $name }

    It 'runs PodShell''s own podshell-init pause, from an image made here (nothing pulled)' {
        $inspect.Config.Image | Should -BeLike 'podshell/pause:*'
        $inspect.Path | Should -Be '/podshell-init'
        $inspect.Args | Should -Be @('pause')
        (Get-Content -Raw "/proc/$($pod.PausePid)/cmdline") -replace "`0", ' ' | Should -Be '/podshell-init pause '
        # The image holds the binary this module ships, byte for byte.
        $sha = (Get-FileHash (Join-Path $env:PODSHELL_TEST_MODULE 'bin/linux-x64/podshell-init')).Hash
        (Get-FileHash "/proc/$($pod.PausePid)/exe").Hash | Should -Be $sha
    }

    It 'has a shareable ipc namespace, the pod''s hostname, no network but lo, and the pod''s cgroup parent' {
        $inspect.HostConfig.IpcMode | Should -Be 'shareable'
        $inspect.HostConfig.NetworkMode | Should -Be 'none'
        $inspect.Config.Hostname | Should -Be "$name-host"
        & nsenter -t $pod.PausePid --uts hostname | Should -Be "$name-host"
        $inspect.HostConfig.CgroupParent | Should -Be $pod.CgroupPath
        $pod.CgroupPath | Should -Match "^/$($env:PODSHELL_CGROUP_ROOT_NAME)/burstable/pod$($pod.Uid)$"
        (Get-Content "/proc/$($pod.PausePid)/cgroup" | Where-Object { $_ -match ':memory:' }) | Should -BeLike "*:$($pod.CgroupPath)/$($pod.Id)"
    }

    It 'carries Kubernetes'' labels, and the user''s' {
        $labels = $inspect.Config.Labels
        $labels.'io.kubernetes.pod.name' | Should -Be $name
        $labels.'io.kubernetes.pod.uid' | Should -Be $pod.Uid
        $labels.'io.kubernetes.container.name' | Should -Be 'POD'
        $labels.'io.kubernetes.docker.type' | Should -Be 'podsandbox'
        $labels.app | Should -Be 'web'
        $pod.Labels['app'] | Should -Be 'web'
        $pod.Namespaces.ToString() | Should -Be 'net=Pod ipc=Pod uts=Container pid=Container'
    }

    It 'is found again by a new session, from the labels alone' {
        $out = Invoke-FreshSession "Import-Module `$module; Get-Pod $name | ForEach-Object { `"`$(`$_.Engine) `$(`$_.Id) `$(`$_.State)`" }"
        $out | Should -Be "Docker $($pod.Id) Ready"
    }

    It 'refuses -Image host with a clear error, and makes nothing' {
        $err = $null
        $pod | Add-PodContainer -Name h -Image host -Command /bin/true -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'HostImageNotSupported,*'
        $err[0].ErrorDetails.RecommendedAction | Should -Match '-Image busybox|-Engine Native'
        & docker ps -a -q --filter "label=io.kubernetes.pod.name=$name" | Should -HaveCount 1
    }

    It 'says ImageNotFound when an image is neither here nor pullable (a closed loopback registry), and makes nothing' {
        $err = $null
        $pod | Add-PodContainer -Name nope -Image '127.0.0.1:1/podshell/absent:1' -Command /bin/true -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ImageNotFound,*'
        $err[0].Exception.Message | Should -BeLike '*127.0.0.1:1/podshell/absent:1*'
        & docker ps -a -q --filter "label=io.kubernetes.pod.name=$name" | Should -HaveCount 1
    }
}

Describe 'Docker engine: sharing the pid namespace and host modes' -Skip:$skip {
    It 'puts containers in the pause''s pid namespace with -ShareProcessNamespace' {
        $name = New-TestPodName 'dpid'
        try {
            $pod = New-PodSandbox -Name $name -Engine Docker -ShareProcessNamespace -WarningAction SilentlyContinue
            $c = $pod | Add-PodContainer -Name a -Image $image -Command /bin/sleep, 100000
            Get-NamespaceInodeByReadlink $c.Pid pid | Should -Be (Get-NamespaceInodeByReadlink $pod.PausePid pid)
            # The pause (podshell-init) is PID 1 of what the container sees.
            $ps = Invoke-PodCommand -Pod $name -Container a -Command ps, -o, 'pid,comm'
            ($ps | Where-Object { $_ -match '^\s*1\s' }) | Should -Match 'podshell-init'
            (Get-Pod $name).Namespaces.Pid | Should -Be 'Pod'
        }
        finally { Remove-TestPod $name }
    }

    It 'uses the node''s network and ipc with -HostNetwork -HostIPC' {
        $name = New-TestPodName 'dhost'
        try {
            $pod = New-PodSandbox -Name $name -Engine Docker -HostNetwork -HostIPC -WarningAction SilentlyContinue
            $c = $pod | Add-PodContainer -Name a -Image $image -Command /bin/sleep, 100000
            Get-NamespaceInodeByReadlink $c.Pid net | Should -Be (Get-NodeNamespaceInode net)
            Get-NamespaceInodeByReadlink $c.Pid ipc | Should -Be (Get-NodeNamespaceInode ipc)
            $pod.Namespaces.Network | Should -Be 'Node'
        }
        finally { Remove-TestPod $name }
    }
}

Describe 'Docker engine: session defaults and the UTS warning' -Skip:$skip {
    It 'takes the engine from $PSDefaultParameterValues and from $env:PODSHELL_ENGINE, and warns about UTS once per session' {
        $a = New-TestPodName 'ddef'
        $b = New-TestPodName 'denv'
        $out = Invoke-FreshSession @"
Import-Module `$module
`$PSDefaultParameterValues['New-PodSandbox:Engine'] = 'Docker'
`$p = New-PodSandbox -Name $a -WarningVariable w1 -WarningAction SilentlyContinue
`$PSDefaultParameterValues.Clear()
`$env:PODSHELL_ENGINE = 'Docker'
`$q = New-PodSandbox -Name $b -WarningVariable w2 -WarningAction SilentlyContinue
"engines: `$(`$p.Engine) `$(`$q.Engine)"
"warnings: `$(`$w1.Count) `$(`$w2.Count)"
"uts: `$(`$w1[0])"
Remove-Pod $a, $b -Force -Confirm:`$false -Timeout 0
"@
        $out | Should -Contain 'engines: Docker Docker'
        $out | Should -Contain 'warnings: 1 0'
        ($out | Where-Object { $_ -like 'uts:*' }) | Should -Match 'UTS'
        Get-Pod $a, $b -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'refuses a Docker pod whose name a native pod has (and the other way round), making nothing' {
        $name = New-TestPodName 'dup'
        try {
            New-PodSandbox -Name $name -Engine Native | Out-Null
            $err = $null
            New-PodSandbox -Name $name -Engine Docker -ErrorVariable err -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
            $err[0].FullyQualifiedErrorId | Should -BeLike 'PodAlreadyExists,*'
            $err[0].Exception.Message | Should -BeLike '*Native*'
            & docker ps -a -q --filter "label=io.kubernetes.pod.name=$name" | Should -BeNullOrEmpty
            Remove-TestPod $name
            New-PodSandbox -Name $name -Engine Docker -WarningAction SilentlyContinue | Out-Null
            New-PodSandbox -Name $name -Engine Native -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].FullyQualifiedErrorId | Should -BeLike 'PodAlreadyExists,*'
            (Get-Pod $name).Engine | Should -Be 'Docker'
        }
        finally { Remove-TestPod $name }
    }

    It 'says InvalidEngine for a PODSHELL_ENGINE that names none' {
        $saved = $env:PODSHELL_ENGINE
        try {
            $env:PODSHELL_ENGINE = 'Podman'
            $err = $null
            New-PodSandbox -Name (New-TestPodName 'dbad') -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].FullyQualifiedErrorId | Should -BeLike 'InvalidEngine,*'
        }
        finally { $env:PODSHELL_ENGINE = $saved }
    }
}

Describe 'Docker engine: pods made by other tools with Kubernetes'' labels (cri-dockerd)' -Skip:$skip {
    It 'shows them as pods with their containers, and removes them' {
        $name = New-TestPodName 'cri'
        $uid = [guid]::NewGuid().ToString()
        $common = @('--label', "io.kubernetes.pod.name=$name", '--label', "io.kubernetes.pod.uid=$uid", '--label', 'io.kubernetes.pod.namespace=kube-test')
        try {
            $sandbox = & docker run -d --name "k8s_POD_${name}_kube-test_${uid}_0" @common --label io.kubernetes.container.name=POD `
                --label io.kubernetes.docker.type=podsandbox --ipc shareable --network none $image sleep 100000
            & docker run -d --name "k8s_app_${name}_kube-test_${uid}_0" @common --label io.kubernetes.container.name=app `
                --label io.kubernetes.docker.type=container --network "container:$sandbox" --ipc "container:$sandbox" $image sleep 100000 | Out-Null
            $pod = Get-Pod $name
            $pod.Engine | Should -Be 'Docker'
            $pod.Id | Should -Be $sandbox
            $pod.Uid | Should -Be $uid
            $pod.EngineDetails.Namespace | Should -Be 'kube-test'
            $pod.EngineDetails.MadeByPodShell | Should -BeFalse
            $pod.Containers.Name | Should -Be 'app'
            Get-NamespaceInodeByReadlink $pod.Containers[0].Pid net | Should -Be (Get-NamespaceInodeByReadlink $pod.PausePid net)
            Remove-Pod $name -Force -Confirm:$false -Timeout 0
            & docker ps -a -q --filter "label=io.kubernetes.pod.name=$name" | Should -BeNullOrEmpty
        }
        finally { & docker ps -a -q --filter "label=io.kubernetes.pod.name=$name" | ForEach-Object { & docker rm -f $_ | Out-Null } }
    }
}

Describe 'Docker engine: streams are cancelled by Ctrl+C' -Skip:$skip {
    It 'stops Get-PodLog -Follow promptly' {
        $name = New-TestPodName 'dfol'
        try {
            $pod = New-PodSandbox -Name $name -Engine Docker -WarningAction SilentlyContinue
            $pod | Add-PodContainer -Name talk -Image $image -Command /bin/sh, -c, 'while true; do echo tick; sleep 1; done' | Out-Null
            $ps = [powershell]::Create()
            $null = $ps.AddScript("Import-Module '$(Join-Path $env:PODSHELL_TEST_MODULE 'PodShell.psd1')'; Get-PodLog -Pod $name -Container talk -Follow")
            $async = $ps.BeginInvoke()
            Start-Sleep -Milliseconds 1500
            $async.IsCompleted | Should -BeFalse
            $watch = [System.Diagnostics.Stopwatch]::StartNew()
            $ps.Stop()
            $watch.Elapsed.TotalSeconds | Should -BeLessThan 3
            $async.IsCompleted | Should -BeTrue
            $ps.Dispose()
        }
        finally { Remove-TestPod $name }
    }
}

Describe 'Docker engine: Ctrl+C ends an exec' -Skip:$skip {
    It 'stops Invoke-PodCommand promptly and ends the command it started in the container' {
        $name = New-TestPodName 'dexec'
        try {
            $pod = New-PodSandbox -Name $name -Engine Docker -WarningAction SilentlyContinue
            $pod | Add-PodContainer -Name app -Image $image -Command /bin/sleep, 100000 | Out-Null
            $marker = Get-Random -Minimum 40000 -Maximum 49999
            $ps = [powershell]::Create()
            $null = $ps.AddScript("Import-Module '$(Join-Path $env:PODSHELL_TEST_MODULE 'PodShell.psd1')'; Invoke-PodCommand -Pod $name -Container app -Command sleep, $marker")
            $async = $ps.BeginInvoke()
            $find = {
                foreach ($dir in Get-ChildItem /proc -Directory | Where-Object Name -Match '^\d+$') {
                    $cmd = try { [System.IO.File]::ReadAllText("$($dir.FullName)/cmdline") } catch { '' }
                    if ($cmd.Replace("`0", ' ').Trim() -eq "sleep $marker") { [int] $dir.Name }
                }
            }
            $execPid = Wait-Until -Because 'the exec to run' $find
            $watch = [System.Diagnostics.Stopwatch]::StartNew()
            $ps.Stop()
            $watch.Elapsed.TotalSeconds | Should -BeLessThan 3
            $async.IsCompleted | Should -BeTrue
            Wait-ProcessExit $execPid -TimeoutMilliseconds 10000 | Should -BeTrue
            $ps.Dispose()
        }
        finally { Remove-TestPod $name }
    }
}

Describe 'Docker engine: an isolated Docker.DotNet' -Skip:$skip {
    It 'works in a session that loaded another Docker.DotNet first, which keeps working too' {
        $old = $env:PODSHELL_TEST_OLD_DOCKERDOTNET
        Test-Path $old | Should -BeTrue
        $name = New-TestPodName 'iso'
        $out = Invoke-FreshSession @"
Add-Type -Path '$old'
`$oldAssembly = [Docker.DotNet.DockerClient].Assembly
`$config = [Docker.DotNet.DockerClientConfiguration]::new([uri]'$($env:DOCKER_HOST)')
`$client = `$config.CreateClient()
`$before = `$client.Containers.ListContainersAsync([Docker.DotNet.Models.ContainersListParameters]@{ All = `$true }).GetAwaiter().GetResult().Count
Import-Module `$module
`$pod = New-PodSandbox -Name $name -Engine Docker -WarningAction SilentlyContinue
`$after = `$client.Containers.ListContainersAsync([Docker.DotNet.Models.ContainersListParameters]@{ All = `$true }).GetAwaiter().GetResult().Count
"old: `$(`$oldAssembly.GetName().Version) `$([System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext(`$oldAssembly).Name)"
"pod: `$(`$pod.Engine) `$(`$pod.State)"
"seen by the old client: `$(`$after - `$before)"
`$ours = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { `$_.GetName().Name -eq 'Docker.DotNet' -and `$_ -ne `$oldAssembly }
"ours: `$(`$ours.GetName().Version) `$([System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext(`$ours).Name)"
"podshell refs: `$(([PodShell.Model.Pod].Assembly.GetReferencedAssemblies().Name | Where-Object { `$_ -like 'Docker*' }) -join ',')"
"still old: `$([Docker.DotNet.DockerClient].Assembly.GetName().Version)"
Remove-Pod $name -Force -Confirm:`$false -Timeout 0
"@
        $out | Should -Contain 'old: 3.125.0.0 Default'
        $out | Should -Contain 'pod: Docker Ready'
        $out | Should -Contain 'seen by the old client: 1'
        $out | Should -Contain 'ours: 4.3.0.0 PodShell.Dependencies'
        $out | Should -Contain 'podshell refs: '
        $out | Should -Contain 'still old: 3.125.0.0'
        Get-Pod $name -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }
}

Describe 'Docker engine: lifecycle and live resources' -Skip:$skip {
    BeforeAll {
        $name = New-TestPodName 'dlife'
        $pod = New-PodSandbox -Name $name -Engine Docker -WarningAction SilentlyContinue
        $app = $pod | Add-PodContainer -Name app -Image $image -Command /bin/sleep, 100000 -Memory 64Mi -Cpu 500m
    }
    AfterAll { Remove-TestPod $name }

    It 'stops the pod (containers, then the sandbox) and starts it again in a fresh sandbox the containers join' {
        $stopped = Stop-Pod $name -Timeout 1 -PassThru
        $stopped.State | Should -Be 'NotReady'
        Test-ProcessAlive $pod.PausePid | Should -BeFalse
        (Get-PodContainer -Pod $name -Name app).State | Should -Be 'Exited'
        $started = Start-Pod $name -PassThru
        $started.State | Should -Be 'Ready'
        $web = Get-PodContainer -Pod $name -Name app
        $web.State | Should -Be 'Running'
        Get-NamespaceInodeByReadlink $web.Pid net | Should -Be (Get-NamespaceInodeByReadlink $started.PausePid net)
        Get-NamespaceInodeByReadlink $web.Pid ipc | Should -Be (Get-NamespaceInodeByReadlink $started.PausePid ipc)
    }

    It 'sizes the pod cgroup as kubelet does, and Get-PodCgroup shows the pod''s tree' {
        $pod = Get-Pod $name
        Get-Content "/sys/fs/cgroup/memory$($pod.CgroupPath)/memory.limit_in_bytes" | Should -Be 67108864
        Get-Content "/sys/fs/cgroup/cpu$($pod.CgroupPath)/cpu.cfs_quota_us" | Should -Be 50000
        $tree = Get-Pod $name | Get-PodCgroup
        $tree.Path | Should -Contain $pod.CgroupPath
        $tree.Path | Should -Contain "$($pod.CgroupPath)/$($pod.Containers[0].Id)"
    }

    It 'changes limits live through Docker''s container update, and the pod cgroup with them' {
        $update = [PodShell.Engine.ResourceUpdate]@{ MemoryLimit = 128MB; CpuLimitMilli = 250; PidsLimit = 64 }
        $engine = [PodShell.Engine.EngineRegistry]::Get('Docker')
        $after = $engine.UpdateResources($name, 'app', $update, [System.Threading.CancellationToken]::None)
        $after.MemoryLimit | Should -Be 128MB
        $after.CpuLimitMilli | Should -Be 250
        $after.PidsLimit | Should -Be 64
        $leaf = Get-Content "/proc/$($after.Pid)/cgroup" | Where-Object { $_ -match ':memory:' } | ForEach-Object { ($_ -split ':', 3)[2] }
        Get-Content "/sys/fs/cgroup/memory$leaf/memory.limit_in_bytes" | Should -Be 134217728
        $cpuLeaf = Get-Content "/proc/$($after.Pid)/cgroup" | Where-Object { $_ -match ':cpu,|:cpu:' } | ForEach-Object { ($_ -split ':', 3)[2] }
        Get-Content "/sys/fs/cgroup/cpu$cpuLeaf/cpu.cfs_quota_us" | Should -Be 25000
        $pidsLeaf = Get-Content "/proc/$($after.Pid)/cgroup" | Where-Object { $_ -match ':pids:' } | ForEach-Object { ($_ -split ':', 3)[2] }
        Get-Content "/sys/fs/cgroup/pids$pidsLeaf/pids.max" | Should -Be 64
        $pod = Get-Pod $name
        Get-Content "/sys/fs/cgroup/memory$($pod.CgroupPath)/memory.limit_in_bytes" | Should -Be 134217728
    }

    It 'refuses what Docker cannot update (raw cgroup v2 files), saying what to use' {
        $unified = [System.Collections.Generic.Dictionary[string, string]]::new()
        $unified['memory.high'] = '1G'
        $update = [PodShell.Engine.ResourceUpdate]@{ Unified = $unified }
        $engine = [PodShell.Engine.EngineRegistry]::Get('Docker')
        $thrown = { $engine.UpdateResources($name, 'app', $update, [System.Threading.CancellationToken]::None) } | Should -Throw -PassThru
        $thrown.Exception.InnerException.ErrorId | Should -Be 'ResourceNotSupported'
    }
}

Describe 'Docker engine: the pod''s network settings' -Skip:$skip {
    # Docker networks, host ports and the rest of the network fields: Docker-Network.Tests.ps1.
    It 'gives the pod''s DNS settings to every container (read from the node, in the container''s root)' {
        $name = New-TestPodName 'ddns'
        try {
            $pod = New-PodSandbox -Name $name -Engine Docker -Network None -Dns 192.0.2.53 -DnsSearch example.test -WarningAction SilentlyContinue
            $c = $pod | Add-PodContainer -Name app -Image $image -Command /bin/sleep, 100000
            $resolv = Get-Content "/proc/$($c.Pid)/root/etc/resolv.conf"
            $resolv | Should -Contain 'nameserver 192.0.2.53'
            ($resolv -join "`n") | Should -Match 'search example.test'
            (& nsenter -t $c.Pid --net ip -o link show | Measure-Object).Count | Should -Be 1
        }
        finally { Remove-TestPod $name }
    }
}
