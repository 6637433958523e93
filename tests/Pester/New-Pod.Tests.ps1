# Kubernetes manifests: ConvertFrom-PodManifest, New-Pod, ConvertTo-/Export-PodManifest.
# Witnesses: readlink /proc/<pid>/ns/*, /proc/<pid>/status and environ, the cgroupfs files,
# and an independent YAML reader (python3-kubernetes) for the exports.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-PodShellUnderTest

    function New-ManifestText {
        param([string] $Name, [string] $Spec)
        "apiVersion: v1`nkind: Pod`nmetadata:`n  name: $Name`nspec:`n$Spec"
    }

    # NUL-separated /proc/<pid>/environ as a hashtable.
    function Get-ProcessEnvironment {
        param([int] $ProcessId)
        $table = @{}
        foreach ($pair in ((Get-Content -Raw "/proc/$ProcessId/environ") -split "`0")) {
            $i = $pair.IndexOf('=')
            if ($i -gt 0) { $table[$pair.Substring(0, $i)] = $pair.Substring($i + 1) }
        }
        $table
    }
}

Describe 'ConvertFrom-PodManifest' {
    It 'reads the article''s manifest into a plan with a field report' {
        $plan = ConvertFrom-PodManifest -Path (Join-Path $PSScriptRoot '../../examples/pod-foo.yaml')
        $plan.Name | Should -Be 'foo'
        $plan.QosClass | Should -Be 'Burstable'
        $plan.Containers.Name | Should -Be @('app', 'sidecar')
        $plan.Containers[0].Request.MemoryLimit | Should -Be 268435456
        $plan.Containers[0].Request.CpuLimitMilli | Should -Be 500
        @($plan.Report | Where-Object Status -NE 'Applied') | Should -BeNullOrEmpty
    }

    It 'reports probes as Ignored and unknown fields as Unsupported, with their lines' {
        $text = New-ManifestText 'report' @'
  containers:
  - name: app
    image: host
    command: [sleep, infinity]
    livenessProbe:
      exec: {command: [true]}
    frobnicate: 3
  tolerations:
  - key: x
'@
        $plan = $text | ConvertFrom-PodManifest
        $probe = $plan.Report | Where-Object Path -EQ 'spec.containers[0].livenessProbe'
        $probe.Status | Should -Be 'Ignored'
        $probe.Reason | Should -Match 'probe'
        $probe.Line | Should -Be 11
        ($plan.Report | Where-Object Path -EQ 'spec.containers[0].frobnicate').Status | Should -Be 'Unsupported'
        ($plan.Report | Where-Object Path -EQ 'spec.tolerations').Status | Should -Be 'Ignored'
    }

    It 'reads every document of a file, a kind: List, and JSON' {
        $two = (New-ManifestText 'one' "  containers: [{name: a, image: host, command: [sh]}]") + "`n---`n" +
            (New-ManifestText 'two' "  containers: [{name: a, image: host, command: [sh]}]")
        ($two | ConvertFrom-PodManifest).Name | Should -Be @('one', 'two')
        $list = "apiVersion: v1`nkind: List`nitems:`n- apiVersion: v1`n  kind: Pod`n  metadata: {name: l1}`n  spec: {containers: [{name: a, image: host, command: [sh]}]}"
        ($list | ConvertFrom-PodManifest).Name | Should -Be 'l1'
        $json = '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"j1"},"spec":{"containers":[{"name":"a","image":"host","command":["sh"]}]}}'
        ($json | ConvertFrom-PodManifest).Name | Should -Be 'j1'
    }

    It 'reads lines from Get-Content and files from Get-ChildItem' {
        $file = Join-Path $TestDrive 'p.yaml'
        New-ManifestText 'piped' "  containers: [{name: a, image: host, command: [sh]}]" | Set-Content $file
        (Get-Content $file | ConvertFrom-PodManifest).Name | Should -Be 'piped'
        (Get-Item $file | ConvertFrom-PodManifest).Name | Should -Be 'piped'
    }

    It 'expands $(VAR) as Kubernetes does and resolves fieldRefs' {
        $text = @'
apiVersion: v1
kind: Pod
metadata:
  name: envs
  namespace: team-a
  uid: 9d1c8f0e-1111-4222-8333-944455556666
  labels: {tier: web}
spec:
  containers:
  - name: a
    image: host
    command: [echo, "$(GREETING) $(MISSING) $$(GREETING)"]
    env:
    - {name: GREETING, value: hello}
    - {name: BOTH, value: "$(GREETING)-$(LATER)"}
    - {name: LATER, value: later}
    - name: POD
      valueFrom: {fieldRef: {fieldPath: metadata.name}}
    - name: NS
      valueFrom: {fieldRef: {fieldPath: metadata.namespace}}
    - name: UID
      valueFrom: {fieldRef: {fieldPath: metadata.uid}}
    - name: TIER
      valueFrom: {fieldRef: {fieldPath: "metadata.labels['tier']"}}
'@
        $request = ($text | ConvertFrom-PodManifest).Containers[0].Request
        $request.Args[1] | Should -BeExactly 'hello $(MISSING) $(GREETING)'
        $request.Environment['BOTH'] | Should -BeExactly 'hello-$(LATER)'
        $request.Environment['POD'] | Should -Be 'envs'
        $request.Environment['NS'] | Should -Be 'team-a'
        $request.Environment['UID'] | Should -Be '9d1c8f0e-1111-4222-8333-944455556666'
        $request.Environment['TIER'] | Should -Be 'web'
    }

    It 'computes the QoS class from every container, as Kubernetes does' -TestCases @(
        @{ Resources = '{limits: {cpu: 500m, memory: 64Mi}}'; Other = '{limits: {cpu: 1, memory: 1Gi}, requests: {cpu: 1, memory: 1Gi}}'; Class = 'Guaranteed' }
        @{ Resources = '{limits: {cpu: 500m, memory: 64Mi}}'; Other = '{}'; Class = 'Burstable' }
        @{ Resources = '{requests: {memory: 64Mi}}'; Other = '{}'; Class = 'Burstable' }
        @{ Resources = '{}'; Other = '{}'; Class = 'BestEffort' }
    ) {
        param($Resources, $Other, $Class)
        $text = New-ManifestText 'qos' "  containers:`n  - {name: a, image: host, command: [sh], resources: $Resources}`n  - {name: b, image: host, command: [sh], resources: $Other}"
        ($text | ConvertFrom-PodManifest).QosClass | Should -Be $Class
    }

    It 'reads pod-level resources, which decide the QoS class' {
        $text = New-ManifestText 'podres' "  resources: {limits: {cpu: 1, memory: 256Mi}}`n  containers:`n  - {name: a, image: host, command: [sh]}"
        $plan = $text | ConvertFrom-PodManifest
        $plan.Pod.Resources.CpuLimitMilli | Should -Be 1000
        $plan.Pod.Resources.MemoryLimit | Should -Be 268435456
        $plan.QosClass | Should -Be 'Guaranteed'
        ($plan.Report | Where-Object Path -EQ 'spec.resources.limits.cpu').Status | Should -Be 'Applied'
    }

    It 'says the file, line, column and field path of a bad value, and makes nothing' {
        $text = New-ManifestText 'badmem' "  containers:`n  - name: a`n    image: host`n    command: [sh]`n    resources:`n      limits:`n        memory: lots"
        $err = $null
        $text | ConvertFrom-PodManifest -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -Match '^ManifestInvalid'
        $err[0].CategoryInfo.Category | Should -Be 'InvalidData'
        $err[0].Exception.Message | Should -Match '<content>:12:17: spec\.containers\[0\]\.resources\.limits\.memory'
    }

    It 'says the line and field of a value of the wrong type' {
        $text = New-ManifestText 'badtype' "  hostNetwork: maybe`n  containers: [{name: a, image: host, command: [sh]}]"
        $err = $null
        $text | ConvertFrom-PodManifest -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].Exception.Line | Should -Be 6
        $err[0].Exception.FieldPath | Should -Be 'spec.hostNetwork'
    }

    It 'says the line of invalid YAML' {
        $err = $null
        "apiVersion: v1`nkind: Pod`nmetadata: {name: x`n" | ConvertFrom-PodManifest -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -Match '^ManifestInvalid'
        $err[0].Exception.Line | Should -BeGreaterThan 0
    }

    It 'refuses <Case>' -TestCases @(
        @{ Case = 'a Deployment'; Text = "apiVersion: apps/v1`nkind: Deployment`nmetadata: {name: d}`nspec: {}"; Path = 'kind' }
        @{ Case = 'a pod without containers'; Text = "apiVersion: v1`nkind: Pod`nmetadata: {name: e}`nspec: {containers: []}"; Path = 'spec.containers' }
        @{ Case = 'two containers of one name'; Text = "apiVersion: v1`nkind: Pod`nmetadata: {name: e}`nspec: {containers: [{name: a, image: host, command: [sh]}, {name: a, image: host, command: [sh]}]}"; Path = 'spec.containers[1].name' }
        @{ Case = 'a bad pod name'; Text = "apiVersion: v1`nkind: Pod`nmetadata: {name: Bad_Name}`nspec: {containers: [{name: a, image: host, command: [sh]}]}"; Path = 'metadata.name' }
        @{ Case = 'runAsNonRoot with root'; Text = "apiVersion: v1`nkind: Pod`nmetadata: {name: e}`nspec: {securityContext: {runAsNonRoot: true}, containers: [{name: a, image: host, command: [sh]}]}"; Path = 'spec.containers[0].securityContext.runAsNonRoot' }
        @{ Case = 'an unknown restart policy'; Text = "apiVersion: v1`nkind: Pod`nmetadata: {name: e}`nspec: {restartPolicy: Sometimes, containers: [{name: a, image: host, command: [sh]}]}"; Path = 'spec.restartPolicy' }
        @{ Case = 'a secret reference'; Text = "apiVersion: v1`nkind: Pod`nmetadata: {name: e}`nspec: {containers: [{name: a, image: host, command: [sh], env: [{name: X, valueFrom: {secretKeyRef: {name: s, key: k}}}]}]}"; Path = 'spec.containers[0].env[0].valueFrom' }
    ) {
        param($Case, $Text, $Path)
        $err = $null
        $Text | ConvertFrom-PodManifest -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -Match '^ManifestInvalid'
        $err[0].Exception.FieldPath | Should -Be $Path
    }

    It 'loads its YAML library in PodShell''s own load context' {
        $null = ConvertFrom-PodManifest -Path (Join-Path $PSScriptRoot '../../examples/pod-foo.yaml')
        $yaml = [System.AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'YamlDotNet' -and $_.Location -like '*PodShell*' }
        $yaml | Should -Not -BeNullOrEmpty
        [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($yaml[0]).Name | Should -Be 'PodShell.Dependencies'
    }
}

Describe 'New-Pod' {
    It 'makes the article''s pod foo: shared network, limits in cgroupfs, app reachable from the sidecar' {
        $name = New-TestPodName 'mf'
        $text = (Get-Content -Raw (Join-Path $PSScriptRoot '../../examples/pod-foo.yaml')) -replace 'name: foo', "name: $name"
        try {
            $pod = $text | New-Pod
            $pod.Name | Should -Be $name
            $pod.FieldReport | Should -Not -BeNullOrEmpty
            $app = Get-PodContainer -Pod $name -Name app
            $sidecar = Get-PodContainer -Pod $name -Name sidecar
            foreach ($type in 'net', 'ipc', 'uts') {
                Get-NamespaceInodeByReadlink $app.Pid $type | Should -Be (Get-NamespaceInodeByReadlink $pod.PausePid $type)
                Get-NamespaceInodeByReadlink $sidecar.Pid $type | Should -Be (Get-NamespaceInodeByReadlink $pod.PausePid $type)
            }
            Get-Content "/sys/fs/cgroup/memory$($app.CgroupPath)/memory.limit_in_bytes" | Should -Be 268435456
            Get-Content "/sys/fs/cgroup/cpu$($app.CgroupPath)/cpu.cfs_quota_us" | Should -Be 50000
            Get-Content "/sys/fs/cgroup/memory$($sidecar.CgroupPath)/memory.limit_in_bytes" | Should -Be 134217728
            $served = Wait-Until -TimeoutSeconds 15 { & nsenter -t $sidecar.Pid -n curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:8080/ 2>$null | Where-Object { $_ -eq '200' } }
            $served | Should -Be '200'
        }
        finally { Remove-TestPod $name }
    }

    It 'runs init containers in order before the app, keeps a sidecar running, and applies env and user' {
        $name = New-TestPodName 'init'
        $text = New-ManifestText $name @'
  restartPolicy: Never
  initContainers:
  - name: first
    image: host
    command: [sh, -c, 'date +%s%N > /dev/shm/first; sleep 0.3']
  - name: side
    image: host
    restartPolicy: Always
    command: [sleep, infinity]
  - name: second
    image: host
    command: [sh, -c, 'date +%s%N > /dev/shm/second']
  containers:
  - name: app
    image: host
    command: [sh, -c, 'date +%s%N > /dev/shm/app; exec sleep infinity']
    env:
    - {name: GREETING, value: hi}
    - name: POD
      valueFrom: {fieldRef: {fieldPath: metadata.name}}
    securityContext: {runAsUser: 1234, runAsGroup: 2345}
'@
        try {
            $null = $text | New-Pod
            $containers = Get-PodContainer -Pod $name
            ($containers | Where-Object Name -EQ first).State | Should -Be 'Exited'
            ($containers | Where-Object Name -EQ first).ExitCode | Should -Be 0
            ($containers | Where-Object Name -EQ side).State | Should -Be 'Running'
            $app = $containers | Where-Object Name -EQ app
            $app.State | Should -Be 'Running'
            Wait-ProcessCommand $app.Pid sleep
            $shm = "/proc/$($app.Pid)/root/dev/shm"
            $first = [decimal](Get-Content "$shm/first")
            $second = [decimal](Get-Content "$shm/second")
            $started = [decimal](Get-Content "$shm/app")
            $first | Should -BeLessThan $second
            $second | Should -BeLessThan $started
            $env = Get-ProcessEnvironment $app.Pid
            $env['GREETING'] | Should -Be 'hi'
            $env['POD'] | Should -Be $name
            $status = Get-Content "/proc/$($app.Pid)/status"
            ($status | Where-Object { $_ -like 'Uid:*' }) -split '\s+' | Select-Object -Index 1 | Should -Be 1234
            ($status | Where-Object { $_ -like 'Gid:*' }) -split '\s+' | Select-Object -Index 1 | Should -Be 2345
        }
        finally { Remove-TestPod $name }
    }

    It 'removes the whole pod when an init container fails under restartPolicy Never' {
        $name = New-TestPodName 'initfail'
        $text = New-ManifestText $name "  restartPolicy: Never`n  initContainers:`n  - {name: boom, image: host, command: [sh, -c, 'exit 3']}`n  containers:`n  - {name: app, image: host, command: [sleep, infinity]}"
        $err = $null
        $text | New-Pod -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -Match '^InitContainerFailed'
        $err[0].Exception.Message | Should -Match 'exit code 3'
        Get-Pod $name -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        Test-Path (Join-Path $env:PODSHELL_ROOT "pods/$name") | Should -BeFalse
    }

    It 'removes the whole pod when a later container cannot start' {
        $name = New-TestPodName 'half'
        $text = New-ManifestText $name "  containers:`n  - {name: ok, image: host, command: [sleep, infinity]}`n  - {name: bad, image: host, command: [/no/such/command]}"
        $err = $null
        $text | New-Pod -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -Match '^CommandNotFound'
        Get-Pod $name -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        Test-Path (Join-Path $env:PODSHELL_ROOT "pods/$name") | Should -BeFalse
    }

    It 'refuses with -Strict what it would not apply, and makes nothing' {
        $name = New-TestPodName 'strict'
        $text = New-ManifestText $name "  containers:`n  - name: a`n    image: host`n    command: [sleep, infinity]`n    readinessProbe: {exec: {command: [true]}}"
        $err = $null
        $text | New-Pod -Strict -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -Match '^ManifestNotFullyApplied'
        $err[0].Exception.Message | Should -Match 'readinessProbe'
        Get-Pod $name -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'makes nothing with -WhatIf' {
        $name = New-TestPodName 'whatif'
        New-ManifestText $name "  containers: [{name: a, image: host, command: [sleep, infinity]}]" | New-Pod -WhatIf
        Get-Pod $name -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'shares an emptyDir (medium Memory, with a size) between two containers, and removes it with the pod' {
        $name = New-TestPodName 'vol'
        $text = New-ManifestText $name @'
  volumes:
  - name: shared
    emptyDir: {medium: Memory, sizeLimit: 16Mi}
  - name: scratch
    emptyDir: {}
  containers:
  - name: writer
    image: host
    command: [sh, -c, 'echo from-writer > /data/note; mkdir -p /scratch/sub; echo deep > /scratch/sub/file; exec sleep infinity']
    volumeMounts:
    - {name: shared, mountPath: /data}
    - {name: scratch, mountPath: /scratch}
  - name: reader
    image: host
    command: [sleep, infinity]
    volumeMounts:
    - {name: shared, mountPath: /in, readOnly: true}
    - {name: scratch, mountPath: /part, subPath: sub}
'@
        try {
            $pod = $text | New-Pod
            $pod.Volumes.Name | Should -Be @('shared', 'scratch')
            $reader = Get-PodContainer -Pod $name -Name reader
            $writer = Get-PodContainer -Pod $name -Name writer
            Wait-ProcessCommand $writer.Pid sleep
            Get-Content "/proc/$($reader.Pid)/root/in/note" | Should -Be 'from-writer'
            Get-Content "/proc/$($reader.Pid)/root/part/file" | Should -Be 'deep'
            # The kernel's view of the reader's mounts: a 16 MiB tmpfs at /in, read-only.
            $in = Get-Content "/proc/$($reader.Pid)/mountinfo" | Where-Object { ($_ -split ' ')[4] -eq '/in' }
            $in | Should -Match ' - tmpfs '
            $in | Should -Match 'size=16384k'
            ($in -split ' ')[5] | Should -Match '^ro'
            & nsenter -t $reader.Pid -m sh -c 'echo x > /in/other' 2>$null
            $LASTEXITCODE | Should -Not -Be 0
            $state = $pod.EngineDetails.StateDirectory
        }
        finally { Remove-TestPod $name }
        Get-Content /proc/self/mountinfo | Where-Object { $_ -like "*$state*" } | Should -BeNullOrEmpty
        Test-Path $state | Should -BeFalse
    }

    It 'makes a hostPath DirectoryOrCreate on the node, and refuses a hostPath of the wrong type before making anything' {
        $name = New-TestPodName 'host'
        $dir = Join-Path $TestDrive "made-$name"
        $text = New-ManifestText $name "  volumes:`n  - name: h`n    hostPath: {path: $dir, type: DirectoryOrCreate}`n  containers:`n  - name: a`n    image: host`n    command: [sh, -c, 'echo hi > /h/file; exec sleep infinity']`n    volumeMounts: [{name: h, mountPath: /h}]"
        try {
            $null = $text | New-Pod
            Wait-Until -Because 'the container to write into the hostPath' { Test-Path (Join-Path $dir 'file') } | Should -BeTrue
            Get-Content (Join-Path $dir 'file') | Should -Be 'hi'
        }
        finally { Remove-TestPod $name }
        Test-Path $dir | Should -BeTrue

        $bad = New-TestPodName 'badhost'
        $text = New-ManifestText $bad "  volumes:`n  - name: h`n    hostPath: {path: $dir, type: File}`n  containers:`n  - {name: a, image: host, command: [sleep, infinity], volumeMounts: [{name: h, mountPath: /h}]}"
        $err = $null
        $text | New-Pod -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -Match '^HostPathTypeMismatch'
        Get-Pod $bad -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        Test-Path (Join-Path $env:PODSHELL_ROOT "pods/$bad") | Should -BeFalse
    }

    It 'refuses a mount of a volume the pod does not have' {
        $text = New-ManifestText 'nomount' "  containers:`n  - {name: a, image: host, command: [sh], volumeMounts: [{name: cfg, mountPath: /etc/cfg}]}"
        $err = $null
        $text | ConvertFrom-PodManifest -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].Exception.FieldPath | Should -Be 'spec.containers[0].volumeMounts[0].name'
    }

    It 'keeps annotations, and stops with the pod''s own grace period when Stop-Pod has no -Timeout' {
        $name = New-TestPodName 'grace'
        $text = "apiVersion: v1`nkind: Pod`nmetadata:`n  name: $name`n  annotations: {owner: team-a}`nspec:`n  terminationGracePeriodSeconds: 1`n  containers:`n  - {name: stubborn, image: host, command: [sh, -c, 'trap '''' TERM; while true; do sleep 1; done']}"
        try {
            $pod = $text | New-Pod
            $pod.Annotations['owner'] | Should -Be 'team-a'
            $pod.TerminationGracePeriodSeconds | Should -Be 1
            $stopped = Stop-Pod $name -PassThru
            $c = $stopped.Containers | Where-Object Name -EQ stubborn
            $c.State | Should -Be 'Exited'
            # SIGTERM was ignored, so only the SIGKILL after the pod's grace period ended it.
            $c.ExitCode | Should -Be 137
        }
        finally { Remove-TestPod $name }
    }

    It 'gives status.podIP the pod''s address, and maps hostPorts' {
        $name = New-TestPodName 'ip'
        $port = Get-Random -Minimum 20000 -Maximum 30000
        $text = New-ManifestText $name @"
  containers:
  - name: a
    image: host
    command: [sleep, infinity]
    env:
    - name: POD_IP
      valueFrom: {fieldRef: {fieldPath: status.podIP}}
    - {name: URL, value: 'http://`$(POD_IP):8080/'}
    ports:
    - {containerPort: 8080, hostPort: $port}
"@
        try {
            $pod = $text | New-Pod
            $a = Get-PodContainer -Pod $name -Name a
            $env = Get-ProcessEnvironment $a.Pid
            # The test run gives pods a network of its own (Invoke-PesterSuite.ps1), so the pod has an address.
            $pod.IP | Should -Not -BeNullOrEmpty
            $env['POD_IP'] | Should -Be $pod.IP
            # The address the kernel gave eth0 in the pod's network namespace.
            (& nsenter -t $a.Pid -n ip -o -4 addr show dev eth0) -join ' ' | Should -Match ([regex]::Escape("inet $($pod.IP)/"))
            $env['URL'] | Should -Be "http://$($pod.IP):8080/"
            $pod.Ports.HostPort | Should -Be $port
            $pod.Ports.ContainerPort | Should -Be 8080
            $exported = Get-Pod $name | ConvertTo-PodManifest | ConvertFrom-PodManifest
            $exported.Pod.Ports.HostPort | Should -Be $port
        }
        finally { Remove-TestPod $name }
    }

    It 'writes pod-level limits on the pod cgroup' {
        $name = New-TestPodName 'podlim'
        $text = New-ManifestText $name "  resources: {limits: {cpu: 500m, memory: 192Mi}}`n  containers:`n  - {name: a, image: host, command: [sleep, infinity]}"
        try {
            $pod = $text | New-Pod
            $pod.QosClass | Should -Be 'Guaranteed'
            $pod = Get-Pod $name
            Get-Content "/sys/fs/cgroup/memory$($pod.CgroupPath)/memory.limit_in_bytes" | Should -Be (192MB)
            Get-Content "/sys/fs/cgroup/cpu$($pod.CgroupPath)/cpu.cfs_quota_us" | Should -Be 50000
            (Get-Pod $name | ConvertTo-PodManifest | ConvertFrom-PodManifest).Pod.Resources.MemoryLimit | Should -Be (192MB)
        }
        finally { Remove-TestPod $name }
    }

    It 'applies imagePullPolicy: Never refuses an image the store does not have, and makes nothing' {
        $name = New-TestPodName 'never'
        $text = New-ManifestText $name "  containers: [{name: a, image: 'podshell-test.invalid/none:1', imagePullPolicy: Never}]"
        (($text | ConvertFrom-PodManifest).Report | Where-Object Path -EQ 'spec.containers[0].imagePullPolicy').Status | Should -Be 'Applied'
        $err = $null
        $text | New-Pod -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -Match '^Image'
        Get-Pod $name -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'maps images with -ImageMap' {
        $name = New-TestPodName 'map'
        $text = New-ManifestText $name "  containers: [{name: a, image: 'nginx:1.27', command: [sleep, infinity]}]"
        try {
            $pod = $text | New-Pod -ImageMap @{ 'nginx:1.27' = 'host' }
            (Get-PodContainer -Pod $name -Name a).Image | Should -Be 'host'
        }
        finally { Remove-TestPod $name }
    }
}

Describe 'ConvertTo-PodManifest and Export-PodManifest' {
    BeforeAll {
        $script:python = '/usr/bin/python3'
        # Reads YAML with the Kubernetes Python client into V1Pod objects and prints what it saw, as JSON.
        $script:reader = @'
import json, sys, yaml
from kubernetes.client import ApiClient
class Response:
    def __init__(self, data): self.data = json.dumps(data)
client = ApiClient()
pods = []
for doc in yaml.safe_load_all(open(sys.argv[1])):
    pod = client.deserialize(Response(doc), 'V1Pod')
    pods.append({
        'name': pod.metadata.name, 'uid': pod.metadata.uid, 'labels': pod.metadata.labels,
        'shareProcessNamespace': pod.spec.share_process_namespace, 'hostIPC': pod.spec.host_ipc,
        'containers': [{'name': c.name, 'image': c.image, 'command': c.command,
                        'limits': c.resources.limits if c.resources else None,
                        'env': {e.name: e.value for e in (c.env or [])},
                        'runAsUser': c.security_context.run_as_user if c.security_context else None} for c in pod.spec.containers]})
print(json.dumps(pods))
'@
    }

    It 'writes a hand-built pod as a v1 Pod that the Kubernetes client reads with the same values' -Skip:(-not (Test-Path /usr/lib/python3/dist-packages/kubernetes)) {
        $name = New-TestPodName 'exp'
        try {
            $pod = New-PodSandbox -Name $name -ShareProcessNamespace -HostIPC -Label @{ app = 'web' }
            $null = $pod | Add-PodContainer -Name app -Image host -Command sleep, infinity -Memory 256Mi -Cpu 0.5 -Environment @{ MODE = 'prod' } -User 1000
            $file = Join-Path $TestDrive "$name.yaml"
            Get-Pod $name | Export-PodManifest -Path $file
            $readerFile = Join-Path $TestDrive 'reader.py'
            Set-Content $readerFile $reader
            $seen = (& $python $readerFile $file) | ConvertFrom-Json
            $seen.name | Should -Be $name
            $seen.uid | Should -Be $pod.Uid
            $seen.labels.app | Should -Be 'web'
            $seen.shareProcessNamespace | Should -BeTrue
            $seen.hostIPC | Should -BeTrue
            $c = $seen.containers[0]
            $c.name | Should -Be 'app'
            $c.image | Should -Be 'host'
            $c.command | Should -Be @('sleep', 'infinity')
            $c.limits.memory | Should -Be '256Mi'
            $c.limits.cpu | Should -Be '500m'
            $c.env.MODE | Should -Be 'prod'
            $c.runAsUser | Should -Be 1000
            { Get-Pod $name | Export-PodManifest -Path $file -ErrorAction Stop } | Should -Throw -ErrorId 'ManifestFileExists*'
        }
        finally { Remove-TestPod $name }
    }

    It 'writes init containers, sidecars, volumes and annotations back as they were asked for' {
        $name = New-TestPodName 'rtinit'
        $text = "apiVersion: v1`nkind: Pod`nmetadata:`n  name: $name`n  annotations: {a: b}`nspec:`n  terminationGracePeriodSeconds: 5`n  volumes:`n  - name: v`n    emptyDir: {}`n  initContainers:`n  - {name: i1, image: host, command: [true]}`n  - {name: s1, image: host, restartPolicy: Always, command: [sleep, infinity]}`n  containers:`n  - {name: app, image: host, command: [sleep, infinity], volumeMounts: [{name: v, mountPath: /v, readOnly: true}]}"
        try {
            $null = $text | New-Pod
            $again = Get-Pod $name | ConvertTo-PodManifest | ConvertFrom-PodManifest
            $again.Containers.Name | Should -Be @('i1', 's1', 'app')
            $again.Containers[0].IsInit | Should -BeTrue
            $again.Containers[1].IsSidecar | Should -BeTrue
            $again.Containers[2].Request.Mounts[0].MountPath | Should -Be '/v'
            $again.Containers[2].Request.Mounts[0].ReadOnly | Should -BeTrue
            $again.Pod.Volumes[0].Kind | Should -Be 'EmptyDir'
            $again.Pod.Annotations['a'] | Should -Be 'b'
            $again.Pod.TerminationGracePeriodSeconds | Should -Be 5
        }
        finally { Remove-TestPod $name }
    }

    It 'round-trips YAML -> pod -> YAML with every applied field' {
        $name = New-TestPodName 'rt'
        $text = (Get-Content -Raw (Join-Path $PSScriptRoot '../../examples/pod-foo.yaml')) -replace 'name: foo', "name: $name"
        try {
            $before = ($text | ConvertFrom-PodManifest)
            $null = $text | New-Pod
            $yaml = Get-Pod $name | ConvertTo-PodManifest
            $after = $yaml | ConvertFrom-PodManifest
            $after.Name | Should -Be $before.Name
            $after.QosClass | Should -Be $before.QosClass
            $after.Pod.Labels['app'] | Should -Be 'foo'
            foreach ($c in $before.Containers) {
                $twin = $after.Containers | Where-Object Name -EQ $c.Name
                $twin.Request.Args | Should -Be $c.Request.Args
                $twin.Request.MemoryLimit | Should -Be $c.Request.MemoryLimit
                $twin.Request.CpuLimitMilli | Should -Be $c.Request.CpuLimitMilli
            }
        }
        finally { Remove-TestPod $name }
    }
}

Describe 'New-Pod on the <Engine> engine' -ForEach @(
    @{ Engine = 'Native'; Skip = -not $env:PODSHELL_TEST_BUSYBOX_ROOTFS }
    @{ Engine = 'Docker'; Skip = -not $env:PODSHELL_TEST_DOCKER_IMAGE }
) {
    BeforeAll {
        # The same busybox on both engines: a rootfs folder for Native, the imported image for Docker.
        $busybox = if ($Engine -eq 'Docker') { $env:PODSHELL_TEST_DOCKER_IMAGE } else { $env:PODSHELL_TEST_BUSYBOX_ROOTFS }
        $name = New-TestPodName "mf-$($Engine.ToLowerInvariant())"
        $text = New-ManifestText $name @'
  initContainers:
  - name: prepare
    image: busybox
    command: [/bin/sh, -c, 'date +%s > /dev/shm/prepared']
  containers:
  - name: web
    image: busybox
    command: [/bin/sh, -c, 'echo $(POD) > /shared/who; while true; do echo "$(GREETING) from $(POD)" | nc -l -p 7071; done']
    env:
    - {name: GREETING, value: hello}
    - name: POD
      valueFrom: {fieldRef: {fieldPath: metadata.name}}
    resources:
      limits: {memory: 96Mi, cpu: 250m}
    volumeMounts: [{name: shared, mountPath: /shared}]
  - name: client
    image: busybox
    command: [/bin/sleep, '100000']
    volumeMounts: [{name: shared, mountPath: /seen}]
  volumes:
  - name: shared
    emptyDir: {}
'@
        if (-not $Skip) {
            $pod = $text | New-Pod -Engine $Engine -ImageMap @{ busybox = $busybox } -WarningAction SilentlyContinue
        }
    }
    AfterAll {
        if (-not $Skip) { Remove-TestPod $name }
    }

    It 'makes the pod on its engine, the init container first' -Skip:$Skip {
        $pod.Engine | Should -Be $Engine
        $containers = Get-PodContainer -Pod $name
        ($containers | Where-Object Name -EQ prepare).ExitCode | Should -Be 0
        ($containers | Where-Object Name -EQ web).State | Should -Be 'Running'
        ($containers | Where-Object Name -EQ client).State | Should -Be 'Running'
    }

    It 'shares the network: the client reaches the web container over localhost, with its env expanded' -Skip:$Skip {
        $client = Get-PodContainer -Pod $name -Name client
        $web = Get-PodContainer -Pod $name -Name web
        Get-NamespaceInodeByReadlink $client.Pid net | Should -Be (Get-NamespaceInodeByReadlink $web.Pid net)
        $reply = Wait-Until -TimeoutSeconds 15 { & nsenter -t $client.Pid -n -m /bin/sh -c 'echo | nc 127.0.0.1 7071' 2>$null }
        $reply | Should -Be "hello from $name"
    }

    It 'shares an emptyDir between the containers' -Skip:$Skip {
        $client = Get-PodContainer -Pod $name -Name client
        Wait-Until -TimeoutSeconds 10 -Because 'the web container to write into the volume' { Test-Path "/proc/$($client.Pid)/root/seen/who" } | Should -BeTrue
        Get-Content "/proc/$($client.Pid)/root/seen/who" | Should -Be $name
    }

    It 'writes the limits to cgroupfs' -Skip:$Skip {
        $web = Get-PodContainer -Pod $name -Name web
        $memory = (Get-Content "/proc/$($web.Pid)/cgroup" | Where-Object { ($_ -split ':')[1] -split ',' -contains 'memory' }) -split ':', 3 | Select-Object -Last 1
        Get-Content "/sys/fs/cgroup/memory$memory/memory.limit_in_bytes" | Should -Be (96MB)
    }

    It 'exports the pod back to a manifest that reads as the same pod' -Skip:$Skip {
        $again = Get-Pod $name | ConvertTo-PodManifest | ConvertFrom-PodManifest -ImageMap @{ $busybox = 'host' }
        $again.Name | Should -Be $name
        $web = $again.Containers | Where-Object Name -EQ web
        $web.Request.MemoryLimit | Should -Be (96MB)
        $web.Request.CpuLimitMilli | Should -Be 250
        $web.Request.Environment['POD'] | Should -Be $name
    }
}
