# The pod-level securityContext: supplementalGroups and fsGroup (groups of every container's processes, emptyDirs
# group-owned with setgid), sysctls of the pod's namespaces, on both engines; and a subPath of an emptyDir on Docker.
# Witnesses: /proc/<pid>/status, stat of the volume folders through /proc/<pid>/root, sysctl read through nsenter into
# the pause's namespaces, the node's own sysctl values, the docker CLI, and the Kubernetes Python client for exports.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-PodShellUnderTest

    function Get-StatusField([int] $ProcessId, [string] $Field) {
        $line = Get-Content "/proc/$ProcessId/status" | Where-Object { $_ -like "${Field}:*" }
        @(($line -split '\s+') | Select-Object -Skip 1 | Where-Object { $_ } | ForEach-Object { [long] $_ })
    }

    # A value for a sysctl that differs from the node's, so the pod's can only come from the pod.
    function Get-OtherValue([string] $Key, [string[]] $Candidates) {
        $node = (& sysctl -n $Key).Trim()
        $Candidates | Where-Object { $_ -ne $node } | Select-Object -First 1
    }
}

Describe 'Pod securityContext on the <Engine> engine' -ForEach @(
    @{ Engine = 'Native'; Skip = -not $env:PODSHELL_TEST_BUSYBOX_ROOTFS }
    @{ Engine = 'Docker'; Skip = -not $env:PODSHELL_TEST_DOCKER_IMAGE }
) {
    BeforeAll {
        $busybox = if ($Engine -eq 'Docker') { $env:PODSHELL_TEST_DOCKER_IMAGE } else { $env:PODSHELL_TEST_BUSYBOX_ROOTFS }
        $name = New-TestPodName "psc-$($Engine.ToLowerInvariant())"
        $portKey = 'net.ipv4.ip_unprivileged_port_start'
        $shmKey = 'kernel.shm_rmid_forced'
        $nodePort = (& sysctl -n $portKey).Trim()
        $nodeShm = (& sysctl -n $shmKey).Trim()
        $port = Get-OtherValue $portKey '0', '1000'
        $shm = Get-OtherValue $shmKey '1', '0'
        $text = @"
apiVersion: v1
kind: Pod
metadata:
  name: $name
spec:
  securityContext:
    supplementalGroups: [4000, 4001]
    fsGroup: 2000
    fsGroupChangePolicy: OnRootMismatch
    sysctls:
    - {name: $portKey, value: '$port'}
    - {name: $shmKey, value: '$shm'}
  volumes:
  - {name: data, emptyDir: {}}
  - name: mem
    emptyDir: {medium: Memory}
  containers:
  - name: app
    image: busybox
    command: [/bin/sleep, '100000']
    securityContext: {runAsUser: 1000, runAsGroup: 3000}
    volumeMounts:
    - {name: data, mountPath: /data}
    - {name: data, mountPath: /sub, subPath: a/b}
    - {name: mem, mountPath: /mem}
    - {name: mem, mountPath: /msub, subPath: x}
  - name: root
    image: busybox
    command: [/bin/sleep, '100000']
    volumeMounts:
    - {name: data, mountPath: /seen}
"@
        if (-not $Skip) {
            $pod = $text | New-Pod -Engine $Engine -ImageMap @{ busybox = $busybox } -WarningAction SilentlyContinue
            $app = Get-PodContainer -Pod $name -Name app
            $root = Get-PodContainer -Pod $name -Name root
        }
    }
    AfterAll {
        if (-not $Skip) { Remove-TestPod $name }
    }

    It 'reports the pod-level fields a single node cannot give as Unsupported, with why' -Skip:$Skip {
        $other = "apiVersion: v1`nkind: Pod`nmetadata: {name: other}`nspec: {os: {name: linux}, hostUsers: false, runtimeClassName: kata, securityContext: {appArmorProfile: {type: RuntimeDefault}, seLinuxOptions: {level: 's0:c1'}}, containers: [{name: a, image: host, command: [sh]}]}"
        $report = ($other | ConvertFrom-PodManifest).Report
        ($report | Where-Object Path -EQ 'spec.os').Status | Should -Be 'Applied'
        foreach ($path in 'spec.hostUsers', 'spec.runtimeClassName', 'spec.securityContext.appArmorProfile', 'spec.securityContext.seLinuxOptions') {
            $field = $report | Where-Object Path -EQ $path
            $field.Status | Should -Be 'Unsupported' -Because $path
            $field.Reason | Should -Not -Be 'PodShell does not apply this field' -Because "$path has a reason of its own"
        }
        $err = $null
        ($other -replace 'linux', 'windows') | ConvertFrom-PodManifest -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].Exception.FieldPath | Should -Be 'spec.os.name'
    }

    It 'reports every field of the securityContext as Applied' -Skip:$Skip {
        $report = $text | ConvertFrom-PodManifest | Select-Object -ExpandProperty Report
        $report | Where-Object Path -Like 'spec.securityContext*' | Where-Object Status -NE 'Applied' | Should -BeNullOrEmpty
        ($report | Where-Object Path -Like 'spec.securityContext*').Count | Should -Be 5
    }

    It 'gives every container''s processes the pod''s supplemental groups and fsGroup' -Skip:$Skip {
        Get-StatusField $app.Pid 'Gid' | Select-Object -First 1 | Should -Be 3000
        Get-StatusField $app.Pid 'Groups' | Sort-Object | Should -Be @(2000, 3000, 4000, 4001)
        Get-StatusField $root.Pid 'Groups' | Sort-Object | Should -Be @(0, 2000, 4000, 4001)
        # A command run later in the container gets them too.
        $groups = Invoke-PodCommand -Pod $name -Container app -- /bin/sh -c 'grep ^Groups: /proc/self/status'
        (($groups -split '\s+') | Select-Object -Skip 1 | Where-Object { $_ } | ForEach-Object { [long] $_ } | Sort-Object) | Should -Be @(2000, 3000, 4000, 4001)
    }

    It 'gives the emptyDirs to the fsGroup with the setgid bit, as kubelet does' -Skip:$Skip {
        $data = "/proc/$($app.Pid)/root/data"
        & stat -c '%g %a' $data | Should -Be '2000 2777'
        # A tmpfs root is 1777: kubelet adds group rwx and setgid to it.
        & stat -c '%g %a' "/proc/$($app.Pid)/root/mem" | Should -Be '2000 3777'
        & stat -f -c '%T' "/proc/$($app.Pid)/root/mem" | Should -Be 'tmpfs'
        # What a container makes there belongs to the group.
        Invoke-PodCommand -Pod $name -Container app -- /bin/touch /data/made-by-app
        & stat -c '%u %g' "/proc/$($root.Pid)/root/seen/made-by-app" | Should -Be '1000 2000'
    }

    It 'mounts a subPath of each emptyDir, made with the volume''s group and mode' -Skip:$Skip {
        & stat -c '%g %a' "/proc/$($app.Pid)/root/data/a/b" | Should -Be '2000 2777'
        Invoke-PodCommand -Pod $name -Container app -- /bin/sh -c 'echo through-sub > /sub/f; echo in-memory > /msub/g'
        Get-Content "/proc/$($root.Pid)/root/seen/a/b/f" | Should -Be 'through-sub'
        Get-Content "/proc/$($app.Pid)/root/mem/x/g" | Should -Be 'in-memory'
        & stat -c '%g' "/proc/$($app.Pid)/root/mem/x" | Should -Be '2000'
    }

    It 'sets the sysctls in the pod''s own namespaces, leaving the node''s values alone' -Skip:$Skip {
        $pod = Get-Pod $name
        & nsenter -t $pod.PausePid -n -i sysctl -n $portKey | Should -Be $port
        & nsenter -t $pod.PausePid -n -i sysctl -n $shmKey | Should -Be $shm
        # Inside the containers, through their own /proc.
        Invoke-PodCommand -Pod $name -Container root -- /bin/cat "/proc/sys/net/ipv4/ip_unprivileged_port_start" | Should -Be $port
        & nsenter -t $root.Pid -i cat /proc/sys/kernel/shm_rmid_forced | Should -Be $shm
        (& sysctl -n $portKey).Trim() | Should -Be $nodePort
        (& sysctl -n $shmKey).Trim() | Should -Be $nodeShm
    }

    It 'shows the groups and sysctls on the Pod object' -Skip:$Skip {
        $pod = Get-Pod $name
        $pod.SupplementalGroups | Should -Be @(4000, 4001)
        $pod.FsGroup | Should -Be 2000
        $pod.FsGroupChangePolicy | Should -Be 'OnRootMismatch'
        $pod.Sysctls[$portKey] | Should -Be $port
        $pod.Sysctls[$shmKey] | Should -Be $shm
    }

    It 'exports them back into the manifest' -Skip:$Skip {
        $again = Get-Pod $name | ConvertTo-PodManifest | ConvertFrom-PodManifest -ImageMap @{ $busybox = 'host' }
        $again.Pod.SupplementalGroups | Should -Be @(4000, 4001)
        $again.Pod.FsGroup | Should -Be 2000
        $again.Pod.FsGroupChangePolicy | Should -Be 'OnRootMismatch'
        $again.Pod.Sysctls[$portKey] | Should -Be $port
        $again.Pod.Sysctls[$shmKey] | Should -Be $shm
        ($again.Containers | Where-Object Name -EQ app).Request.Mounts.SubPath | Where-Object { $_ } | Should -Be @('a/b', 'x')
    }
}

Describe 'supplementalGroupsPolicy' {
    It 'gives a named user the groups of the image''s /etc/group with Merge, and not with Strict (native)' -Skip:(-not $env:PODSHELL_TEST_BUSYBOX_ROOTFS) {
        # A rootfs of its own whose /etc/group lists user app (uid 1000) in group extra (555).
        $rootfs = Join-Path $TestDrive 'rootfs'
        & cp -a $env:PODSHELL_TEST_BUSYBOX_ROOTFS $rootfs
        Set-Content "$rootfs/etc/passwd" "root:x:0:0:root:/root:/bin/sh`napp:x:1000:1000:app:/:/bin/sh"
        Set-Content "$rootfs/etc/group" "root:x:0:`napp:x:1000:`nextra:x:555:app"
        $names = @{}
        try {
            foreach ($policy in 'Merge', 'Strict') {
                $names[$policy] = New-TestPodName "sgp-$($policy.ToLowerInvariant())"
                $text = "apiVersion: v1`nkind: Pod`nmetadata: {name: $($names[$policy])}`nspec:`n  securityContext: {runAsUser: 1000, supplementalGroups: [4000], supplementalGroupsPolicy: $policy}`n  containers: [{name: app, image: app, command: [/bin/sleep, '100000']}]"
                $null = $text | New-Pod -ImageMap @{ app = $rootfs }
            }
            $merged = (Get-PodContainer -Pod $names['Merge'] -Name app).Pid
            $strict = (Get-PodContainer -Pod $names['Strict'] -Name app).Pid
            $groups = { param($p) ((Get-Content "/proc/$p/status" | Where-Object { $_ -like 'Groups:*' }) -split '\s+' | Select-Object -Skip 1 | Where-Object { $_ } | ForEach-Object { [long] $_ } | Sort-Object) }
            & $groups $merged | Should -Be @(555, 1000, 4000)
            & $groups $strict | Should -Be @(1000, 4000)
            (Get-Pod $names['Strict']).SupplementalGroupsPolicy | Should -Be 'Strict'
            (Get-Pod $names['Strict'] | ConvertTo-PodManifest | ConvertFrom-PodManifest -ImageMap @{ $rootfs = $rootfs }).Pod.SupplementalGroupsPolicy | Should -Be 'Strict'
        }
        finally { Remove-TestPod $names.Values }
    }

    It 'is refused as Strict on the Docker engine, which always merges, and nothing is made' -Skip:(-not $env:PODSHELL_TEST_DOCKER_IMAGE) {
        $name = New-TestPodName 'sgp-docker'
        try {
            $err = $null
            New-PodSandbox -Name $name -Engine Docker -Network None -SupplementalGroupsPolicy Strict -ErrorVariable err -ErrorAction SilentlyContinue -WarningAction SilentlyContinue | Should -BeNullOrEmpty
            $err[0].FullyQualifiedErrorId | Should -BeLike 'ResourceNotSupported,*'
            $err[0].Exception.Message | Should -Match 'Strict'
            & docker ps -a -q --filter "label=io.kubernetes.pod.name=$name" | Should -BeNullOrEmpty
        }
        finally { Remove-TestPod $name }
    }
}

Describe 'A subPath through a symlink on the <Engine> engine' -ForEach @(
    @{ Engine = 'Native'; Skip = -not $env:PODSHELL_TEST_BUSYBOX_ROOTFS }
    @{ Engine = 'Docker'; Skip = -not $env:PODSHELL_TEST_DOCKER_IMAGE }
) {
    It 'is refused, so a container cannot point the next one''s mount at the node (CVE-2017-1002101), and nothing is left' -Skip:$Skip {
        $busybox = if ($Engine -eq 'Docker') { $env:PODSHELL_TEST_DOCKER_IMAGE } else { $env:PODSHELL_TEST_BUSYBOX_ROOTFS }
        $name = New-TestPodName "symlink-$($Engine.ToLowerInvariant())"
        $text = @"
apiVersion: v1
kind: Pod
metadata: {name: $name}
spec:
  restartPolicy: Never
  volumes: [{name: v, emptyDir: {}}]
  initContainers:
  - {name: plant, image: busybox, command: [/bin/ln, -s, /, /v/escape], volumeMounts: [{name: v, mountPath: /v}]}
  containers:
  - {name: app, image: busybox, command: [/bin/sleep, '100000'], volumeMounts: [{name: v, mountPath: /node-etc, subPath: escape/etc}]}
"@
        try {
            $err = $null
            $text | New-Pod -Engine $Engine -ImageMap @{ busybox = $busybox } -ErrorVariable err -ErrorAction SilentlyContinue -WarningAction SilentlyContinue | Should -BeNullOrEmpty
            $err[0].FullyQualifiedErrorId | Should -BeLike 'InvalidVolume,*'
            $err[0].Exception.Message | Should -Match 'symbolic link'
            Get-Pod $name -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            if ($Engine -eq 'Docker') { & docker ps -a -q --filter "label=io.kubernetes.pod.name=$name" | Should -BeNullOrEmpty }
        }
        finally { Remove-TestPod $name }
    }
}

Describe 'Pod sysctls from New-PodSandbox on the <Engine> engine' -ForEach @(
    @{ Engine = 'Native'; Skip = $false }
    @{ Engine = 'Docker'; Skip = -not $env:PODSHELL_TEST_DOCKER_IMAGE }
) {
    It 'lets a non-root process listen on port 80 with -Sysctl net.ipv4.ip_unprivileged_port_start=0' -Skip:$Skip {
        $name = New-TestPodName 'sysctl'
        try {
            $pod = New-PodSandbox -Name $name -Engine $Engine -Network None -Sysctl @{ 'net.ipv4.ip_unprivileged_port_start' = '0' } -WarningAction SilentlyContinue
            $pod.Sysctls['net.ipv4.ip_unprivileged_port_start'] | Should -Be '0'
            & nsenter -t $pod.PausePid -n sysctl -n net.ipv4.ip_unprivileged_port_start | Should -Be '0'
            # The behaviour the sysctl is for: uid 1000 binds port 80 inside the pod's network namespace.
            & nsenter -t $pod.PausePid -n setpriv --reuid 1000 --regid 1000 --clear-groups /usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 80)); print("bound")' | Should -Be 'bound'
            (& sysctl -n net.ipv4.ip_unprivileged_port_start).Trim() | Should -Not -Be '0'
        }
        finally { Remove-TestPod $name }
    }

    It 'makes the sysctls again when a stopped pod gets a new sandbox' -Skip:($Skip -or $Engine -ne 'Native') {
        $name = New-TestPodName 'sysctl'
        try {
            $null = New-PodSandbox -Name $name -Network None -Sysctl @{ 'kernel.msgmax' = '4242' }
            $null = Stop-Pod $name
            $pod = Start-Pod $name -PassThru
            & nsenter -t $pod.PausePid -i sysctl -n kernel.msgmax | Should -Be '4242'
            (& sysctl -n kernel.msgmax).Trim() | Should -Not -Be '4242'
        }
        finally { Remove-TestPod $name }
    }
}

Describe 'Pod securityContext: what is refused' {
    It 'refuses <Case> on the <Engine> engine with <Id>, and makes nothing' -ForEach @(
        foreach ($engine in 'Native', 'Docker') {
            @{ Engine = $engine; Case = 'a node-wide sysctl (kernel.panic)'; Id = 'SysctlNotAllowed'; Message = 'not namespaced'; Arguments = @{ Sysctl = @{ 'kernel.panic' = '1' }; Network = 'None' } }
            @{ Engine = $engine; Case = 'vm.swappiness'; Id = 'SysctlNotAllowed'; Message = 'whole node'; Arguments = @{ Sysctl = @{ 'vm.swappiness' = '1' }; Network = 'None' } }
            @{ Engine = $engine; Case = 'a net.* sysctl on the node''s network'; Id = 'SysctlNotAllowed'; Message = 'network namespace'; Arguments = @{ Sysctl = @{ 'net.ipv4.ip_unprivileged_port_start' = '0' }; HostNetwork = $true } }
            @{ Engine = $engine; Case = 'an ipc sysctl with the node''s ipc'; Id = 'SysctlNotAllowed'; Message = 'ipc namespace'; Arguments = @{ Sysctl = @{ 'kernel.shmmax' = '1000000' }; HostIPC = $true; Network = 'None' } }
            @{ Engine = $engine; Case = 'a sysctl name that is none'; Id = 'InvalidSysctl'; Message = 'not a sysctl name'; Arguments = @{ Sysctl = @{ 'net/../../x' = '1' }; Network = 'None' } }
            @{ Engine = $engine; Case = 'a negative group'; Id = 'InvalidGroup'; Message = 'not a valid supplemental group'; Arguments = @{ SupplementalGroup = [long[]] @(5, -1); Network = 'None' } }
            @{ Engine = $engine; Case = 'a group beyond 2^31-1'; Id = 'InvalidGroup'; Message = 'not a valid fsGroup'; Arguments = @{ FsGroup = 4294967296; Network = 'None' } }
        }
    ) {
        if ($Engine -eq 'Docker' -and -not $env:PODSHELL_TEST_DOCKER_IMAGE) { Set-ItResult -Skipped -Because 'no test dockerd'; return }
        $name = New-TestPodName 'refuse'
        $err = $null
        try {
            New-PodSandbox -Name $name -Engine $Engine @Arguments -ErrorVariable err -ErrorAction SilentlyContinue -WarningAction SilentlyContinue | Should -BeNullOrEmpty
            $err[0].FullyQualifiedErrorId | Should -BeLike "$Id,*"
            $err[0].Exception.Message | Should -Match $Message
            Get-Pod $name -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            Test-Path (Join-Path $env:PODSHELL_ROOT "pods/$name") | Should -BeFalse
            if ($Engine -eq 'Docker') { & docker ps -a -q --filter "label=io.kubernetes.pod.name=$name" | Should -BeNullOrEmpty }
        }
        finally { Remove-TestPod $name }
    }

    It 'names the manifest field of <Case>' -TestCases @(
        @{ Case = 'a node-wide sysctl'; Spec = "securityContext: {sysctls: [{name: kernel.panic, value: '1'}]}"; Path = 'spec.securityContext.sysctls[0].name'; Message = 'kernel.panic.*not namespaced.*Rule' }
        @{ Case = 'a net.* sysctl with hostNetwork'; Spec = "hostNetwork: true, securityContext: {sysctls: [{name: net.ipv4.tcp_syncookies, value: '1'}]}"; Path = 'spec.securityContext.sysctls[0].name'; Message = 'network namespace' }
        @{ Case = 'a bad supplemental group'; Spec = 'securityContext: {supplementalGroups: [10, -3]}'; Path = 'spec.securityContext.supplementalGroups[1]'; Message = '-3' }
        @{ Case = 'a bad fsGroupChangePolicy'; Spec = 'securityContext: {fsGroup: 5, fsGroupChangePolicy: Sometimes}'; Path = 'spec.securityContext.fsGroupChangePolicy'; Message = 'Sometimes' }
    ) {
        $text = "apiVersion: v1`nkind: Pod`nmetadata: {name: bad}`nspec: {$Spec, containers: [{name: a, image: host, command: [sh]}]}"
        $err = $null
        $text | New-Pod -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ManifestInvalid,*'
        $err[0].Exception.FieldPath | Should -Be $Path
        $err[0].Exception.Message | Should -Match $Message
        Get-Pod bad -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'makes nothing when the kernel keeps a net.* sysctl node-wide (native)' {
        $name = New-TestPodName 'rmem'
        $err = $null
        New-PodSandbox -Name $name -Network None -Sysctl @{ 'net.core.rmem_max' = '1000000' } -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'SandboxFailed,*'
        $err[0].Exception.Message | Should -Match 'net.core.rmem_max'
        Get-Pod $name -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        Test-Path (Join-Path $env:PODSHELL_ROOT "pods/$name") | Should -BeFalse
    }
}

Describe 'Pod securityContext: the Kubernetes client reads the export' -Skip:(-not (Test-Path /usr/lib/python3/dist-packages/kubernetes)) {
    It 'writes supplementalGroups, fsGroup, sysctls, subdomain and hostAliases where a V1Pod has them' {
        $name = New-TestPodName 'k8sexp'
        $reader = @'
import json, sys, yaml
from kubernetes.client import ApiClient
class Response:
    def __init__(self, data): self.data = json.dumps(data)
pod = ApiClient().deserialize(Response(yaml.safe_load(open(sys.argv[1]))), 'V1Pod')
sc = pod.spec.security_context
print(json.dumps({'groups': sc.supplemental_groups, 'fsGroup': sc.fs_group, 'policy': sc.fs_group_change_policy,
    'sysctls': {s.name: s.value for s in sc.sysctls}, 'hostname': pod.spec.hostname, 'subdomain': pod.spec.subdomain,
    'fqdn': pod.spec.set_hostname_as_fqdn, 'aliases': [[a.ip] + a.hostnames for a in pod.spec.host_aliases]}))
'@
        try {
            $null = New-PodSandbox -Name $name -Network None -Hostname web -Subdomain front -SetHostnameAsFqdn -HostAlias @{ '10.1.2.3' = 'foo.local', 'bar.local' } `
                -SupplementalGroup 7, 8 -FsGroup 9 -FsGroupChangePolicy OnRootMismatch -Sysctl @{ 'kernel.msgmnb' = '32768' } |
                Add-PodContainer -Name app -Image host -Command sleep, infinity
            $file = Join-Path $TestDrive "$name.yaml"
            Get-Pod $name | Export-PodManifest -Path $file
            Set-Content (Join-Path $TestDrive 'reader.py') $reader
            $seen = (& /usr/bin/python3 (Join-Path $TestDrive 'reader.py') $file) | ConvertFrom-Json
            $seen.groups | Should -Be @(7, 8)
            $seen.fsGroup | Should -Be 9
            $seen.policy | Should -Be 'OnRootMismatch'
            $seen.sysctls.'kernel.msgmnb' | Should -Be '32768'
            $seen.hostname | Should -Be 'web'
            $seen.subdomain | Should -Be 'front'
            $seen.fqdn | Should -BeTrue
            $seen.aliases[0] | Should -Be @('10.1.2.3', 'foo.local', 'bar.local')
        }
        finally { Remove-TestPod $name }
    }
}
