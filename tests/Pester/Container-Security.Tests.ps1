# A container's securityContext: capabilities add/drop, allowPrivilegeEscalation (no_new_privs), readOnlyRootFilesystem,
# privileged and seccompProfile, from Add-PodContainer and from manifests, on both engines.
# Witnesses: /proc/<pid>/status (CapInh/CapPrm/CapEff/CapBnd/CapAmb, NoNewPrivs, Seccomp) against masks this file computes
# from its own table of capability bits (and capsh --decode when installed), /proc/<pid>/mountinfo, writes through
# nsenter into the container's mount namespace, ping (a raw socket) and chown failing, and the Kubernetes Python client
# reading the export.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-PodShellUnderTest

    # linux/capability.h, written out here rather than taken from PodShell.
    $script:CapBit = @{
        CHOWN = 0; DAC_OVERRIDE = 1; DAC_READ_SEARCH = 2; FOWNER = 3; FSETID = 4; KILL = 5; SETGID = 6; SETUID = 7; SETPCAP = 8
        LINUX_IMMUTABLE = 9; NET_BIND_SERVICE = 10; NET_BROADCAST = 11; NET_ADMIN = 12; NET_RAW = 13; IPC_LOCK = 14; IPC_OWNER = 15
        SYS_MODULE = 16; SYS_RAWIO = 17; SYS_CHROOT = 18; SYS_PTRACE = 19; SYS_PACCT = 20; SYS_ADMIN = 21; SYS_BOOT = 22; SYS_NICE = 23
        SYS_RESOURCE = 24; SYS_TIME = 25; SYS_TTY_CONFIG = 26; MKNOD = 27; LEASE = 28; AUDIT_WRITE = 29; AUDIT_CONTROL = 30; SETFCAP = 31
    }
    # containerd's and Docker's default set.
    $script:DefaultCaps = 'CHOWN', 'DAC_OVERRIDE', 'FSETID', 'FOWNER', 'MKNOD', 'NET_RAW', 'SETGID', 'SETUID', 'SETFCAP', 'SETPCAP',
        'NET_BIND_SERVICE', 'SYS_CHROOT', 'KILL', 'AUDIT_WRITE'

    function Get-CapMask {
        param([string[]] $Names)
        [uint64] $mask = 0
        foreach ($n in $Names) { $mask = $mask -bor ([uint64]1 -shl $CapBit[$n]) }
        '{0:x16}' -f $mask
    }

    # The security fields of /proc/<pid>/status as a hashtable.
    function Get-SecurityStatus {
        param([string[]] $Lines)
        $table = @{}
        foreach ($line in $Lines) {
            if ($line -match '^(CapInh|CapPrm|CapEff|CapBnd|CapAmb|NoNewPrivs|Seccomp):\s*(\S+)$') { $table[$Matches[1]] = $Matches[2] }
        }
        $table
    }

    function New-ManifestText {
        param([string] $Name, [string] $Spec)
        "apiVersion: v1`nkind: Pod`nmetadata:`n  name: $Name`nspec:`n$Spec"
    }

    $script:SeccompRoot = Join-Path ([System.IO.Path]::GetTempPath()) "podshell-seccomp-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
    New-Item -ItemType Directory -Force "$SeccompRoot/profiles" | Out-Null
    # Everything allowed but mkdir, which fails with EACCES (13): a filter whose effect busybox shows.
    @{ defaultAction = 'SCMP_ACT_ALLOW'; syscalls = @(@{ names = @('mkdir', 'mkdirat'); action = 'SCMP_ACT_ERRNO'; errnoRet = 13 }) } |
        ConvertTo-Json -Depth 5 | Set-Content "$SeccompRoot/profiles/no-mkdir.json"
}

AfterAll {
    Remove-Item -Recurse -Force $SeccompRoot -ErrorAction Ignore
}

Describe 'A manifest''s container securityContext on the <Engine> engine' -ForEach @(
    @{ Engine = 'Native'; Skip = -not $env:PODSHELL_TEST_BUSYBOX_ROOTFS }
    @{ Engine = 'Docker'; Skip = -not $env:PODSHELL_TEST_DOCKER_IMAGE }
) {
    BeforeAll {
        $busybox = if ($Engine -eq 'Docker') { $env:PODSHELL_TEST_DOCKER_IMAGE } else { $env:PODSHELL_TEST_BUSYBOX_ROOTFS }
        $name = New-TestPodName "sec-$($Engine.ToLowerInvariant())"
        $text = New-ManifestText $name @'
  securityContext:
    seccompProfile: {type: RuntimeDefault}
  volumes:
  - name: scratch
    emptyDir: {}
  containers:
  - name: locked
    image: busybox
    command: [/bin/sleep, '100000']
    securityContext:
      readOnlyRootFilesystem: true
      allowPrivilegeEscalation: false
      capabilities: {drop: [ALL], add: [NET_BIND_SERVICE, KILL]}
    volumeMounts: [{name: scratch, mountPath: /scratch}]
  - name: trimmed
    image: busybox
    command: [/bin/sleep, '100000']
    securityContext:
      capabilities: {add: [NET_ADMIN], drop: [CHOWN, NET_RAW]}
      seccompProfile: {type: Unconfined}
  - name: plain
    image: busybox
    command: [/bin/sleep, '100000']
  - name: profiled
    image: busybox
    command: [/bin/sleep, '100000']
    securityContext:
      seccompProfile: {type: Localhost, localhostProfile: profiles/no-mkdir.json}
'@
        if (-not $Skip) {
            $null = $text | New-Pod -Engine $Engine -ImageMap @{ busybox = $busybox } -SeccompProfileRoot $SeccompRoot -WarningAction SilentlyContinue
            $script:Containers = @{}
            foreach ($c in Get-PodContainer -Pod $name) { $Containers[$c.Name] = $c }
        }
    }
    AfterAll {
        if (-not $Skip) { Remove-TestPod $name }
    }

    It 'gives each container the capability sets Kubernetes computes from add and drop (/proc/PID/status)' -Skip:$Skip {
        $expected = @{
            locked  = Get-CapMask 'NET_BIND_SERVICE', 'KILL'
            trimmed = Get-CapMask (@($DefaultCaps | Where-Object { $_ -notin 'CHOWN', 'NET_RAW' }) + 'NET_ADMIN')
            plain   = Get-CapMask $DefaultCaps
        }
        foreach ($c in $expected.Keys) {
            $status = Get-SecurityStatus (Get-Content "/proc/$($Containers[$c].Pid)/status")
            foreach ($set in 'CapPrm', 'CapEff', 'CapBnd') { $status[$set] | Should -Be $expected[$c] -Because "$set of $c" }
            $status.CapInh | Should -Be ('0' * 16) -Because "$c inherits nothing"
            $status.CapAmb | Should -Be ('0' * 16) -Because "$c has no ambient set"
        }
        $expected.locked | Should -Be '0000000000000420'
    }

    It 'decodes to the same names with capsh' -Skip:($Skip -or -not (Get-Command capsh -ErrorAction Ignore)) {
        $status = Get-SecurityStatus (Get-Content "/proc/$($Containers.locked.Pid)/status")
        & capsh "--decode=$($status.CapBnd)" | Should -Match '=cap_kill,cap_net_bind_service$'
    }

    It 'sets no_new_privs only where allowPrivilegeEscalation is false, and each container''s seccomp mode' -Skip:$Skip {
        $expected = @{ locked = @('1', '2'); trimmed = @('0', '0'); plain = @('0', '2'); profiled = @('0', '2') }
        foreach ($c in $expected.Keys) {
            $status = Get-SecurityStatus (Get-Content "/proc/$($Containers[$c].Pid)/status")
            $status.NoNewPrivs | Should -Be $expected[$c][0] -Because "no_new_privs of $c"
            $status.Seccomp | Should -Be $expected[$c][1] -Because "seccomp mode of $c (2: filter, 0: none)"
        }
    }

    It 'mounts the root read-only, while the volume and /dev/shm stay writable' -Skip:$Skip {
        $lockedPid = $Containers.locked.Pid
        $root = Get-Content "/proc/$lockedPid/mountinfo" | Where-Object { ($_ -split ' ')[4] -eq '/' }
        ($root -split ' ')[5] -split ',' | Should -Contain 'ro'
        # Through nsenter, as the node's root with every capability: only the mount can refuse the write.
        $out = & nsenter -t $lockedPid -m -- /bin/sh -c 'echo x > /probe 2>&1; echo rc=$?; echo y > /scratch/probe && cat /scratch/probe; echo z > /dev/shm/probe && cat /dev/shm/probe' 2>&1
        ($out -join "`n") | Should -Match 'Read-only file system'
        $out | Should -Contain 'rc=1'
        $out | Should -Contain 'y'
        $out | Should -Contain 'z'
        (Get-Content "/proc/$($Containers.plain.Pid)/mountinfo" | Where-Object { ($_ -split ' ')[4] -eq '/' } | ForEach-Object { ($_ -split ' ')[5] -split ',' }) | Should -Contain 'rw'
    }

    It 'refuses a raw socket (ping) and chown where NET_RAW and CHOWN are dropped, and allows both by default' -Skip:$Skip {
        $probe = 'touch /tmp/f; chown 1:1 /tmp/f 2>&1; echo chown=$?; ping -c 1 -W 2 127.0.0.1 2>&1; echo ping=$?'
        $trimmed = Invoke-PodCommand $name trimmed -- sh -c $probe 2>&1 | ForEach-Object { "$_" }
        $trimmed | Should -Contain 'chown=1'
        $trimmed | Should -Contain 'ping=1'
        ($trimmed -join "`n") | Should -Match 'Operation not permitted'
        ($trimmed -join "`n") | Should -Match 'permission denied'
        $plain = Invoke-PodCommand $name plain -- sh -c $probe 2>&1 | ForEach-Object { "$_" }
        $plain | Should -Contain 'chown=0'
        $plain | Should -Contain 'ping=0'
    }

    It 'loads the Localhost profile found under -SeccompProfileRoot' -Skip:$Skip {
        $out = Invoke-PodCommand $name profiled -- sh -c 'mkdir /tmp/d 2>&1; echo rc=$?' 2>&1 | ForEach-Object { "$_" }
        $out | Should -Contain 'rc=1'
        ($out -join "`n") | Should -Match 'Permission denied'
        Invoke-PodCommand $name plain -- sh -c 'mkdir /tmp/d; echo rc=$?' | Should -Contain 'rc=0'
    }

    It 'gives exec''d processes the container''s capability sets, no_new_privs and seccomp mode' -Skip:$Skip {
        foreach ($c in 'locked', 'trimmed') {
            $exec = Get-SecurityStatus (Invoke-PodCommand $name $c -- cat /proc/self/status)
            $main = Get-SecurityStatus (Get-Content "/proc/$($Containers[$c].Pid)/status")
            foreach ($field in 'CapInh', 'CapPrm', 'CapEff', 'CapBnd', 'CapAmb', 'NoNewPrivs', 'Seccomp') {
                $exec[$field] | Should -Be $main[$field] -Because "$field of an exec in $c"
            }
        }
    }

    It 'shows the settings on the container object' -Skip:$Skip {
        $locked = $Containers.locked.Security
        $locked.Capabilities | Should -Be @('KILL', 'NET_BIND_SERVICE')
        $locked.AddCapabilities | Should -Be @('NET_BIND_SERVICE', 'KILL')
        $locked.DropCapabilities | Should -Be @('ALL')
        $locked.AllowPrivilegeEscalation | Should -BeFalse
        $locked.NoNewPrivileges | Should -BeTrue
        $locked.ReadOnlyRootFilesystem | Should -BeTrue
        $locked.SeccompProfile | Should -Be 'RuntimeDefault'
        $Containers.trimmed.Security.SeccompProfile | Should -Be 'Unconfined'
        $Containers.trimmed.Security.Capabilities | Should -Contain 'NET_ADMIN'
        $Containers.trimmed.Security.Capabilities | Should -Not -Contain 'NET_RAW'
        $Containers.profiled.Security.SeccompProfile | Should -Be 'Localhost'
        $Containers.profiled.Security.SeccompProfilePath | Should -Be (Join-Path $SeccompRoot 'profiles/no-mkdir.json')
        $Containers.plain.Security.AllowPrivilegeEscalation | Should -BeTrue
        "$locked" | Should -Be '+NET_BIND_SERVICE,+KILL -ALL no-new-privileges read-only-root seccomp=RuntimeDefault'
        $view = $locked | Out-String -Width 80
        $view | Should -Match 'Capabilities\s+: KILL, NET_BIND_SERVICE'
        $view | Should -Match 'NoNewPrivileges\s+: True'
        $table = Get-PodContainer -Pod $name | Format-Table -View Security | Out-String -Width 200
        $table | Should -Match 'locked\s+(\S+\s+)?False\s+\+NET_BIND_SERVICE,\+KILL,-ALL\s+True\s+True\s+RuntimeDefault'
        $table | Should -Match 'plain\s+(\S+\s+)?False\s+default\s+False\s+False\s+RuntimeDefault'
        ($Containers.profiled.Security | Out-String -Width 300) | Should -Match "SeccompProfile\s+: Localhost \($([regex]::Escape($SeccompRoot))/profiles/no-mkdir.json\)"
    }

    It 'exports the securityContext back, and the export reads as the same containers' -Skip:$Skip {
        $again = Get-Pod $name | ConvertTo-PodManifest -SeccompProfileRoot $SeccompRoot | ConvertFrom-PodManifest -ImageMap @{ $busybox = 'host' } -SeccompProfileRoot $SeccompRoot
        $locked = ($again.Containers | Where-Object Name -EQ locked).Request
        $locked.ReadOnlyRootFilesystem | Should -BeTrue
        $locked.AllowPrivilegeEscalation | Should -BeFalse
        $locked.AddCapabilities | Should -Be @('NET_BIND_SERVICE', 'KILL')
        $locked.DropCapabilities | Should -Be @('ALL')
        $locked.SeccompProfile | Should -Be 'RuntimeDefault'
        ($again.Containers | Where-Object Name -EQ trimmed).Request.SeccompProfile | Should -Be 'Unconfined'
        ($again.Containers | Where-Object Name -EQ profiled).Request.SeccompProfile | Should -Be (Join-Path $SeccompRoot 'profiles/no-mkdir.json')
        @($again.Report | Where-Object { $_.Path -like '*securityContext*' -and $_.Status -ne 'Applied' }) | Should -BeNullOrEmpty
    }
}

Describe 'Add-PodContainer security parameters' {
    BeforeAll {
        $name = New-TestPodName 'secp'
        $pod = New-PodSandbox -Name $name -Network None
    }
    AfterAll { Remove-TestPod $name }

    It 'takes CAP_ names and any case, and -CapAdd/-CapDrop/-ReadOnly as aliases' {
        $c = Add-PodContainer -Pod $name -Name a -Image host -Command sleep, infinity -CapAdd cap_sys_time -CapDrop Net_Raw -ReadOnly -NoNewPrivileges
        $status = Get-SecurityStatus (Get-Content "/proc/$($c.Pid)/status")
        $status.CapBnd | Should -Be (Get-CapMask (@($DefaultCaps | Where-Object { $_ -ne 'NET_RAW' }) + 'SYS_TIME'))
        $status.NoNewPrivs | Should -Be '1'
        $c.Security.AddCapabilities | Should -Be 'SYS_TIME'
        $c.Security.DropCapabilities | Should -Be 'NET_RAW'
        $c.Security.ReadOnlyRootFilesystem | Should -BeTrue
        $root = Get-Content "/proc/$($c.Pid)/mountinfo" | Where-Object { ($_ -split ' ')[4] -eq '/' }
        ($root -split ' ')[5] -split ',' | Should -Contain 'ro' -Because '-ReadOnly reached the kernel'
    }

    It 'refuses an unknown capability with UnknownCapability and makes nothing' {
        Add-PodContainer -Pod $name -Name bad -Image host -Command sleep, infinity -AddCapability NET_FOO -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -Match '^UnknownCapability'
        $err[0].Exception.Message | Should -Match 'NET_FOO'
        Get-PodContainer -Pod $name -Name bad -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'refuses -Privileged and -NoNewPrivileges together, and SYS_ADMIN with -NoNewPrivileges, as Kubernetes does' {
        Add-PodContainer -Pod $name -Name bad -Image host -Command sleep, infinity -Privileged -NoNewPrivileges -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -Match '^InvalidSecurityContext'
        Add-PodContainer -Pod $name -Name bad -Image host -Command sleep, infinity -AddCapability SYS_ADMIN -NoNewPrivileges -ErrorVariable err2 -ErrorAction SilentlyContinue
        $err2[0].FullyQualifiedErrorId | Should -Match '^InvalidSecurityContext'
        Get-PodContainer -Pod $name -Name bad -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'refuses -RunAsNonRoot for root or a user name with RunAsNonRootViolated, and runs it for a uid' {
        Add-PodContainer -Pod $name -Name bad -Image host -Command sleep, infinity -RunAsNonRoot -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -Match '^RunAsNonRootViolated'
        Add-PodContainer -Pod $name -Name bad -Image host -Command sleep, infinity -RunAsNonRoot -User nobody -ErrorVariable err2 -ErrorAction SilentlyContinue
        $err2[0].FullyQualifiedErrorId | Should -Match '^RunAsNonRootViolated'
        Get-PodContainer -Pod $name -Name bad -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $c = Add-PodContainer -Pod $name -Name nonroot -Image host -Command sleep, infinity -RunAsNonRoot -User 1000:1000
        (Get-Content "/proc/$($c.Pid)/status" | Where-Object { $_ -like 'Uid:*' }) -split '\s+' | Select-Object -Skip 1 | Should -Be @('1000', '1000', '1000', '1000')
        $c.Security.RunAsNonRoot | Should -BeTrue
    }

    It 'completes capability names' {
        $line = 'Add-PodContainer -Pod x -Name y -AddCapability NET_'
        $names = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText
        $names | Should -Contain 'NET_ADMIN'
        $names | Should -Contain 'NET_RAW'
        $line = 'Add-PodContainer -Pod x -Name y -CapDrop cap_ch'
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Contain 'CAP_CHOWN'
    }
}

Describe 'Add-PodContainer security parameters on the Docker engine' -Skip:(-not $env:PODSHELL_TEST_DOCKER_IMAGE) {
    BeforeAll {
        $name = New-TestPodName 'secd'
        $null = New-PodSandbox -Name $name -Engine Docker
    }
    AfterAll { Remove-TestPod $name }

    It 'gives Docker the capability difference from its default set, and the kernel shows Kubernetes'' result' {
        # Added and dropped at once: Kubernetes drops it (Docker alone would keep it).
        $c = Add-PodContainer -Pod $name -Name a -Image $env:PODSHELL_TEST_DOCKER_IMAGE -Command /bin/sleep, 100000 -AddCapability NET_ADMIN, CHOWN -DropCapability CHOWN
        $status = Get-SecurityStatus (Get-Content "/proc/$($c.Pid)/status")
        $status.CapBnd | Should -Be (Get-CapMask (@($DefaultCaps | Where-Object { $_ -ne 'CHOWN' }) + 'NET_ADMIN'))
        $hostConfig = (& docker inspect --format '{{json .HostConfig}}' $c.Id) | ConvertFrom-Json
        $hostConfig.CapAdd | Should -Be 'NET_ADMIN'
        $hostConfig.CapDrop | Should -Be 'CHOWN'
        $c.Security.AddCapabilities | Should -Be @('NET_ADMIN', 'CHOWN')
    }

    It 'checks runAsNonRoot against the image''s USER once the engine knows it' {
        # An image whose USER is a uid other than 0 passes without runAsUser; one without USER runs as root and is refused.
        $tag = "$($env:PODSHELL_TEST_DOCKER_IMAGE)-user"
        & sh -c "tar -C '$($env:PODSHELL_TEST_BUSYBOX_ROOTFS)' -c . | docker import --change 'USER 1234' - '$tag'" | Out-Null
        try {
            $podName = New-TestPodName 'secnr'
            $text = New-ManifestText $podName "  securityContext: {runAsNonRoot: true}`n  containers:`n  - {name: a, image: $tag, command: [/bin/sleep, '100000']}"
            $plan = $text | ConvertFrom-PodManifest
            $plan.Containers[0].Request.RunAsNonRoot | Should -BeTrue
            $null = $text | New-Pod -Engine Docker
            $c = Get-PodContainer -Pod $podName -Name a
            (Get-Content "/proc/$($c.Pid)/status" | Where-Object { $_ -like 'Uid:*' }) -split '\s+' | Select-Object -Skip 1 | Should -Be @('1234', '1234', '1234', '1234')
            Remove-TestPod $podName
            $text = New-ManifestText $podName "  securityContext: {runAsNonRoot: true}`n  containers:`n  - {name: a, image: $($env:PODSHELL_TEST_DOCKER_IMAGE), command: [/bin/sleep, '100000']}"
            $text | New-Pod -Engine Docker -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].FullyQualifiedErrorId | Should -Match '^RunAsNonRootViolated'
            Get-Pod $podName -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            & docker ps -a --filter "label=io.kubernetes.pod.name=$podName" --format '{{.ID}}' | Should -BeNullOrEmpty
        }
        finally {
            Remove-TestPod $podName
            & docker rmi $tag | Out-Null
        }
    }

    It 'refuses an unknown capability with UnknownCapability and makes no Docker container' {
        Add-PodContainer -Pod $name -Name bad -Image $env:PODSHELL_TEST_DOCKER_IMAGE -Command /bin/true -DropCapability BOGUS -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -Match '^UnknownCapability'
        & docker ps -a --filter "label=io.kubernetes.container.name=bad" --filter "label=io.kubernetes.pod.name=$name" --format '{{.ID}}' | Should -BeNullOrEmpty
    }
}

Describe 'securityContext in manifests, without an engine' {
    It 'reports every securityContext field it applies as Applied' {
        $text = New-ManifestText 'sc' @'
  securityContext:
    seccompProfile: {type: RuntimeDefault}
  containers:
  - name: a
    image: host
    command: [sleep, '1']
    securityContext:
      privileged: false
      allowPrivilegeEscalation: false
      readOnlyRootFilesystem: true
      capabilities: {add: [NET_ADMIN], drop: [ALL]}
      seccompProfile: {type: Unconfined}
'@
        $plan = $text | ConvertFrom-PodManifest
        @($plan.Report | Where-Object Status -NE 'Applied') | Should -BeNullOrEmpty
        $request = $plan.Containers[0].Request
        $request.AllowPrivilegeEscalation | Should -BeFalse
        $request.ReadOnlyRootFilesystem | Should -BeTrue
        $request.SeccompProfile | Should -Be 'Unconfined'
        { $text | New-Pod -WhatIf -Strict -ErrorAction Stop } | Should -Not -Throw
    }

    It 'says why it leaves procMount Unmasked, seLinuxOptions and appArmorProfile aside, and applies procMount Default' {
        $text = New-ManifestText 'sc' "  containers:`n  - {name: a, image: host, command: [sleep, '1'], securityContext: {procMount: Unmasked, seLinuxOptions: {level: 's0:c1'}, appArmorProfile: {type: RuntimeDefault}}}`n  - {name: b, image: host, command: [sleep, '1'], securityContext: {procMount: Default}}"
        $report = ($text | ConvertFrom-PodManifest).Report
        foreach ($field in 'procMount', 'seLinuxOptions', 'appArmorProfile') {
            $line = $report | Where-Object Path -EQ "spec.containers[0].securityContext.$field"
            $line.Status | Should -Be 'Unsupported'
            $line.Reason | Should -Not -BeNullOrEmpty
        }
        ($report | Where-Object Path -EQ 'spec.containers[1].securityContext.procMount').Status | Should -Be 'Applied'
    }

    It 'refuses <Case> with the field''s path, and creates nothing' -ForEach @(
        @{ Case = 'an unknown capability'; Security = '{capabilities: {add: [NET_ADMIN, NET_FOO]}}'; Path = 'spec.containers[0].securityContext.capabilities.add[1]' }
        @{ Case = 'privileged without privilege escalation'; Security = '{privileged: true, allowPrivilegeEscalation: false}'; Path = 'spec.containers[0].securityContext.allowPrivilegeEscalation' }
        @{ Case = 'a Localhost profile leaving the root'; Security = '{seccompProfile: {type: Localhost, localhostProfile: ../etc/x.json}}'; Path = 'spec.containers[0].securityContext.seccompProfile.localhostProfile' }
        @{ Case = 'a Localhost profile without its path'; Security = '{seccompProfile: {type: Localhost}}'; Path = 'spec.containers[0].securityContext.seccompProfile.localhostProfile' }
        @{ Case = 'an unknown seccomp type'; Security = '{seccompProfile: {type: Strict}}'; Path = 'spec.containers[0].securityContext.seccompProfile.type' }
    ) {
        $podName = New-TestPodName 'scbad'
        $text = New-ManifestText $podName "  containers:`n  - {name: a, image: host, command: [sleep, '1'], securityContext: $Security}"
        $text | New-Pod -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -Match '^ManifestInvalid'
        $err[0].Exception.FieldPath | Should -Be $Path
        Get-Pod $podName -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'resolves a Localhost profile under kubelet''s root by default' {
        $text = New-ManifestText 'sc' "  containers:`n  - {name: a, image: host, command: [sleep, '1'], securityContext: {seccompProfile: {type: Localhost, localhostProfile: audit.json}}}"
        ($text | ConvertFrom-PodManifest).Containers[0].Request.SeccompProfile | Should -Be '/var/lib/kubelet/seccomp/audit.json'
    }

    It 'writes the securityContext so the Kubernetes Python client reads the same values' -Skip:(-not (Test-Path /usr/lib/python3/dist-packages/kubernetes)) {
        $podName = New-TestPodName 'scexp'
        try {
            $null = New-PodSandbox -Name $podName -Network None |
                Add-PodContainer -Name a -Image host -Command sleep, infinity -CapDrop ALL -CapAdd NET_BIND_SERVICE -NoNewPrivileges -ReadOnlyRootFilesystem -SeccompProfile "$SeccompRoot/profiles/no-mkdir.json"
            $file = Join-Path $TestDrive "$podName.yaml"
            Get-Pod $podName | Export-PodManifest -Path $file -SeccompProfileRoot $SeccompRoot
            $reader = Join-Path $TestDrive 'read-security.py'
            Set-Content $reader @'
import json, sys, yaml
from kubernetes.client import ApiClient
class Response:
    def __init__(self, data): self.data = json.dumps(data)
pod = ApiClient().deserialize(Response(yaml.safe_load(open(sys.argv[1]))), 'V1Pod')
s = pod.spec.containers[0].security_context
print(json.dumps({'add': s.capabilities.add, 'drop': s.capabilities.drop, 'ape': s.allow_privilege_escalation,
                  'ro': s.read_only_root_filesystem, 'privileged': s.privileged,
                  'seccomp': s.seccomp_profile.type, 'localhost': s.seccomp_profile.localhost_profile}))
'@
            $seen = (& /usr/bin/python3 $reader $file) | ConvertFrom-Json
            $seen.add | Should -Be 'NET_BIND_SERVICE'
            $seen.drop | Should -Be 'ALL'
            $seen.ape | Should -BeFalse
            $seen.ro | Should -BeTrue
            $seen.privileged | Should -BeNullOrEmpty
            $seen.seccomp | Should -Be 'Localhost'
            $seen.localhost | Should -Be 'profiles/no-mkdir.json'
        }
        finally { Remove-TestPod $podName }
    }
}
