# A pod's names as kubelet gives them: hostname, subdomain and namespace make the FQDN
# <hostname>.<subdomain>.<namespace>.svc.<cluster domain> in the pod's /etc/hosts (and its hostname with
# setHostnameAsFQDN); hostAliases add lines. On both engines. Witnesses: the /etc/hosts a container sees
# (/proc/<pid>/root), hostname and hostname -f run by nsenter in the container's namespaces, the Kubernetes client.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-PodShellUnderTest

    # Runs the container's own hostname (busybox) in its mount and uts namespaces.
    function Get-ContainerHostname([int] $ProcessId, [switch] $Fqdn) {
        $arguments = @('-t', $ProcessId, '-m', '-u', '/bin/hostname')
        if ($Fqdn) { $arguments += '-f' }
        & nsenter @arguments
    }
}

Describe 'Pod names on the <Engine> engine' -ForEach @(
    @{ Engine = 'Native'; Skip = -not $env:PODSHELL_TEST_BUSYBOX_ROOTFS }
    @{ Engine = 'Docker'; Skip = -not $env:PODSHELL_TEST_DOCKER_IMAGE }
) {
    BeforeAll {
        $busybox = if ($Engine -eq 'Docker') { $env:PODSHELL_TEST_DOCKER_IMAGE } else { $env:PODSHELL_TEST_BUSYBOX_ROOTFS }
        $name = New-TestPodName "names-$($Engine.ToLowerInvariant())"
        $fqdnName = New-TestPodName "fqdn-$($Engine.ToLowerInvariant())"
        function New-NamedPodText([string] $PodName, [string] $Extra) {
            @"
apiVersion: v1
kind: Pod
metadata:
  name: $PodName
  namespace: shop
spec:
  hostname: web
  subdomain: front
$Extra
  containers:
  - name: app
    image: busybox
    command: [/bin/sleep, '100000']
"@
        }
        $text = New-NamedPodText $name @'
  hostAliases:
  - ip: 10.1.2.3
    hostnames: [foo.local, bar.local]
  - ip: fd00::7
    hostnames: [six.local]
'@
        if (-not $Skip) {
            $pod = $text | New-Pod -Engine $Engine -ImageMap @{ busybox = $busybox } -WarningAction SilentlyContinue
            $app = Get-PodContainer -Pod $name -Name app
            $saved = $env:PODSHELL_CLUSTER_DOMAIN
            try {
                $env:PODSHELL_CLUSTER_DOMAIN = 'example.org'
                $fqdnPod = New-NamedPodText $fqdnName '  setHostnameAsFQDN: true' | New-Pod -Engine $Engine -ImageMap @{ busybox = $busybox } -WarningAction SilentlyContinue
            }
            finally { $env:PODSHELL_CLUSTER_DOMAIN = $saved }
            $fqdnApp = Get-PodContainer -Pod $fqdnName -Name app
        }
    }
    AfterAll {
        if (-not $Skip) { Remove-TestPod $name, $fqdnName }
    }

    It 'puts the FQDN and the short name on the pod''s address in its /etc/hosts, then the hostAliases' -Skip:$Skip {
        $hosts = Get-Content "/proc/$($app.Pid)/root/etc/hosts"
        $address = if ($pod.IP) { $pod.IP } else { '127.0.1.1' }
        $line = $hosts | Where-Object { $_ -match '\sweb\.front\.shop\.svc\.cluster\.local\s' }
        $line | Should -HaveCount 1
        ($line -split '\s+') | Should -Be @($address, 'web.front.shop.svc.cluster.local', 'web')
        foreach ($alias in @('10.1.2.3 foo.local', '10.1.2.3 bar.local', 'fd00::7 six.local')) {
            $ip, $host_ = $alias -split ' '
            $hosts | Where-Object { ($_ -split '\s+')[0] -eq $ip -and ($_ -split '\s+') -contains $host_ } | Should -Not -BeNullOrEmpty -Because "$host_ is an alias of $ip"
        }
    }

    It 'has the short hostname, and hostname -f resolves the FQDN' -Skip:$Skip {
        Get-ContainerHostname $app.Pid | Should -Be 'web'
        Get-ContainerHostname $app.Pid -Fqdn | Should -Be 'web.front.shop.svc.cluster.local'
    }

    It 'has the FQDN as hostname with setHostnameAsFQDN, in the cluster domain of PODSHELL_CLUSTER_DOMAIN' -Skip:$Skip {
        Get-ContainerHostname $fqdnApp.Pid | Should -Be 'web.front.shop.svc.example.org'
        Get-ContainerHostname $fqdnApp.Pid -Fqdn | Should -Be 'web.front.shop.svc.example.org'
        $fqdnPod.Hostname | Should -Be 'web.front.shop.svc.example.org'
        $fqdnPod.SetHostnameAsFqdn | Should -BeTrue
    }

    It 'shows the names on the Pod object, and reports the fields as Applied' -Skip:$Skip {
        $shown = Get-Pod $name
        $shown.Hostname | Should -Be 'web'
        $shown.Subdomain | Should -Be 'front'
        $shown.Fqdn | Should -Be 'web.front.shop.svc.cluster.local'
        $shown.HostAliases.IP | Should -Be @('10.1.2.3', 'fd00::7')
        $shown.HostAliases[0].Hostnames | Should -Be @('foo.local', 'bar.local')
        $report = ($text | ConvertFrom-PodManifest).Report
        $report | Where-Object { $_.Path -in 'spec.subdomain', 'spec.hostname' -or $_.Path -like 'spec.hostAliases*' } | Where-Object Status -NE 'Applied' | Should -BeNullOrEmpty
        ($report | Where-Object Path -Like 'spec.hostAliases*').Count | Should -Be 2
    }

    It 'exports the names back into the manifest' -Skip:$Skip {
        $again = Get-Pod $name | ConvertTo-PodManifest | ConvertFrom-PodManifest -ImageMap @{ $busybox = 'host' }
        $again.Pod.Hostname | Should -Be 'web'
        $again.Pod.Subdomain | Should -Be 'front'
        $again.Pod.Labels['io.kubernetes.pod.namespace'] | Should -Be 'shop'
        $again.Pod.HostAliases.Count | Should -Be 2
        $again.Pod.HostAliases[1].Hostnames | Should -Be @('six.local')
        $asFqdn = Get-Pod $fqdnName | ConvertTo-PodManifest | ConvertFrom-PodManifest -ImageMap @{ $busybox = 'host' }
        $asFqdn.Pod.Hostname | Should -Be 'web'
        $asFqdn.Pod.SetHostnameAsFqdn | Should -BeTrue
    }
}

Describe 'Pod names from New-PodSandbox' {
    It 'names the pod <hostname>.<subdomain>.default.svc.cluster.local, with its aliases' {
        $name = New-TestPodName 'sub'
        try {
            $pod = New-PodSandbox -Name $name -Network None -Subdomain db -HostAlias @{ '192.0.2.9' = 'one.test' }
            $pod.Fqdn | Should -Be "$name.db.default.svc.cluster.local"
            $null = $pod | Add-PodContainer -Name app -Image host -Command sleep, infinity
            $app = Get-PodContainer -Pod $name -Name app
            $hosts = Get-Content "/proc/$($app.Pid)/root/etc/hosts"
            $hosts | Should -Contain "127.0.1.1`t$name.db.default.svc.cluster.local`t$name"
            $hosts | Should -Contain "192.0.2.9`tone.test"
            & nsenter -t $app.Pid -m -u hostname -f | Should -Be "$name.db.default.svc.cluster.local"
        }
        finally { Remove-TestPod $name }
    }

    It 'refuses <Case> with <Id>, and makes nothing' -TestCases @(
        @{ Case = '-SetHostnameAsFqdn without a subdomain'; Id = 'InvalidHostname'; Arguments = @{ SetHostnameAsFqdn = $true } }
        @{ Case = 'a subdomain that is not a DNS label'; Id = 'InvalidHostname'; Arguments = @{ Subdomain = 'Not_A_Label' } }
        @{ Case = 'an FQDN hostname longer than 64'; Id = 'InvalidHostname'; Arguments = @{ Hostname = 'h' * 40; Subdomain = 's' * 20; SetHostnameAsFqdn = $true } }
        @{ Case = 'an alias that is no address'; Id = 'InvalidHostAlias'; Arguments = @{ HostAlias = @{ '10.1.2' = 'x.test' } } }
        @{ Case = 'an alias name that is no DNS name'; Id = 'InvalidHostAlias'; Arguments = @{ HostAlias = @{ '10.1.2.3' = 'bad name' } } }
    ) {
        $name = New-TestPodName 'badname'
        $err = $null
        try {
            New-PodSandbox -Name $name -Network None @Arguments -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            $err[0].FullyQualifiedErrorId | Should -BeLike "$Id,*"
            Get-Pod $name -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            Test-Path (Join-Path $env:PODSHELL_ROOT "pods/$name") | Should -BeFalse
        }
        finally { Remove-TestPod $name }
    }

    It 'refuses a cluster domain that is no DNS name' {
        $saved = $env:PODSHELL_CLUSTER_DOMAIN
        $name = New-TestPodName 'domain'
        try {
            $env:PODSHELL_CLUSTER_DOMAIN = 'bad domain'
            $err = $null
            New-PodSandbox -Name $name -Network None -Subdomain s -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            $err[0].FullyQualifiedErrorId | Should -BeLike 'InvalidClusterDomain,*'
            $err[0].Exception.Message | Should -Match 'PODSHELL_CLUSTER_DOMAIN'
        }
        finally { $env:PODSHELL_CLUSTER_DOMAIN = $saved }
        Get-Pod $name -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'names the manifest field of <Case>' -TestCases @(
        @{ Case = 'setHostnameAsFQDN without a subdomain'; Spec = 'setHostnameAsFQDN: true'; Path = 'spec.setHostnameAsFQDN' }
        @{ Case = 'a too long FQDN as hostname'; Spec = "hostname: $('h' * 40), subdomain: $('s' * 20), setHostnameAsFQDN: true"; Path = 'spec.subdomain' }
        @{ Case = 'a bad alias address'; Spec = 'hostAliases: [{ip: nowhere, hostnames: [a.test]}]'; Path = 'spec.hostAliases[0]' }
    ) {
        $text = "apiVersion: v1`nkind: Pod`nmetadata: {name: badnames}`nspec: {$Spec, containers: [{name: a, image: host, command: [sh]}]}"
        $err = $null
        $text | New-Pod -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ManifestInvalid,*'
        $err[0].Exception.FieldPath | Should -Be $Path
    }

    It 'leaves a subdomain aside on the node''s network, and says so' {
        $text = "apiVersion: v1`nkind: Pod`nmetadata: {name: hostsub}`nspec: {hostNetwork: true, subdomain: x, containers: [{name: a, image: host, command: [sh]}]}"
        $field = ($text | ConvertFrom-PodManifest).Report | Where-Object Path -EQ 'spec.subdomain'
        $field.Status | Should -Be 'Ignored'
        $field.Reason | Should -Match 'node''s network'
    }
}
