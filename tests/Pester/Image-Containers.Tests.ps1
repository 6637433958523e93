# Containers of registry images on the native engine: layers as overlay lowers shared between containers,
# the image config applied by Kubernetes' rules, pull policies, leases. Witnesses: /proc/<pid>/{root,cwd,
# environ,status} read from the node, stat of the store's layer files, the container's own log.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'ImageTestHelpers.psm1') -Force
    Import-PodShellUnderTest

    $script:saved = @{}
    foreach ($v in 'PODSHELL_IMAGE_ROOT', 'PODSHELL_REGISTRY_MIRRORS', 'PODSHELL_REGISTRIES_CONF', 'REGISTRY_AUTH_FILE') {
        $script:saved[$v] = [Environment]::GetEnvironmentVariable($v)
    }
    $script:work = Join-Path ([System.IO.Path]::GetTempPath()) "podshell-imgctr-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
    New-Item -ItemType Directory -Force $work | Out-Null
    $env:PODSHELL_IMAGE_ROOT = Join-Path $work 'store'
    $env:PODSHELL_REGISTRIES_CONF = Join-Path $work 'no-registries.conf'
    $env:REGISTRY_AUTH_FILE = Join-Path $work 'no-auth.json'
    $env:PODSHELL_REGISTRY_MIRRORS = $null

    $bbRoot = Join-Path $work 'src/busybox'
    New-TestBusyboxRoot $bbRoot
    $l2 = Join-Path $work 'src/l2'
    New-Item -ItemType Directory -Force "$l2/data", "$l2/folder/sub" | Out-Null
    'keep' | Set-Content "$l2/data/keep.txt"
    & chmod 666 "$l2/data/keep.txt"
    & chmod 777 "$l2/data"
    'gone' | Set-Content "$l2/data/gone.txt"
    'a' | Set-Content "$l2/folder/a"
    'b' | Set-Content "$l2/folder/sub/b"
    & chown -R 1000:1000 "$l2/data"
    $l3 = Join-Path $work 'src/l3'
    New-Item -ItemType Directory -Force "$l3/data", "$l3/folder" | Out-Null
    New-Item -ItemType File "$l3/data/.wh.gone.txt", "$l3/folder/.wh..wh..opq" | Out-Null
    & chmod 777 "$l3/data"
    $script:multi = New-TestOciLayout -Layout (Join-Path $work 'oci/multi') -LayerFolders $bbRoot, $l2, $l3 -Compression gzip, gzip, zstd `
        -Config @{ Entrypoint = @('/bin/sh', '-c'); Cmd = @('echo hello from the image'); Env = @('PATH=/bin', 'GREETING=image', 'OTHER=kept'); WorkingDir = '/data'; User = 'app'; StopSignal = 'SIGINT' }
    $script:plain = Start-TestRegistry -Folder (Join-Path $work 'registry')
    Push-TestImage -Layout $multi.Layout -Registry $plain -Repository test/multi -Tag 1.0
    $script:ref = "$($plain.Host)/test/multi:1.0"

    function Get-StoreLayer([string] $DiffId) { Join-Path $env:PODSHELL_IMAGE_ROOT "layers/$($DiffId.Substring(7))/diff" }
    function Get-Environ([int] $ProcessId) { (Get-Content -Raw "/proc/$ProcessId/environ") -split "`0" | Where-Object { $_ } }
}

AfterAll {
    Stop-TestRegistry $plain
    foreach ($v in $saved.Keys) { [Environment]::SetEnvironmentVariable($v, $saved[$v]) }
    if ($work -and (Test-Path $work)) { Remove-Item -Recurse -Force $work }
}

Describe 'Add-PodContainer -Image from a registry' {
    BeforeAll {
        $script:pod = New-TestPodName 'img'
        New-PodSandbox -Name $pod | Out-Null
        $script:a = Add-PodContainer -Pod $pod -Name a -Image $ref -PullPolicy IfNotPresent -Command sleep, 1000 -Environment @{ GREETING = 'mine' }
        $script:b = Add-PodContainer -Pod $pod -Name b -Image $ref -Command sleep, 1000
    }
    AfterAll { Remove-TestPod $pod }

    It 'pulls the image when missing and runs on it' {
        $a.State | Should -Be 'Running'
        $a.Image | Should -Be $ref
        $a.ImageId | Should -Be $multi.ConfigDigest
        $a.ImageDigest | Should -Be $multi.ManifestDigest
        (Get-PodImage $ref).UsedBy | Should -Be @("$pod/a", "$pod/b")
    }

    It 'shows the later layer''s deletions: the file is gone and the folder empty' {
        $root = "/proc/$($a.Pid)/root"
        Test-Path "$root/data/gone.txt" | Should -BeFalse
        Get-Content "$root/data/keep.txt" | Should -Be 'keep'
        @(Get-ChildItem -Force "$root/folder") | Should -BeNullOrEmpty
        Invoke-PodCommand -Pod $pod -Container a -- ls -A /folder | Should -BeNullOrEmpty
        Invoke-PodCommand -Pod $pod -Container a -- sh -c 'test -e /data/gone.txt && echo present || echo absent' | Should -Be 'absent'
    }

    It 'applies the image config: Env under the container''s, WorkingDir, User from the image''s /etc/passwd' {
        $environ = Get-Environ $a.Pid
        $environ | Should -Contain 'GREETING=mine'
        $environ | Should -Contain 'OTHER=kept'
        $environ | Should -Contain 'PATH=/bin'
        & readlink "/proc/$($a.Pid)/cwd" | Should -Be '/data'
        ((Get-Content "/proc/$($a.Pid)/status" | Where-Object { $_ -like 'Uid:*' }) -split '\s+')[1] | Should -Be '1000'
        Get-Environ $b.Pid | Should -Contain 'GREETING=image'
    }

    It 'shares the layer folders between containers (same inode), from the store' {
        $inStore = & stat -c '%i' (Join-Path (Get-StoreLayer $multi.Layers[1].DiffId) 'data/keep.txt')
        & stat -c '%i' "/proc/$($a.Pid)/root/data/keep.txt" | Should -Be $inStore
        & stat -c '%i' "/proc/$($b.Pid)/root/data/keep.txt" | Should -Be $inStore
        $lowers = (Get-Content "/proc/$($a.Pid)/mountinfo" | Where-Object { $_ -match ' / / .* - overlay ' }) -replace '.*lowerdir=([^,]+).*', '$1'
        $lowers | Should -Be ((@($multi.Layers)[2..0] | ForEach-Object { Get-StoreLayer $_.DiffId }) -join ':')
    }

    It 'keeps each container''s writes private' {
        Invoke-PodCommand -Pod $pod -Container a -- sh -c 'echo changed > /data/keep.txt; echo mine > /data/new.txt'
        Get-Content "/proc/$($a.Pid)/root/data/keep.txt" | Should -Be 'changed'
        Get-Content "/proc/$($b.Pid)/root/data/keep.txt" | Should -Be 'keep'
        Test-Path "/proc/$($b.Pid)/root/data/new.txt" | Should -BeFalse
        Get-Content (Join-Path (Get-StoreLayer $multi.Layers[1].DiffId) 'data/keep.txt') | Should -Be 'keep'
    }

    It 'refuses to remove the image while containers use it, and -Force only drops its name' {
        Remove-PodImage $ref -Confirm:$false -ErrorVariable failure -ErrorAction SilentlyContinue
        $failure[0].FullyQualifiedErrorId | Should -BeLike 'ImageInUse*'
        $failure[0].Exception.Message | Should -Match "$pod/a"
        Remove-PodImage $ref -Force
        Get-PodImage $ref -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        Test-Path (Get-StoreLayer $multi.Layers[2].DiffId) | Should -BeTrue -Because 'the containers still run on it'
        Test-Path "/proc/$($a.Pid)/root/bin/busybox" | Should -BeTrue
    }

    It 'deletes the layers of a removed image once its last container goes' {
        Remove-Pod $pod -Force -Confirm:$false -Timeout 1
        Test-Path (Get-StoreLayer $multi.Layers[2].DiffId) | Should -BeFalse
        @(Get-ChildItem (Join-Path $env:PODSHELL_IMAGE_ROOT 'leases')) | Should -BeNullOrEmpty
    }
}

Describe 'The image''s Entrypoint, Cmd and StopSignal' {
    BeforeAll {
        $script:pod = New-TestPodName 'cfg'
        New-PodSandbox -Name $pod | Out-Null
    }
    AfterAll { Remove-TestPod $pod }

    It 'runs Entrypoint + Cmd when the container says nothing' {
        $c = Add-PodContainer -Pod $pod -Name plain -Image $ref -RestartPolicy Never
        $c.Command | Should -Be @('/bin/sh', '-c', 'echo hello from the image')
        Wait-Until -Because 'the log line' { (Get-PodLog -Pod $pod -Container plain) -contains 'hello from the image' } | Out-Null
    }

    It 'replaces only Cmd with -Argument' {
        $c = Add-PodContainer -Pod $pod -Name args -Image $ref -Argument 'echo from args' -RestartPolicy Never
        $c.Command | Should -Be @('/bin/sh', '-c', 'echo from args')
        Wait-Until -Because 'the log line' { (Get-PodLog -Pod $pod -Container args) -contains 'from args' } | Out-Null
    }

    It 'replaces Entrypoint and drops Cmd with -Command' {
        $c = Add-PodContainer -Pod $pod -Name cmd -Image $ref -Command echo, 'from command' -RestartPolicy Never
        $c.Command | Should -Be @('echo', 'from command')
    }

    It 'stops the container with the image''s StopSignal (SIGINT)' {
        $script_ = 'trap "echo got-int; exit 0" INT; echo ready; while true; do sleep 0.1; done'
        Add-PodContainer -Pod $pod -Name stopper -Image $ref -Command /bin/sh, -c, $script_ -RestartPolicy Never | Out-Null
        Wait-Until -Because 'the trap to be set' { (Get-PodLog -Pod $pod -Container stopper) -contains 'ready' } | Out-Null
        Stop-PodContainer -Pod $pod -Name stopper -Timeout 10 | Out-Null
        Get-PodLog -Pod $pod -Container stopper | Should -Contain 'got-int'
    }

    It 'refuses a user the image does not know' {
        Add-PodContainer -Pod $pod -Name nobody -Image $ref -User ghost -Command sleep, 1 -ErrorVariable failure -ErrorAction SilentlyContinue
        $failure[0].Exception.Message | Should -Match "'ghost' is not in the /etc/passwd"
        Get-PodContainer -Pod $pod -Name nobody -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }
}

Describe 'Pull policies' {
    BeforeAll {
        $script:pod = New-TestPodName 'pull'
        New-PodSandbox -Name $pod | Out-Null
    }
    AfterAll { Remove-TestPod $pod }

    It 'Never: a missing image is an error and nothing is made' {
        Add-PodContainer -Pod $pod -Name never -Image "$($plain.Host)/test/multi:absent" -PullPolicy Never -Command sleep, 1 -ErrorVariable failure -ErrorAction SilentlyContinue
        $failure[0].FullyQualifiedErrorId | Should -BeLike 'ImageNotPresent*'
        @(Get-PodContainer -Pod $pod) | Should -BeNullOrEmpty
    }

    It 'IfNotPresent pulls once, Never then finds it' {
        Add-PodContainer -Pod $pod -Name first -Image $ref -PullPolicy IfNotPresent -Command sleep, 1000 | Out-Null
        $c = Add-PodContainer -Pod $pod -Name second -Image $ref -PullPolicy Never -Command sleep, 1000
        $c.State | Should -Be 'Running'
    }

    It 'finds an image by digest' {
        $c = Add-PodContainer -Pod $pod -Name bydigest -Image "$($plain.Host)/test/multi@$($multi.ManifestDigest)" -Command sleep, 1000
        $c.ImageId | Should -Be $multi.ConfigDigest
    }

    It 'runs a stored image by id prefix, never asking a registry for it (even with -PullPolicy Always)' {
        $c = Add-PodContainer -Pod $pod -Name byid -Image $multi.ConfigDigest.Substring(7, 12) -PullPolicy Always -Command sleep, 1000
        $c.State | Should -Be 'Running'
        $c.ImageId | Should -Be $multi.ConfigDigest
    }

    It 'names a registry that is not there' {
        Add-PodContainer -Pod $pod -Name nothere -Image '127.0.0.1:1/none:1' -Command sleep, 1 -ErrorVariable failure -ErrorAction SilentlyContinue
        $failure[0].FullyQualifiedErrorId | Should -BeLike 'RegistryUnreachable*'
    }

    It 'keeps host and -RootFs containers working beside image ones' {
        (Add-PodContainer -Pod $pod -Name hosty -Image host -Command sleep, 1000).State | Should -Be 'Running'
        $c = Add-PodContainer -Pod $pod -Name folder -RootFs (Join-Path $work 'src/busybox') -Command /bin/sleep, 1000
        $c.State | Should -Be 'Running'
        $c.ImageId | Should -BeNullOrEmpty
    }
}
