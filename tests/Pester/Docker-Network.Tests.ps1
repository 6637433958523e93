# Pod networking on the Docker engine: the pause container joins a Docker network and publishes the host
# ports; the Pod's IP, IPs, Network and Ports come from the daemon. The run's private dockerd has no default
# bridge and no iptables (nothing is NATed to the outside): these tests make their own user-defined bridge
# network on a private subnet no route of the node covers, and remove it. Witnesses: nsenter + ip addr in the
# pause's namespace, TCP connections (pod to pod, node to pod, node to a published port on loopback), the
# daemon's docker-proxy processes and docker inspect.
BeforeDiscovery {
    $skip = -not $env:PODSHELL_TEST_DOCKER_IMAGE
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-PodShellUnderTest
    $script:image = $env:PODSHELL_TEST_DOCKER_IMAGE

    # busybox httpd answering GET / with the pod's hostname (each Docker container has the pod's hostname).
    $script:serverCommand = @('/bin/sh', '-c', 'mkdir -p /www && hostname > /www/index.html && exec httpd -f -p 80 -h /www')

    function Test-InSubnet([string] $Address, [string] $Cidr) {
        $net, $bits = $Cidr -split '/'
        $toInt = { param($ip) $b = ([ipaddress] $ip).GetAddressBytes(); [uint32] (([uint32] $b[0] -shl 24) -bor ([uint32] $b[1] -shl 16) -bor ([uint32] $b[2] -shl 8) -bor $b[3]) }
        $mask = if ([int] $bits -eq 0) { [uint32] 0 } else { [uint32] ([uint32]::MaxValue -shl (32 - [int] $bits)) }
        ((& $toInt $Address) -band $mask) -eq ((& $toInt $net) -band $mask)
    }

    # Two IPv4 prefixes overlap when the shorter one holds the other's network address.
    function Test-CidrOverlap([string] $A, [string] $B) {
        $bitsA = [int] ($A -split '/')[1]; $bitsB = [int] ($B -split '/')[1]
        if ($bitsA -le $bitsB) { Test-InSubnet ($B -split '/')[0] $A } else { Test-InSubnet ($A -split '/')[0] $B }
    }

    # A /24 of 10.100-199.x.x that no route of the node (other runs' bridges included) overlaps.
    function Get-FreeTestSubnet {
        $routes = @(& ip -4 route show | ForEach-Object { ($_ -split ' ')[0] } | Where-Object { $_ -ne 'default' } |
                ForEach-Object { if ($_ -notlike '*/*') { "$_/32" } else { $_ } })
        for ($try = 0; $try -lt 50; $try++) {
            $subnet = '10.{0}.{1}.0/24' -f (Get-Random -Minimum 100 -Maximum 200), (Get-Random -Maximum 256)
            if (-not ($routes | Where-Object { Test-CidrOverlap $_ $subnet })) { return $subnet }
        }
        throw 'No free private /24 for a Docker test network.'
    }

    # A user-defined bridge network of the run's dockerd on a free subnet (the daemon refuses one that
    # overlaps its own networks: then another is tried); its bridge device named after it.
    function New-TestDockerNetwork {
        for ($try = 0; $try -lt 20; $try++) {
            $subnet = Get-FreeTestSubnet
            $suffix = [guid]::NewGuid().ToString('N').Substring(0, 8)
            $name = "psd-$suffix"
            & docker network create --driver bridge --subnet $subnet -o "com.docker.network.bridge.name=$name" $name 2>$null | Out-Null
            if ($LASTEXITCODE -eq 0) { return [pscustomobject]@{ Name = $name; Subnet = $subnet; Bridge = $name } }
        }
        throw 'No free private /24 for a Docker test network.'
    }

    function Remove-TestDockerNetwork([object] $Network) {
        if ($Network) { & docker network rm $Network.Name 2>$null | Out-Null }
    }

    # The body of GET / from a server, read by the node itself (.NET sockets, not PodShell).
    function Read-Http([string] $Address, [int] $Port) {
        $client = [System.Net.Sockets.TcpClient]::new()
        try {
            if (-not $client.ConnectAsync($Address, $Port).Wait(3000)) { return $null }
            $client.ReceiveTimeout = 3000
            $stream = $client.GetStream()
            $request = [System.Text.Encoding]::ASCII.GetBytes("GET / HTTP/1.0`r`nHost: $Address`r`n`r`n")
            $stream.Write($request, 0, $request.Length)
            $text = [System.IO.StreamReader]::new($stream).ReadToEnd()
            if ($text -notmatch '^HTTP/1\.[01] 200') { return $null }
            ($text -split "`r`n`r`n", 2)[1].Trim()
        }
        catch { $null }
        finally { $client.Dispose() }
    }

    # The daemon's docker-proxy children (the userland proxy serving published ports).
    function Get-DockerProxy {
        $daemon = [int] $env:PODSHELL_TEST_DOCKER_PID
        foreach ($dir in Get-ChildItem /proc -Directory | Where-Object Name -Match '^\d+$') {
            $stat = Get-Content -Raw -ErrorAction Ignore "$($dir.FullName)/stat"
            if (-not $stat) { continue }
            $ppid = [int] (($stat.Substring($stat.LastIndexOf(')') + 2)) -split ' ')[1]
            if ($ppid -ne $daemon) { continue }
            $cmd = (Get-Content -Raw -ErrorAction Ignore "$($dir.FullName)/cmdline") -replace "`0", ' '
            if ($cmd -match 'docker-proxy') { $cmd.Trim() }
        }
    }

    # A host port of 18000-18999 nothing listens on now.
    function Get-TestHostPort {
        for ($try = 0; $try -lt 50; $try++) {
            $port = Get-Random -Minimum 18000 -Maximum 19000
            $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Any, $port)
            try { $listener.Start(); $listener.Stop(); return $port } catch { }
        }
        throw 'No free host port in 18000-18999.'
    }
}

Describe 'Docker pod networking: two pods on a Docker network' -Skip:$skip {
    BeforeAll {
        $script:net = New-TestDockerNetwork
        $script:nameA = New-TestPodName 'dna'
        $script:nameB = New-TestPodName 'dnb'
        $script:verbose = New-PodSandbox -Name $nameA -Engine Docker -Network $net.Name -WarningAction SilentlyContinue -Verbose 4>&1 |
            Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
        New-PodSandbox -Name $nameB -Engine Docker -Network $net.Name -WarningAction SilentlyContinue | Out-Null
        foreach ($n in $nameA, $nameB) { Add-PodContainer -Pod $n -Name srv -Image $image -Command $serverCommand | Out-Null }
        $script:podA = Get-Pod $nameA
        $script:podB = Get-Pod $nameB
        foreach ($p in $podA, $podB) {
            Wait-Until { Read-Http $p.IP 80 } -TimeoutSeconds 20 -Because "the server of $($p.Name)" | Out-Null
        }
    }
    AfterAll {
        Remove-TestPod $nameA, $nameB
        Remove-TestDockerNetwork $net
    }

    It 'gives each pod an address in the network''s subnet, and names the network' {
        foreach ($p in $podA, $podB) {
            $p.Network | Should -Be $net.Name
            $p.IP | Should -Not -BeNullOrEmpty
            $p.IPs | Should -Be @($p.IP)
            Test-InSubnet $p.IP $net.Subnet | Should -BeTrue -Because "$($p.IP) is in $($net.Subnet)"
        }
        $podA.IP | Should -Not -Be $podB.IP
        ($verbose | Out-String) | Should -Match ([regex]::Escape("network $($net.Name) (IP "))
    }

    It 'agrees with ip addr inside the pod (nsenter into the pause''s namespace), which the containers share' {
        foreach ($p in $podA, $podB) {
            $lines = & nsenter -t $p.PausePid -n ip -o -4 addr show scope global
            ($lines -join "`n") | Should -Match ([regex]::Escape("inet $($p.IP)/24"))
            @($lines).Count | Should -Be 1
            Get-NamespaceInodeByReadlink $p.Containers[0].Pid net | Should -Be (Get-NamespaceInodeByReadlink $p.PausePid net)
        }
        # The pause's end of the veth is a port of the network's bridge on the node.
        @(Get-ChildItem "/sys/class/net/$($net.Bridge)/brif").Count | Should -Be 2
    }

    It 'lets pod A reach a TCP server in pod B by B''s address' {
        $reply = Invoke-PodCommand -Pod $nameA -Container srv -Command wget, -q, -O, -, "http://$($podB.IP)/"
        $reply | Should -Be $nameB
    }

    It 'lets the node reach both pods' {
        Read-Http $podA.IP 80 | Should -Be $nameA
        Read-Http $podB.IP 80 | Should -Be $nameB
    }

    It 'passes Test-PodNetwork, and fails it once the pod''s address is gone from its namespace' {
        Test-PodNetwork $nameA | Should -BeTrue
        $podB | Test-PodNetwork | Should -BeTrue
        # Take B's address away behind the daemon's back; the next test restarts B's sandbox.
        & nsenter -t $podB.PausePid -n ip addr del "$($podB.IP)/24" dev eth0
        Test-PodNetwork $nameB -WarningVariable warn 3>$null | Should -BeFalse
        ($warn | Out-String) | Should -Match ([regex]::Escape($podB.IP))
    }

    It 'reports no address while the sandbox is stopped, and a fresh one after Start-Pod' {
        $stopped = Stop-Pod $nameB -Timeout 0 -PassThru
        $stopped.IP | Should -BeNullOrEmpty
        $stopped.IPs | Should -BeNullOrEmpty
        $stopped.Network | Should -Be $net.Name
        $started = Start-Pod $nameB -PassThru
        Test-InSubnet $started.IP $net.Subnet | Should -BeTrue
        (& nsenter -t $started.PausePid -n ip -o -4 addr show scope global) -join "`n" | Should -Match ([regex]::Escape("inet $($started.IP)/"))
        Wait-Until { Read-Http $started.IP 80 } -TimeoutSeconds 20 -Because 'the restarted server' | Should -Be $nameB
    }
}

Describe 'Docker pod networking: host ports' -Skip:$skip {
    BeforeAll {
        $script:net = New-TestDockerNetwork
        $script:name = New-TestPodName 'dnp'
        $script:hostPort = Get-TestHostPort
        # On loopback only: the test daemon publishes nothing to the node's other addresses.
        $script:pod = New-PodSandbox -Name $name -Engine Docker -Network $net.Name -Port "127.0.0.1:${hostPort}:80/tcp" -WarningAction SilentlyContinue
        Add-PodContainer -Pod $name -Name srv -Image $image -Command $serverCommand | Out-Null
        $script:inspect = (& docker inspect $pod.Id | ConvertFrom-Json)[0]
    }
    AfterAll {
        Remove-TestPod $name
        Remove-TestDockerNetwork $net
    }

    It 'reaches the pod from the node on 127.0.0.1 and the host port (docker-proxy)' {
        Wait-Until { Read-Http 127.0.0.1 $hostPort } -TimeoutSeconds 20 -Because 'the host port' | Should -Be $name
        $pod.Ports | Should -HaveCount 1
        $pod.Ports[0].ToString() | Should -Be "127.0.0.1:${hostPort}:80/tcp"
        (Get-Pod $name).Ports[0].ToString() | Should -Be "127.0.0.1:${hostPort}:80/tcp"
    }

    It 'publishes the port on the pause container, as cri-dockerd does' {
        $inspect.Config.ExposedPorts.PSObject.Properties.Name | Should -Be '80/tcp'
        $binding = $inspect.HostConfig.PortBindings.'80/tcp'
        $binding.HostPort | Should -Be "$hostPort"
        $binding.HostIp | Should -Be '127.0.0.1'
        @(Get-DockerProxy | Where-Object { $_ -match "-host-port $hostPort " -and $_ -match "-container-ip $([regex]::Escape($pod.IP)) " }) | Should -HaveCount 1
    }

    It 'shows the address, network and ports in the Wide view, uncut' {
        $text = Get-Pod $name | Format-Table -View Wide | Out-String -Width 300
        $text | Should -Match ([regex]::Escape($pod.IP))
        $text | Should -Match ([regex]::Escape($net.Name))
        $text | Should -Match ([regex]::Escape("127.0.0.1:${hostPort}:80/tcp"))
        $text | Should -Match 'Docker'
    }

    It 'puts the host port in the pod''s manifest' {
        $yaml = ConvertTo-PodManifest -Name $name
        $yaml | Should -Match "hostPort: $hostPort"
        $yaml | Should -Match 'containerPort: 80'
        $yaml | Should -Match 'hostIP: 127\.0\.0\.1'
    }

    It 'says NetworkSetupFailed when the host port is taken, and makes nothing' {
        $other = New-TestPodName 'dnq'
        $err = $null
        New-PodSandbox -Name $other -Engine Docker -Network $net.Name -Port "127.0.0.1:${hostPort}:81" -ErrorVariable err -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'NetworkSetupFailed,*'
        $err[0].Exception.Message | Should -Match "$hostPort"
        & docker ps -a -q --filter "label=io.kubernetes.pod.name=$other" | Should -BeNullOrEmpty
    }

    It 'leaves no proxy and no endpoint once the pod is removed' {
        Remove-Pod $name -Force -Confirm:$false -Timeout 0
        @(Get-DockerProxy | Where-Object { $_ -match "-host-port $hostPort " }) | Should -BeNullOrEmpty
        Read-Http 127.0.0.1 $hostPort | Should -BeNullOrEmpty
        (& docker network inspect $net.Name | ConvertFrom-Json)[0].Containers.PSObject.Properties | Should -BeNullOrEmpty
        @(Get-ChildItem "/sys/class/net/$($net.Bridge)/brif") | Should -BeNullOrEmpty
    }
}

Describe 'Docker pod networking: a manifest''s hostPort' -Skip:$skip {
    It 'publishes it through the same path, and exports it again' {
        $net = New-TestDockerNetwork
        $name = New-TestPodName 'dnm'
        $hostPort = Get-TestHostPort
        $manifest = @"
apiVersion: v1
kind: Pod
metadata:
  name: $name
spec:
  containers:
  - name: srv
    image: $image
    command: ["/bin/sh", "-c", "mkdir -p /www && hostname > /www/index.html && exec httpd -f -p 80 -h /www"]
    ports:
    - containerPort: 80
      hostPort: $hostPort
      hostIP: 127.0.0.1
"@
        try {
            $pod = New-Pod -Content $manifest -Engine Docker -Network $net.Name -WarningAction SilentlyContinue
            $pod.Ports[0].ToString() | Should -Be "127.0.0.1:${hostPort}:80/tcp"
            Test-InSubnet $pod.IP $net.Subnet | Should -BeTrue
            Wait-Until { Read-Http 127.0.0.1 $hostPort } -TimeoutSeconds 20 -Because 'the host port' | Should -Be $name
            (ConvertTo-PodManifest -Name $name) | Should -Match "hostPort: $hostPort"
        }
        finally {
            Remove-TestPod $name
            Remove-TestDockerNetwork $net
        }
    }
}

Describe 'Docker pod networking: default, None, Host and errors' -Skip:$skip {
    It 'gives no network but lo when the daemon has no default bridge and -Network is not given, and says so' {
        $name = New-TestPodName 'dnz'
        try {
            $out = New-PodSandbox -Name $name -Engine Docker -WarningAction SilentlyContinue -Verbose 4>&1
            $pod = $out | Where-Object { $_ -is [PodShell.Model.Pod] }
            $said = ($out | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | Out-String)
            $said | Should -Match 'no default bridge network'
            $said | Should -Match '-Network'
            $pod.Network | Should -Be 'none'
            $pod.IP | Should -BeNullOrEmpty
            & nsenter -t $pod.PausePid -n ip -o link show | Should -HaveCount 1
        }
        finally { Remove-TestPod $name }
    }

    It '-Network None is lo only, and -Network Host the node''s network with the node''s address' {
        $none = New-TestPodName 'dnn'
        $hostPod = New-TestPodName 'dnh'
        try {
            $pod = New-PodSandbox -Name $none -Engine Docker -Network None -WarningAction SilentlyContinue
            $pod.Network | Should -Be 'none'
            & nsenter -t $pod.PausePid -n ip -o link show | Should -HaveCount 1
            $pod = New-PodSandbox -Name $hostPod -Engine Docker -Network Host -WarningAction SilentlyContinue
            $pod.Network | Should -Be 'host'
            $pod.Namespaces.Network | Should -Be 'Node'
            Get-NamespaceInodeByReadlink $pod.PausePid net | Should -Be (Get-NodeNamespaceInode net)
            $device = ((& ip -4 route show default) -split ' ')[4]
            if ($device) {
                $nodeIPs = & ip -4 -o addr show dev $device | ForEach-Object { (($_ -split '\s+')[3] -split '/')[0] }
                $nodeIPs | Should -Contain $pod.IP
            }
        }
        finally { Remove-TestPod $none, $hostPod }
    }

    It 'maps -Dns, -DnsSearch and -DnsOption to the daemon''s DNS settings' {
        $name = New-TestPodName 'dnd'
        try {
            $pod = New-PodSandbox -Name $name -Engine Docker -Network None -Dns 192.0.2.53 -DnsSearch svc.test -DnsOption ndots:3 -WarningAction SilentlyContinue
            $c = Add-PodContainer -Pod $name -Name c -Image $image -Command /bin/sleep, 100000
            $resolv = Get-Content -Raw "/proc/$($c.Pid)/root/etc/resolv.conf"
            $resolv | Should -Match '(?m)^nameserver 192\.0\.2\.53$'
            $resolv | Should -Match '(?m)^search .*svc\.test'
            $resolv | Should -Match '(?m)^options .*ndots:3'
        }
        finally { Remove-TestPod $name }
    }

    It 'refuses what the native engine refuses, with the same errors, and makes nothing' -ForEach @(
        @{ Case = '-Port with -Network None'; Arguments = @{ Network = 'None'; Port = '18080:80' }; Id = 'PortMappingUnsupported' }
        @{ Case = '-Port with -HostNetwork'; Arguments = @{ HostNetwork = $true; Port = '18080:80' }; Id = 'PortMappingUnsupported' }
        @{ Case = '-Port with no network to publish on'; Arguments = @{ Port = '18080:80' }; Id = 'PortMappingUnsupported' }
        @{ Case = '-HostNetwork with -Network'; Arguments = @{ HostNetwork = $true; Network = 'somewhere' }; Id = 'NetworkConflict' }
        @{ Case = 'an unknown network'; Arguments = @{ Network = 'no-such-network' }; Id = 'NetworkNotFound' }
    ) {
        $name = New-TestPodName 'dnx'
        $err = $null
        New-PodSandbox -Name $name -Engine Docker @Arguments -ErrorVariable err -ErrorAction SilentlyContinue -WarningAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike "$Id,*"
        & docker ps -a -q --filter "label=io.kubernetes.pod.name=$name" | Should -BeNullOrEmpty
    }
}

# A second private dockerd whose default bridge is a bridge device this test makes on a free subnet (the
# run's daemon has none), to see a pod join the default bridge when -Network is not given.
Describe 'Docker pod networking: the daemon''s default bridge' -Skip:$skip {
    BeforeAll {
        . (Join-Path $PSScriptRoot '../TestDockerDaemon.ps1')
        $script:saved = @{}
        foreach ($v in 'DOCKER_HOST', 'PODSHELL_TEST_DOCKER_TCP', 'PODSHELL_TEST_DOCKER_PID', 'PODSHELL_TEST_DOCKER_SKIP') { $saved[$v] = [Environment]::GetEnvironmentVariable($v) }
        $suffix = [guid]::NewGuid().ToString('N').Substring(0, 8)
        $script:subnet = Get-FreeTestSubnet
        $script:bridge = "psb-$suffix"
        $gateway = $subnet -replace '0/24$', '1'
        & ip link add $bridge type bridge
        & ip addr add "$gateway/24" dev $bridge
        & ip link set $bridge up
        $script:daemon = Start-TestDockerDaemon -RunId "b$suffix" -CgroupRootName "$env:PODSHELL_CGROUP_ROOT_NAME-b$suffix" -Bridge $bridge
        $script:name = New-TestPodName 'dnb'
    }
    AfterAll {
        if ($daemon) { Remove-TestPod $name }
        Stop-TestDockerDaemon $daemon
        foreach ($v in $saved.Keys) { [Environment]::SetEnvironmentVariable($v, $saved[$v]) }
        & ip link del $bridge 2>$null
    }

    It 'joins the default bridge when -Network is not given, and says which' {
        if (-not $daemon) { Set-ItResult -Skipped -Because $env:PODSHELL_TEST_DOCKER_SKIP; return }
        $out = New-PodSandbox -Name $name -Engine Docker -WarningAction SilentlyContinue -Verbose 4>&1
        $pod = $out | Where-Object { $_ -is [PodShell.Model.Pod] }
        ($out | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | Out-String) | Should -Match "default bridge network 'bridge' \($([regex]::Escape($subnet))\)"
        $pod.Network | Should -Be 'bridge'
        Test-InSubnet $pod.IP $subnet | Should -BeTrue -Because "$($pod.IP) is in $subnet"
        (& nsenter -t $pod.PausePid -n ip -o -4 addr show scope global) -join "`n" | Should -Match ([regex]::Escape("inet $($pod.IP)/24"))
        @(Get-ChildItem "/sys/class/net/$bridge/brif").Count | Should -Be 1
        Remove-Pod $name -Force -Confirm:$false -Timeout 0
        @(Get-ChildItem "/sys/class/net/$bridge/brif") | Should -BeNullOrEmpty
    }
}

Describe 'Docker networks through New-PodNetwork, Get-PodNetwork and Remove-PodNetwork -Engine Docker' -Skip:$skip {
    It 'makes a bridge network the daemon holds, lists it with its pods, and removes it (refused while a pod is on it)' {
        $suffix = [guid]::NewGuid().ToString('N').Substring(0, 8)
        $name = "psn-$suffix"
        $podName = New-TestPodName 'dnw'
        $subnet = Get-FreeTestSubnet
        try {
            $net = New-PodNetwork -Name $name -Engine Docker -Subnet $subnet -Bridge $name -NoMasquerade
            $net.Engine | Should -Be 'Docker'
            $net.Subnets | Should -Be @($subnet)
            $net.Bridge | Should -Be $name
            $inspect = (& docker network inspect $name | ConvertFrom-Json)[0]
            $inspect.Driver | Should -Be 'bridge'
            $inspect.IPAM.Config[0].Subnet | Should -Be $subnet
            $inspect.Options.'com.docker.network.bridge.name' | Should -Be $name
            $inspect.Options.'com.docker.network.bridge.enable_ip_masquerade' | Should -Be 'false'
            Test-Path "/sys/class/net/$name/bridge" | Should -BeTrue

            $pod = New-PodSandbox -Name $podName -Engine Docker -Network $name -WarningAction SilentlyContinue
            Test-InSubnet $pod.IP $subnet | Should -BeTrue
            $listed = Get-PodNetwork -Engine Docker -Name $name
            $listed.Pods | Should -Be @($podName)
            $listed.Engine | Should -Be 'Docker'
            # The run's daemon has no bridge: its none network is where pods without -Network go.
            (Get-PodNetwork -Engine Docker | Where-Object IsDefault).Name | Should -Be 'none'
            (Get-PodNetwork).Name | Should -Contain $name

            $err = $null
            Remove-PodNetwork $name -Engine Docker -Confirm:$false -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].FullyQualifiedErrorId | Should -BeLike 'NetworkInUse,*'
            Remove-TestPod $podName
            Remove-PodNetwork $name -Engine Docker -Confirm:$false
            @(& docker network ls --format '{{.Name}}') | Should -Not -Contain $name
            Test-Path "/sys/class/net/$name" | Should -BeFalse
        }
        finally {
            Remove-TestPod $podName
            & docker network rm $name 2>$null | Out-Null
        }
    }

    It 'refuses what the native engine refuses, with the same errors, and makes nothing' {
        $existing = New-TestDockerNetwork
        try {
            $route = (& ip -4 route show | Where-Object { $_ -notmatch '^default' } | Select-Object -First 1) -split ' ' | Select-Object -First 1
            $cases = @(
                @{ Args = @{ Name = $existing.Name; Subnet = (Get-FreeTestSubnet) }; Id = 'NetworkExists' }
                @{ Args = @{ Name = 'None'; Subnet = (Get-FreeTestSubnet) }; Id = 'InvalidNetworkName' }
                @{ Args = @{ Name = 'bad/name'; Subnet = (Get-FreeTestSubnet) }; Id = 'InvalidNetworkName' }
                @{ Args = @{ Name = 'psn-bad'; Subnet = '10.251.9.0/33' }; Id = 'InvalidSubnet' }
                @{ Args = @{ Name = 'psn-bad'; Subnet = $existing.Subnet }; Id = 'SubnetInUse' }
                @{ Args = @{ Name = 'psn-bad'; CniConfigDirectory = '/tmp' }; Id = 'InvalidArgument' }
            )
            if ($route) { $cases += @{ Args = @{ Name = 'psn-bad'; Subnet = $route }; Id = 'SubnetInUse' } }
            foreach ($case in $cases) {
                $err = $null
                $a = $case.Args
                New-PodNetwork @a -Engine Docker -NoMasquerade -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
                $err[0].FullyQualifiedErrorId | Should -BeLike "$($case.Id),*" -Because ($a | Out-String)
            }
            @(& docker network ls --format '{{.Name}}') | Should -Not -Contain 'psn-bad'
        }
        finally { Remove-TestDockerNetwork $existing }
    }
}
