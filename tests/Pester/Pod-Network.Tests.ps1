# Pod networking through CNI (native engine). Every check reads the kernel's own view: nsenter + ip addr,
# TCP connections, the bridge's ports in sysfs, host-local's reservation files, iptables -t nat -S.
# Traffic goes only to loopback and to the pods these tests made.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-PodShellUnderTest

    $script:network = Get-PodNetwork -Name $env:PODSHELL_TEST_NETWORK
    $script:dataDir = "/var/lib/cni/networks/$($network.Name)"

    # A TCP server for a container: answers each connection with "<hostname> <client address>".
    $script:serverScript = @'
import os, socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("0.0.0.0", int(sys.argv[1])))
s.listen(16)
while True:
    c, a = s.accept()
    c.sendall((os.uname().nodename + " " + a[0] + "\n").encode())
    c.close()
'@
    $script:clientScript = 'import socket, sys; s = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=5); print(s.recv(200).decode().strip())'

    function Get-PodNetns([object] $Pod) { $Pod.EngineDetails.NetworkNamespacePath }

    # One line from a TCP server, read by the node itself (.NET sockets, not PodShell).
    function Read-TcpLine([string] $Address, [int] $Port) {
        $client = [System.Net.Sockets.TcpClient]::new()
        try {
            if (-not $client.ConnectAsync($Address, $Port).Wait(3000)) { return $null }
            $client.ReceiveTimeout = 3000
            [System.IO.StreamReader]::new($client.GetStream()).ReadLine()
        }
        catch { $null }
        finally { $client.Dispose() }
    }

    function Test-InSubnet([string] $Address, [string] $Cidr) {
        $net, $bits = $Cidr -split '/'
        $toInt = { param($ip) $b = ([ipaddress] $ip).GetAddressBytes(); [uint32] (([uint32] $b[0] -shl 24) -bor ([uint32] $b[1] -shl 16) -bor ([uint32] $b[2] -shl 8) -bor $b[3]) }
        $mask = if ([int] $bits -eq 0) { [uint32] 0 } else { [uint32] ([uint32]::MaxValue -shl (32 - [int] $bits)) }
        ((& $toInt $Address) -band $mask) -eq ((& $toInt $net) -band $mask)
    }

    function Get-NatRule([string] $Pattern) { @(& iptables -w -t nat -S | Where-Object { $_ -like "*$Pattern*" }) }

    # A host port no other run is likely to use at the same time.
    function Get-TestHostPort { Get-Random -Minimum 20000 -Maximum 29999 }

    function Test-NetnsMounted([string] $Path) {
        [bool] (Get-Content /proc/self/mountinfo | Where-Object { ($_ -split ' ')[4] -eq $Path })
    }
}

Describe 'Pod networking: two pods on the default network' {
    BeforeAll {
        $script:nameA = New-TestPodName 'na'
        $script:nameB = New-TestPodName 'nb'
        $script:podA = New-PodSandbox -Name $nameA
        $script:podB = New-PodSandbox -Name $nameB
        foreach ($p in $podA, $podB) { $p | Add-PodContainer -Name srv -Image host -Command python3, -c, $serverScript, 8080 | Out-Null }
        $script:podA = Get-Pod $nameA
        $script:podB = Get-Pod $nameB
        foreach ($p in $podA, $podB) {
            Wait-Until { Read-TcpLine $p.IP 8080 } -TimeoutSeconds 20 -Because "the server of $($p.Name)" | Out-Null
        }
    }
    AfterAll { Remove-TestPod $nameA, $nameB }

    It 'gives each pod an address in the network''s subnet, on the default network' {
        foreach ($p in $podA, $podB) {
            $p.Network | Should -Be $network.Name
            $p.IP | Should -Not -BeNullOrEmpty
            $p.IPs | Should -Contain $p.IP
            Test-InSubnet $p.IP $network.Subnets[0] | Should -BeTrue -Because "$($p.IP) is in $($network.Subnets[0])"
        }
        $podA.IP | Should -Not -Be $podB.IP
    }

    It 'agrees with ip addr inside the pod (nsenter into the pause''s namespace)' {
        foreach ($p in $podA, $podB) {
            $lines = & nsenter -t $p.PausePid -n ip -o -4 addr show dev eth0
            ($lines -join "`n") | Should -Match ([regex]::Escape("inet $($p.IP)/"))
            # The pin names the same namespace the pause is in.
            & nsenter "--net=$(Get-PodNetns $p)" readlink /proc/self/ns/net | Should -Be (& readlink "/proc/$($p.PausePid)/ns/net")
        }
    }

    It 'lets pod A reach a TCP server in pod B by B''s address' {
        $reply = & nsenter "--net=$(Get-PodNetns $podA)" python3 -c $clientScript $podB.IP 8080
        $reply | Should -Be "$nameB $($podA.IP)"
    }

    It 'lets the node reach both pods' {
        (Read-TcpLine $podA.IP 8080) | Should -BeLike "$nameA *"
        (Read-TcpLine $podB.IP 8080) | Should -BeLike "$nameB *"
    }

    It 'reserves each address in host-local''s folder under the pod''s sandbox id' {
        foreach ($p in $podA, $podB) {
            Join-Path $dataDir $p.IP | Should -Exist
            (Get-Content -Raw (Join-Path $dataDir $p.IP)) | Should -Match $p.Id
        }
    }

    It 'writes the pod''s address for its hostname into its hosts file' {
        $hosts = Get-Content -Raw "/proc/$($podA.Containers[0].Pid)/root/etc/hosts"
        $hosts | Should -Match ("(?m)^" + [regex]::Escape($podA.IP) + "\s+" + $nameA + "$")
    }

    It 'lists both pods on the network with Get-PodNetwork' {
        $listed = Get-PodNetwork -Name $network.Name
        $listed.Pods | Should -Contain $nameA
        $listed.Pods | Should -Contain $nameB
        $listed.Subnets | Should -Be $network.Subnets
    }

    It 'passes CNI CHECK, and fails it once the pod''s address is gone (Test-PodNetwork)' {
        Test-PodNetwork $nameA | Should -BeTrue
        $podB | Test-PodNetwork | Should -BeTrue
        # Take B's address away behind PodShell's back (the last test of this block): the bridge plugin's CHECK must notice.
        & nsenter -t $podB.PausePid -n ip addr del "$($podB.IP)/$($network.Subnets[0].Split('/')[1])" dev eth0
        Test-PodNetwork $nameB -WarningVariable warn 3>$null | Should -BeFalse
        ($warn | Out-String) | Should -Match 'bridge'
    }
}

Describe 'Pod networking: host ports' {
    BeforeAll {
        $script:name = New-TestPodName 'np'
        $script:hostPort = Get-TestHostPort
        $script:pod = New-PodSandbox -Name $name -Port "${hostPort}:80/tcp"
        $pod | Add-PodContainer -Name srv -Image host -Command python3, -c, $serverScript, 80 | Out-Null
    }
    AfterAll { Remove-TestPod $name }

    It 'reaches the pod through the node''s address and the host port' {
        $reply = Wait-Until { Read-TcpLine 127.0.0.1 $hostPort } -TimeoutSeconds 20 -Because 'the host port'
        $reply | Should -BeLike "$name *"
        $pod.Ports[0].ToString() | Should -Be "${hostPort}:80/tcp"
    }

    It 'has portmap''s DNAT rule for the pod (iptables -t nat -S)' {
        Get-NatRule "--to-destination $($pod.IP):80" | Should -Not -BeNullOrEmpty
        Get-NatRule $pod.Id | Should -Not -BeNullOrEmpty
    }

    It 'removes the rules with the pod' {
        Remove-Pod $name -Force -Confirm:$false -Timeout 0
        Get-NatRule $pod.Id | Should -BeNullOrEmpty
        Get-NatRule "--to-destination $($pod.IP):80" | Should -BeNullOrEmpty
        Read-TcpLine 127.0.0.1 $hostPort | Should -BeNullOrEmpty
    }
}

Describe 'Pod networking: teardown leaves nothing' {
    BeforeAll {
        function Get-BridgePort { @(Get-ChildItem "/sys/class/net/$($network.Bridge)/brif" -ErrorAction Ignore | ForEach-Object Name) }
    }

    # Each case breaks the pod in its own way before Remove-Pod -Force; the node must end up clean all the same.
    It 'after <Case>: no reservation, veth, portmap rule or netns mount' -ForEach @(
        @{ Case = 'Remove-Pod of a running pod'; Break = {} }
        @{ Case = 'the pause was killed with SIGKILL'; Break = {
                Send-Signal $pod.PausePid KILL
                Wait-ProcessExit $pod.PausePid | Should -BeTrue
                (Get-Pod $pod.Name).State | Should -Be 'NotReady'
            }
        }
        @{ Case = 'the pause was killed and the network namespace is gone'; Break = {
                Send-Signal $pod.PausePid KILL
                Wait-ProcessExit $pod.PausePid | Should -BeTrue
                & umount -l $netns
                Test-NetnsMounted $netns | Should -BeFalse
            }
        }
    ) {
        $before = Get-BridgePort
        $pod = New-PodSandbox -Name (New-TestPodName 'nt') -Port "$(Get-TestHostPort):80"
        try {
            $reservation = Join-Path $dataDir $pod.IP
            $netns = Get-PodNetns $pod
            $veths = @(Get-BridgePort | Where-Object { $_ -notin $before })
            $reservation | Should -Exist
            $veths.Count | Should -Be 1
            Get-NatRule $pod.Id | Should -Not -BeNullOrEmpty

            . $Break
            Remove-Pod $pod.Name -Force -Confirm:$false

            $reservation | Should -Not -Exist
            # Without its namespace the kernel deletes the veth pair itself: give it a moment.
            Wait-Until { -not (Test-Path "/sys/class/net/$($veths[0])") } -TimeoutSeconds 5 | Out-Null
            "/sys/class/net/$($veths[0])" | Should -Not -Exist
            Get-BridgePort | Should -Not -Contain $veths[0]
            Get-NatRule $pod.Id | Should -BeNullOrEmpty
            Test-NetnsMounted $netns | Should -BeFalse
            Get-Pod $pod.Name -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        }
        finally { Remove-TestPod $pod.Name }
    }

    It 'gives the address back on Stop-Pod and joins again on Start-Pod' {
        $name = New-TestPodName 'ns'
        $pod = New-PodSandbox -Name $name
        try {
            Stop-Pod $name -Timeout 0
            $stopped = Get-Pod $name
            $stopped.IP | Should -BeNullOrEmpty
            Join-Path $dataDir $pod.IP | Should -Not -Exist
            $started = Start-Pod $name -PassThru -ErrorAction SilentlyContinue
            if (-not $started) { $started = Get-Pod $name }
            $started.State | Should -Be 'Ready'
            $started.IP | Should -Not -BeNullOrEmpty
            & nsenter -t $started.PausePid -n ip -o -4 addr show dev eth0 | Should -Match ([regex]::Escape("inet $($started.IP)/"))
        }
        finally { Remove-TestPod $name }
    }
}

Describe 'Pod networking: a create killed half-way' {
    BeforeAll {
        # A CNI config folder and plugin folder of this test: bridge + host-local, then a plugin that
        # records its pid and hangs in ADD, so the create can be killed while the chain is half done.
        $script:tag = [guid]::NewGuid().ToString('N').Substring(0, 8)
        $script:folder = Join-Path ([IO.Path]::GetTempPath()) "podshell-cni-$tag"
        $script:pluginDir = Join-Path $folder 'bin'
        New-Item -ItemType Directory -Force $pluginDir | Out-Null
        $script:marker = Join-Path $folder 'hang.pid'
        Set-Content (Join-Path $pluginDir 'hang') -Value @"
#!/bin/sh
cat > /dev/null
case "`$CNI_COMMAND" in
  ADD) echo `$`$ > '$marker'; exec sleep 60 ;;
  VERSION) echo '{"cniVersion":"1.0.0","supportedVersions":["1.0.0"]}' ;;
esac
exit 0
"@
        & chmod 755 (Join-Path $pluginDir 'hang')
        $script:netName = "pk-$tag"
        $script:subnet = '10.{0}.{1}.0/24' -f (Get-Random -Minimum 200 -Maximum 255), (Get-Random -Maximum 256)
        $script:bridge = "pk$tag"
        @{
            cniVersion = '1.0.0'; name = $netName
            plugins    = @(
                @{ type = 'bridge'; bridge = $bridge; isGateway = $true; ipMasq = $false
                    ipam = @{ type = 'host-local'; ranges = @(, @(@{ subnet = $subnet })) } }
                @{ type = 'hang' }
            )
        } | ConvertTo-Json -Depth 10 | Set-Content (Join-Path $folder "10-$netName.conflist")
        $script:savedCniPath = $env:CNI_PATH
        $env:CNI_PATH = $pluginDir
    }
    AfterAll {
        $env:CNI_PATH = $savedCniPath
        if (Test-Path "/sys/class/net/$bridge") { & ip link delete $bridge }
        Remove-Item -Recurse -Force $folder, "/var/lib/cni/networks/$netName" -ErrorAction Ignore
    }

    It 'is cleaned by Remove-Pod -Force: address, veth and netns mount' {
        $name = New-TestPodName 'nh'
        $pwsh = @([Environment]::ProcessPath)
        if ((Split-Path -Leaf $pwsh[0]) -like 'dotnet*') { $pwsh += (Join-Path $PSHOME 'pwsh.dll') }
        $script = "Import-Module '$env:PODSHELL_TEST_MODULE/PodShell.psd1'; New-PodSandbox -Name $name -Network $netName -CniConfigDirectory '$folder'"
        $child = Start-TestProcess (@($pwsh) + @('-NoProfile', '-NonInteractive', '-Command', $script))
        try {
            $hangPid = [int] (Wait-Until { if (Test-Path $marker) { (Get-Content $marker -Raw).Trim() } } -TimeoutSeconds 60 -Because 'the hanging plugin')
            $child.Kill()
            $child.WaitForExit(5000) | Out-Null
            Send-Signal $hangPid KILL

            # The bridge plugin ran: an address is reserved and a veth is on the bridge.
            $reserved = @(Get-ChildItem "/var/lib/cni/networks/$netName" | Where-Object Name -Match '^\d+\.\d+\.\d+\.\d+$')
            $reserved.Count | Should -Be 1
            $veths = @(Get-ChildItem "/sys/class/net/$bridge/brif" | ForEach-Object Name)
            $veths.Count | Should -Be 1
            $stateDir = Join-Path $env:PODSHELL_ROOT "pods/$name"

            Remove-Pod $name -Force -Confirm:$false
            @(Get-ChildItem "/var/lib/cni/networks/$netName" | Where-Object Name -Match '^\d+\.\d+\.\d+\.\d+$') | Should -BeNullOrEmpty
            "/sys/class/net/$($veths[0])" | Should -Not -Exist
            Test-NetnsMounted "$stateDir/netns" | Should -BeFalse
            $stateDir | Should -Not -Exist
        }
        finally {
            Stop-TestProcess $child
            Remove-TestPod $name
        }
    }
}

Describe 'Pod networking: user-written configurations' {
    BeforeAll {
        $script:tag = [guid]::NewGuid().ToString('N').Substring(0, 8)
        $script:folder = Join-Path ([IO.Path]::GetTempPath()) "podshell-cni-$tag"
        New-Item -ItemType Directory -Force $folder | Out-Null
        $script:netName = "pu-$tag"
        $script:subnet = '10.{0}.{1}.0/24' -f (Get-Random -Minimum 200 -Maximum 255), (Get-Random -Maximum 256)
        $script:bridge = "pu$tag"
        $script:config = @{
            cniVersion = '1.0.0'; name = $netName
            plugins    = @(
                @{ type = 'bridge'; bridge = $bridge; isGateway = $true; ipMasq = $false
                    ipam = @{ type = 'host-local'; ranges = @(, @(@{ subnet = $subnet })) } }
                @{ type = 'firewall' }
            )
        }
        $script:configFile = Join-Path $folder "50-$netName.conflist"
        $config | ConvertTo-Json -Depth 10 | Set-Content $configFile
    }
    AfterAll {
        if (Test-Path "/sys/class/net/$bridge") { & ip link delete $bridge }
        Remove-Item -Recurse -Force $folder, "/var/lib/cni/networks/$netName" -ErrorAction Ignore
    }

    It 'honours a bridge + firewall chain from -CniConfigDirectory, and DEL uses the cached config after the file changed' {
        $name = New-TestPodName 'nu'
        $pod = New-PodSandbox -Name $name -Network $netName -CniConfigDirectory $folder
        try {
            $pod.Network | Should -Be $netName
            Test-InSubnet $pod.IP $subnet | Should -BeTrue
            & nsenter -t $pod.PausePid -n ip -o -4 addr show dev eth0 | Should -Match ([regex]::Escape("inet $($pod.IP)/"))
            # The firewall plugin's own chain accepts the pod's traffic.
            @(& iptables -w -S CNI-FORWARD | Where-Object { $_ -like "*$($pod.IP)*" }) | Should -Not -BeNullOrEmpty
            # The file loses its firewall plugin: DEL must still run the chain ADD ran.
            $changed = $config.Clone(); $changed.plugins = @($config.plugins[0])
            $changed | ConvertTo-Json -Depth 10 | Set-Content $configFile
            Remove-Pod $name -Force -Confirm:$false
            @(& iptables -w -S CNI-FORWARD | Where-Object { $_ -like "*$($pod.IP)*" }) | Should -BeNullOrEmpty
            Join-Path "/var/lib/cni/networks/$netName" $pod.IP | Should -Not -Exist
        }
        finally {
            Remove-TestPod $name
            $config | ConvertTo-Json -Depth 10 | Set-Content $configFile
        }
    }

    It 'fails with a clear error and makes nothing when a plugin is missing' {
        $broken = @{ cniVersion = '1.0.0'; name = "pm-$tag"; plugins = @(@{ type = 'bridge'; bridge = $bridge; ipam = @{ type = 'host-local'; subnet = $subnet } }, @{ type = 'no-such-plugin' }) }
        $broken | ConvertTo-Json -Depth 10 | Set-Content (Join-Path $folder "60-pm-$tag.conflist")
        $name = New-TestPodName 'nm'
        $err = $null
        New-PodSandbox -Name $name -Network "pm-$tag" -CniConfigDirectory $folder -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'CniPluginNotFound,*'
        $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $err[0].Exception.Message | Should -Match 'no-such-plugin'
        $err[0].Exception.Message | Should -Match '/usr/lib/cni'
        $err[0].ErrorDetails.RecommendedAction | Should -Match 'containernetworking-plugins'
        Join-Path $env:PODSHELL_ROOT "pods/$name" | Should -Not -Exist
        Test-Path "/var/lib/cni/networks/pm-$tag" | Should -BeFalse
    }

    It 'names an unknown network and makes nothing' {
        $name = New-TestPodName 'nn'
        $err = $null
        New-PodSandbox -Name $name -Network 'no-such-network' -CniConfigDirectory $folder -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'NetworkNotFound,*'
        $err[0].Exception.Message | Should -Match ([regex]::Escape($folder))
        Join-Path $env:PODSHELL_ROOT "pods/$name" | Should -Not -Exist
    }

    It 'writes the default network on first use, with a message' {
        $empty = Join-Path $folder 'empty'
        New-Item -ItemType Directory -Force $empty | Out-Null
        $saved = $env:PODSHELL_DEFAULT_NETWORK
        $env:PODSHELL_DEFAULT_NETWORK = "pd-$tag"
        $name = New-TestPodName 'nd'
        try {
            $pod = New-PodSandbox -Name $name -CniConfigDirectory $empty -InformationVariable info
            ($info | Out-String) | Should -Match "pd-$tag"
            Join-Path $empty "87-pd-$tag.conflist" | Should -Exist
            $net = Get-PodNetwork -CniConfigDirectory $empty
            $net.Name | Should -Be "pd-$tag"
            $net.IsDefault | Should -BeTrue
            $net.Plugins | Should -Be @('bridge', 'portmap')
            $net.Subnets[0] | Should -Match '^10\.\d+\.0\.0/16$'
            Test-InSubnet $pod.IP $net.Subnets[0] | Should -BeTrue
            # The /16 clashes with no route the node had.
            foreach ($route in & ip -4 route show | Where-Object { $_ -notmatch '^default' -and $_ -notmatch $net.Bridge }) {
                $dst = ($route -split ' ')[0]
                if ($dst -notmatch '/') { $dst = "$dst/32" }
                Test-InSubnet ($dst -split '/')[0] $net.Subnets[0] | Should -BeFalse -Because "$dst is a route of the node"
            }
        }
        finally {
            Remove-TestPod $name
            $env:PODSHELL_DEFAULT_NETWORK = $saved
            Remove-PodNetwork -Name "pd-$tag" -CniConfigDirectory $empty -Force -Confirm:$false -ErrorAction SilentlyContinue
        }
        Test-Path "/sys/class/net/ps-pd-$tag" | Should -BeFalse
        Test-Path "/var/lib/cni/networks/pd-$tag" | Should -BeFalse
    }
}

Describe 'Pod networking: None, Host and DNS' {
    It '-Network None leaves the pod with lo only' {
        $name = New-TestPodName 'nz'
        try {
            $pod = New-PodSandbox -Name $name -Network None
            $pod.Network | Should -Be 'none'
            $pod.IP | Should -BeNullOrEmpty
            $links = & nsenter -t $pod.PausePid -n ip -o link show
            $links | Should -HaveCount 1
            $links | Should -Match 'lo: <LOOPBACK,UP'
        }
        finally { Remove-TestPod $name }
    }

    It '-Network Host is the node''s network, and the pod reports the node''s address' {
        $name = New-TestPodName 'nq'
        try {
            $pod = New-PodSandbox -Name $name -Network Host
            $pod.Network | Should -Be 'host'
            $pod.Namespaces.Network | Should -Be 'Node'
            Get-NamespaceInodeByReadlink $pod.PausePid net | Should -Be (Get-NodeNamespaceInode net)
            $device = ((& ip -4 route show default) -split ' ')[4]
            $nodeIPs = & ip -4 -o addr show dev $device | ForEach-Object { (($_ -split '\s+')[3] -split '/')[0] }
            $nodeIPs | Should -Contain $pod.IP
        }
        finally { Remove-TestPod $name }
    }

    It 'writes -Dns, -DnsSearch and -DnsOption into the container''s resolv.conf' {
        $name = New-TestPodName 'nr'
        try {
            $pod = New-PodSandbox -Name $name -Dns 10.255.0.9 -DnsSearch svc.test -DnsOption ndots:3
            $c = $pod | Add-PodContainer -Name c -Image host -Command sleep, infinity
            $resolv = Get-Content -Raw "/proc/$($c.Pid)/root/etc/resolv.conf"
            $resolv | Should -Match '(?m)^nameserver 10\.255\.0\.9$'
            $resolv | Should -Match '(?m)^search .*svc\.test'
            $resolv | Should -Match '(?m)^options .*ndots:3'
            $resolv | Should -Not -Match 'nameserver 127\.'
        }
        finally { Remove-TestPod $name }
    }

    It 'rejects -Port without a network of the pod''s own' {
        $name = New-TestPodName 'nx'
        $err = $null
        New-PodSandbox -Name $name -Network None -Port 8080:80 -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'PortMappingUnsupported,*'
        Join-Path $env:PODSHELL_ROOT "pods/$name" | Should -Not -Exist
    }

    It 'rejects a -Port that is not a port mapping' {
        { New-PodSandbox -Name (New-TestPodName 'nx') -Port '80:http' -ErrorAction Stop } | Should -Throw -ErrorId 'ParameterArgumentTransformationError,*'
    }
}

Describe 'New-PodNetwork, Get-PodNetwork and Remove-PodNetwork' {
    BeforeAll {
        $script:folder = Join-Path ([IO.Path]::GetTempPath()) "podshell-cni-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
    }
    AfterAll { Remove-Item -Recurse -Force $folder -ErrorAction Ignore }

    It 'writes a bridge + host-local + portmap config list that the plugins accept' {
        $net = New-PodNetwork -Name 'pn-one' -Subnet 10.251.7.0/24 -Bridge 'pn-one0' -NoMasquerade -CniConfigDirectory $folder
        $net | Should -BeOfType ([PodShell.Model.PodNetwork])
        $net.ConfigPath | Should -Be (Join-Path $folder '87-pn-one.conflist')
        $json = Get-Content -Raw $net.ConfigPath | ConvertFrom-Json
        $json.cniVersion | Should -Be '1.0.0'
        $json.plugins.type | Should -Be @('bridge', 'portmap')
        $json.plugins[0].bridge | Should -Be 'pn-one0'
        $json.plugins[0].ipMasq | Should -BeFalse
        $json.plugins[0].ipam.ranges[0][0].subnet | Should -Be '10.251.7.0/24'
        $json.plugins[1].capabilities.portMappings | Should -BeTrue
        # The plugins themselves read it: VERSION through the chain's own binaries.
        '{"cniVersion":"1.0.0"}' | & env CNI_COMMAND=VERSION /usr/lib/cni/bridge | Should -Match '1\.0\.0'
    }

    It 'lists networks in file-name order, the first one the default' {
        New-PodNetwork -Name 'pn-two' -Subnet 10.251.8.0/24 -CniConfigDirectory $folder | Out-Null
        Rename-Item (Join-Path $folder '87-pn-two.conflist') '10-pn-two.conflist'
        $all = Get-PodNetwork -CniConfigDirectory $folder
        $all.Name | Should -Be @('pn-two', 'pn-one')
        ($all | Where-Object IsDefault).Name | Should -Be 'pn-two'
        (Get-PodNetwork 'pn-o*' -CniConfigDirectory $folder).Name | Should -Be 'pn-one'
        $out = Get-PodNetwork -CniConfigDirectory $folder | Out-String
        $out | Should -Match '10\.251\.7\.0/24'
    }

    It 'refuses a duplicate name, a bad name, a bad subnet and a subnet the node routes' {
        $cases = @(
            @{ Args = @{ Name = 'pn-one'; Subnet = '10.251.9.0/24' }; Id = 'NetworkExists' }
            @{ Args = @{ Name = 'None'; Subnet = '10.251.9.0/24' }; Id = 'InvalidNetworkName' }
            @{ Args = @{ Name = 'bad/name'; Subnet = '10.251.9.0/24' }; Id = 'InvalidNetworkName' }
            @{ Args = @{ Name = 'pn-bad'; Subnet = '10.251.9.0/33' }; Id = 'InvalidSubnet' }
            @{ Args = @{ Name = 'pn-bad'; Subnet = '10.251.7.128/25' }; Id = 'SubnetInUse' }
        )
        $route = & ip -4 route show | Where-Object { $_ -notmatch '^default' } | Select-Object -First 1
        if ($route) { $cases += @{ Args = @{ Name = 'pn-bad'; Subnet = ($route -split ' ')[0] }; Id = 'SubnetInUse' } }
        foreach ($case in $cases) {
            $err = $null
            $a = $case.Args
            New-PodNetwork @a -CniConfigDirectory $folder -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            $err[0].FullyQualifiedErrorId | Should -BeLike "$($case.Id),*" -Because ($a | Out-String)
        }
        Join-Path $folder '87-pn-bad.conflist' | Should -Not -Exist
    }

    It 'removes a network, and refuses one that has pods' {
        Remove-PodNetwork 'pn-one' -CniConfigDirectory $folder -Confirm:$false
        Join-Path $folder '87-pn-one.conflist' | Should -Not -Exist
        $err = $null
        Remove-PodNetwork 'pn-one' -CniConfigDirectory $folder -Confirm:$false -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'NetworkNotFound,*'
        Remove-PodNetwork 'pn-one' -CniConfigDirectory $folder -Force

        $name = New-TestPodName 'nw'
        try {
            New-PodSandbox -Name $name | Out-Null
            $err = $null
            Remove-PodNetwork $env:PODSHELL_TEST_NETWORK -Confirm:$false -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].FullyQualifiedErrorId | Should -BeLike 'NetworkInUse,*'
            Get-PodNetwork $env:PODSHELL_TEST_NETWORK | Should -Not -BeNullOrEmpty
        }
        finally { Remove-TestPod $name }
    }
}
