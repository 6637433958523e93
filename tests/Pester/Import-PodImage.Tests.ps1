# Pulls and archive loads into PodShell's image store, against a local docker-registry (plain and with
# htpasswd auth) filled by skopeo with images built here. Witnesses: sha256sum of the stored blobs, stat of
# the unpacked files, the kernel's own overlay mount of the stored layers.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'ImageTestHelpers.psm1') -Force
    Import-PodShellUnderTest

    $script:saved = @{}
    foreach ($v in 'PODSHELL_IMAGE_ROOT', 'PODSHELL_REGISTRY_MIRRORS', 'PODSHELL_REGISTRIES_CONF', 'PODSHELL_INSECURE_REGISTRIES', 'REGISTRY_AUTH_FILE', 'XDG_RUNTIME_DIR') {
        $script:saved[$v] = [Environment]::GetEnvironmentVariable($v)
    }
    $script:work = Join-Path ([System.IO.Path]::GetTempPath()) "podshell-images-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
    New-Item -ItemType Directory -Force $work | Out-Null
    $env:PODSHELL_IMAGE_ROOT = Join-Path $work 'store'
    $env:PODSHELL_REGISTRIES_CONF = Join-Path $work 'no-registries.conf'
    $env:REGISTRY_AUTH_FILE = Join-Path $work 'no-auth.json'
    $env:XDG_RUNTIME_DIR = Join-Path $work 'xdg'
    $env:PODSHELL_REGISTRY_MIRRORS = $null

    # busybox: one gzip layer.
    $bbRoot = Join-Path $work 'src/busybox'
    New-TestBusyboxRoot $bbRoot
    $script:busybox = New-TestOciLayout -Layout (Join-Path $work 'oci/busybox') -LayerFolders $bbRoot -Config @{ Cmd = @('sh'); Env = @('PATH=/bin') }

    # multi: busybox + data (gzip), then a zstd layer deleting data/gone.txt and emptying folder/, adding new.txt.
    $l2 = Join-Path $work 'src/multi-2'
    New-Item -ItemType Directory -Force "$l2/data", "$l2/folder", "$l2/folder/a-dir" | Out-Null
    'keep' | Set-Content "$l2/data/keep.txt"
    'gone' | Set-Content "$l2/data/gone.txt"
    'a' | Set-Content "$l2/folder/a"
    'b' | Set-Content "$l2/folder/a-dir/b"
    & ln "$l2/data/keep.txt" "$l2/data/hard.txt"
    & ln -s keep.txt "$l2/data/link.txt"
    & chmod 4755 "$l2/data/keep.txt"
    $l3 = Join-Path $work 'src/multi-3'
    New-Item -ItemType Directory -Force "$l3/data", "$l3/folder" | Out-Null
    New-Item -ItemType File "$l3/data/.wh.gone.txt", "$l3/folder/.wh..wh..opq" | Out-Null
    'new' | Set-Content "$l3/new.txt"
    $script:multi = New-TestOciLayout -Layout (Join-Path $work 'oci/multi') -LayerFolders $bbRoot, $l2, $l3 -Compression gzip, gzip, zstd `
        -Config @{ Entrypoint = @('/bin/sh', '-c'); Cmd = @('echo hello'); Env = @('PATH=/bin', 'GREETING=image'); WorkingDir = '/data'; User = 'app'; StopSignal = 'SIGINT' }

    # The same image with gzip only (docker archives cannot hold zstd): other blobs, the same diff ids and config.
    $script:multiGzip = New-TestOciLayout -Layout (Join-Path $work 'oci/multi-gzip') -LayerFolders $bbRoot, $l2, $l3 -Compression gzip, gzip, gzip `
        -Config @{ Entrypoint = @('/bin/sh', '-c'); Cmd = @('echo hello'); Env = @('PATH=/bin', 'GREETING=image'); WorkingDir = '/data'; User = 'app'; StopSignal = 'SIGINT' }

    # corrupt: its own layer, so breaking it in the registry touches no other test.
    $lc = Join-Path $work 'src/corrupt'
    New-Item -ItemType Directory -Force $lc | Out-Null
    [System.IO.File]::WriteAllBytes("$lc/random.bin", [byte[]](1..65536 | ForEach-Object { Get-Random -Maximum 256 }))
    $script:corrupt = New-TestOciLayout -Layout (Join-Path $work 'oci/corrupt') -LayerFolders $lc

    $script:plain = Start-TestRegistry -Folder (Join-Path $work 'registry-plain')
    $script:private = Start-TestRegistry -Folder (Join-Path $work 'registry-auth') -User alice -Password 's3cret!'
    Push-TestImage -Layout $busybox.Layout -Registry $plain -Repository test/busybox -Tag 1.0
    Push-TestImage -Layout $multi.Layout -Registry $plain -Repository test/multi -Tag 1.0
    Push-TestImage -Layout $busybox.Layout -Registry $plain -Repository hub/library/busybox -Tag 1.36
    Push-TestImage -Layout $corrupt.Layout -Registry $plain -Repository test/corrupt -Tag 1.0
    Push-TestImage -Layout $busybox.Layout -Registry $private -Repository private/busybox -Tag 1.0

    function Get-StoreLayer([string] $DiffId) { Join-Path $env:PODSHELL_IMAGE_ROOT "layers/$($DiffId.Substring(7))/diff" }
    function Get-StoreBlob([string] $Digest) { Join-Path $env:PODSHELL_IMAGE_ROOT "blobs/sha256/$($Digest.Substring(7))" }
    function Get-TempLeft { @(Get-ChildItem -Force (Join-Path $env:PODSHELL_IMAGE_ROOT 'tmp') -ErrorAction Ignore) }
}

AfterAll {
    Stop-TestRegistry $plain
    Stop-TestRegistry $private
    foreach ($v in $saved.Keys) { [Environment]::SetEnvironmentVariable($v, $saved[$v]) }
    if ($work -and (Test-Path $work)) { Remove-Item -Recurse -Force $work }
}

Describe 'Import-PodImage from a registry' {
    It 'pulls by tag: the config digest is the id, the blobs on disk hash to their names (sha256sum)' {
        $image = Import-PodImage -Reference "$($plain.Host)/test/busybox:1.0"
        $image | Should -BeOfType PodShell.Model.PodImage
        $image.Id | Should -Be $busybox.ConfigDigest
        $image.Digest | Should -Be $busybox.ManifestDigest
        $image.Name | Should -Be "$($plain.Host)/test/busybox:1.0"
        $image.Cmd | Should -Be @('sh')
        foreach ($digest in $busybox.ManifestDigest, $busybox.ConfigDigest, $busybox.Layers[0].Digest) {
            ((& sha256sum (Get-StoreBlob $digest)) -split ' ')[0] | Should -Be $digest.Substring(7)
        }
        & cmp /bin/busybox (Join-Path (Get-StoreLayer $busybox.Layers[0].DiffId) 'bin/busybox') | Should -BeNullOrEmpty
        $LASTEXITCODE | Should -Be 0
        Get-TempLeft | Should -BeNullOrEmpty
    }

    It 'pulls by digest, and records the repo digest' {
        $image = Import-PodImage -Reference "$($plain.Host)/test/multi@$($multi.ManifestDigest)"
        $image.Id | Should -Be $multi.ConfigDigest
        $image.RepoDigests | Should -Contain "$($plain.Host)/test/multi@$($multi.ManifestDigest)"
        (Get-PodImage "$($plain.Host)/test/multi@$($multi.ManifestDigest)").Id | Should -Be $multi.ConfigDigest
        $image.Layers | Should -Be @($multi.Layers.DiffId)
    }

    It 'unpacks whiteouts as overlay whiteouts, keeps hard links, symlinks and setuid (stat)' {
        $l2 = Get-StoreLayer $multi.Layers[1].DiffId
        $l3 = Get-StoreLayer $multi.Layers[2].DiffId
        & stat -c '%F %t:%T' "$l3/data/gone.txt" | Should -Be 'character special file 0:0'
        & python3 -c "import os,sys; print(os.getxattr(sys.argv[1], 'trusted.overlay.opaque').decode())" "$l3/folder" | Should -Be 'y'
        Test-Path "$l3/folder/.wh..wh..opq" | Should -BeFalse
        & stat -c '%i' "$l2/data/keep.txt" | Should -Be (& stat -c '%i' "$l2/data/hard.txt")
        & readlink "$l2/data/link.txt" | Should -Be 'keep.txt'
        & stat -c '%a %u:%g' "$l2/data/keep.txt" | Should -Be '4755 0:0'
        & stat -c '%Y' "$l2/data/keep.txt" | Should -Be ([DateTimeOffset]::Parse('2024-01-02T03:04:05Z').ToUnixTimeSeconds())
    }

    It 'stacks into an overlay the kernel reads as the image (mount -t overlay)' {
        $image = Get-PodImage "$($plain.Host)/test/multi:1.0" -ErrorAction SilentlyContinue
        if (-not $image) { $image = Import-PodImage "$($plain.Host)/test/multi:1.0" }
        $lowers = (@($multi.Layers)[2..0] | ForEach-Object { Get-StoreLayer $_.DiffId }) -join ':'
        $mnt = Join-Path $work 'overlay-check'
        New-Item -ItemType Directory -Force $mnt | Out-Null
        & mount -t overlay overlay -o "lowerdir=$lowers" $mnt
        try {
            Test-Path "$mnt/data/gone.txt" | Should -BeFalse
            Test-Path "$mnt/data/keep.txt" | Should -BeTrue
            @(Get-ChildItem -Force "$mnt/folder") | Should -BeNullOrEmpty
            Get-Content "$mnt/new.txt" | Should -Be 'new'
        }
        finally { & umount $mnt }
    }

    It 'pulls again without downloading what it has' {
        $before = (Get-Item (Get-StoreLayer $busybox.Layers[0].DiffId)).LastWriteTimeUtc
        $image = Import-PodImage "$($plain.Host)/test/busybox:1.0"
        $image.Id | Should -Be $busybox.ConfigDigest
        (Get-Item (Get-StoreLayer $busybox.Layers[0].DiffId)).LastWriteTimeUtc | Should -Be $before
    }

    It 'resolves a Docker Hub short name through a mirror setting (PODSHELL_REGISTRY_MIRRORS)' {
        $env:PODSHELL_REGISTRY_MIRRORS = "docker.io=$($plain.Host)/hub"
        try { $image = Import-PodImage -Reference busybox:1.36 }
        finally { $env:PODSHELL_REGISTRY_MIRRORS = $null }
        $image.Name | Should -Be 'docker.io/library/busybox:1.36'
        $image.Repository | Should -Be 'busybox'
        $image.Id | Should -Be $busybox.ConfigDigest
    }

    It 'resolves through a registries.conf mirror ([[registry.mirror]])' {
        $conf = Join-Path $work 'registries.conf'
        @"
# a test configuration
[[registry]]
prefix = "docker.io"
location = "registry.invalid"

[[registry.mirror]]
location = "$($plain.Host)/hub"
"@ | Set-Content $conf
        $image = Import-PodImage -Reference docker.io/library/busybox:1.36 -RegistryConfig $conf
        $image.Name | Should -Be 'docker.io/library/busybox:1.36'
    }

    It 'asks for credentials where the registry wants them' {
        Import-PodImage "$($private.Host)/private/busybox:1.0" -ErrorVariable failure -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $failure[0].FullyQualifiedErrorId | Should -BeLike 'RegistryAuthenticationRequired*'
        $failure[0].CategoryInfo.Category | Should -Be 'AuthenticationError'
    }

    It 'refuses wrong credentials with a clear error' {
        $bad = [pscredential]::new('alice', (ConvertTo-SecureString 'wrong' -AsPlainText -Force))
        Import-PodImage "$($private.Host)/private/busybox:1.0" -Credential $bad -ErrorVariable failure -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $failure[0].FullyQualifiedErrorId | Should -BeLike 'RegistryAuthenticationFailed*'
        $failure[0].Exception.Message | Should -Match "refused the credentials of user 'alice'"
    }

    It 'pulls with -Credential' {
        $good = [pscredential]::new('alice', (ConvertTo-SecureString 's3cret!' -AsPlainText -Force))
        (Import-PodImage "$($private.Host)/private/busybox:1.0" -Credential $good).Id | Should -Be $busybox.ConfigDigest
    }

    It 'pulls with the login in $XDG_RUNTIME_DIR/containers/auth.json' {
        New-Item -ItemType Directory -Force "$env:XDG_RUNTIME_DIR/containers" | Out-Null
        $auth = [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes('alice:s3cret!'))
        @{ auths = @{ $private.Host = @{ auth = $auth } } } | ConvertTo-Json -Depth 4 | Set-Content "$env:XDG_RUNTIME_DIR/containers/auth.json"
        try { (Import-PodImage "$($private.Host)/private/busybox:1.0").Name | Should -Be "$($private.Host)/private/busybox:1.0" }
        finally { Remove-Item "$env:XDG_RUNTIME_DIR/containers/auth.json" }
    }

    It 'refuses a corrupted blob and keeps nothing of it' {
        $blob = $corrupt.Layers[0].Digest.Substring(7)
        $data = Join-Path $plain.Folder "data/docker/registry/v2/blobs/sha256/$($blob.Substring(0, 2))/$blob/data"
        $bytes = [System.IO.File]::ReadAllBytes($data)
        $bytes[$bytes.Length - 40] = $bytes[$bytes.Length - 40] -bxor 0xff
        [System.IO.File]::WriteAllBytes($data, $bytes)
        Import-PodImage "$($plain.Host)/test/corrupt:1.0" -ErrorVariable failure -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $failure[0].FullyQualifiedErrorId | Should -Match '^(BlobDigestMismatch|InvalidLayer|LayerDiffIdMismatch),'
        Test-Path (Get-StoreLayer $corrupt.Layers[0].DiffId) | Should -BeFalse
        Test-Path (Get-StoreBlob $corrupt.Layers[0].Digest) | Should -BeFalse
        Get-TempLeft | Should -BeNullOrEmpty
        Get-PodImage "$($plain.Host)/test/corrupt:1.0" -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'answers a token (Bearer) challenge, and sends no credentials to a redirected blob host (after the corrupt pull: the same layer, intact)' {
        $folder = Join-Path $work 'token-registry'
        New-Item -ItemType Directory -Force $folder | Out-Null
        $portFile = Join-Path $folder 'port'
        $log = Join-Path $folder 'requests.log'
        $server = Start-TestProcess @('/usr/bin/python3', (Join-Path $PSScriptRoot 'token-registry.py'), $corrupt.Layout, 'bob', 'tok3n!', $portFile, $log)
        try {
            Wait-Until -Because 'the token registry to listen' { Test-Path $portFile } | Out-Null
            $registryHost = "127.0.0.1:$(Get-Content $portFile)"
            $bad = [pscredential]::new('bob', (ConvertTo-SecureString 'nope' -AsPlainText -Force))
            Import-PodImage "$registryHost/team/app:latest" -Credential $bad -ErrorVariable failure -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            $failure[0].FullyQualifiedErrorId | Should -BeLike 'RegistryAuthenticationFailed*'
            $good = [pscredential]::new('bob', (ConvertTo-SecureString 'tok3n!' -AsPlainText -Force))
            $image = Import-PodImage "$registryHost/team/app:latest" -Credential $good
            $image.Id | Should -Be $corrupt.ConfigDigest
            $requests = Get-Content $log | ConvertFrom-Json
            @($requests | Where-Object path -Like '/token*')[0].path | Should -Match 'scope=repository%3Ateam%2Fapp%3Apull'
            @($requests | Where-Object { $_.path -like '/v2/team/app/*' -and $_.auth -eq 'Bearer' }).Count | Should -BeGreaterThan 1
            @($requests | Where-Object path -Like '/external/*').Count | Should -BeGreaterThan 0
            @($requests | Where-Object { $_.path -like '/external/*' -and $_.auth }) | Should -BeNullOrEmpty
        }
        finally { Stop-TestProcess $server }
    }

    It 'says which image is missing from a registry' {
        Import-PodImage "$($plain.Host)/test/nothing:1.0" -ErrorVariable failure -ErrorAction SilentlyContinue
        $failure[0].FullyQualifiedErrorId | Should -BeLike 'ImageNotFoundInRegistry*'
    }

    It 'refuses plain HTTP to a registry that is neither loopback nor named insecure' {
        Import-PodImage 'registry.invalid:5000/x:1' -ErrorVariable failure -ErrorAction SilentlyContinue
        $failure[0].FullyQualifiedErrorId | Should -BeLike 'RegistryUnreachable*'
    }

    It 'rejects a malformed reference' {
        Import-PodImage 'Bad Name!' -ErrorVariable failure -ErrorAction SilentlyContinue
        $failure[0].FullyQualifiedErrorId | Should -BeLike 'InvalidImageReference*'
    }

    It 'leaves no partial blob when stopped mid-pull (Ctrl+C)' {
        $big = Join-Path $work 'src/big'
        New-Item -ItemType Directory -Force $big | Out-Null
        & head -c 96M /dev/urandom > "$big/big.bin"
        $bigImage = New-TestOciLayout -Layout (Join-Path $work 'oci/big') -LayerFolders $big -Compression none
        Push-TestImage -Layout $bigImage.Layout -Registry $plain -Repository test/big -Tag 1.0
        $ps = [PowerShell]::Create()
        $null = $ps.AddScript('param($module, $reference) Import-Module $module; Import-PodImage -Reference $reference')
        $null = $ps.AddArgument((Join-Path $env:PODSHELL_TEST_MODULE 'PodShell.psd1')).AddArgument("$($plain.Host)/test/big:1.0")
        $handle = $ps.BeginInvoke()
        Wait-Until -TimeoutSeconds 30 -Because 'the download to start' {
            @($ps.Streams.Progress | Where-Object { $_.StatusDescription -like 'Downloading *' -and $_.PercentComplete -gt 0 }).Count -gt 0 -or $handle.IsCompleted
        } | Out-Null
        $ps.Stop()
        try { $ps.EndInvoke($handle) } catch { $null = $_ }
        $ps.Dispose()
        Test-Path (Get-StoreLayer $bigImage.Layers[0].DiffId) | Should -BeFalse
        Test-Path (Get-StoreBlob $bigImage.Layers[0].Digest) | Should -BeFalse
        Get-TempLeft | Should -BeNullOrEmpty
    }
}

Describe 'Import-PodImage -Path (archives)' {
    BeforeAll {
        $script:dockerArchive = Join-Path $work 'multi-docker.tar'
        Export-TestArchive -Layout $multiGzip.Layout -Format docker-archive -Destination $dockerArchive -Name 'example.com/team/multi:2.0'
        $script:ociArchive = Join-Path $work 'busybox-oci.tar'
        Export-TestArchive -Layout $busybox.Layout -Format oci-archive -Destination $ociArchive -Name 'example.com/team/bb:3.0'
    }

    It 'loads a docker save tarball (made by skopeo docker-archive)' {
        $images = @(Import-PodImage -Path $dockerArchive)
        $images.Count | Should -Be 1
        $images[0].Name | Should -Be 'example.com/team/multi:2.0'
        $images[0].Layers | Should -Be @($multiGzip.Layers.DiffId)
        $images[0].Entrypoint | Should -Be @('/bin/sh', '-c')
    }

    It 'loads an OCI archive (made by skopeo oci-archive)' {
        $images = @(Import-PodImage -Path $ociArchive)
        $images[0].Name | Should -Be 'example.com/team/bb:3.0'
        $images[0].Id | Should -Be $busybox.ConfigDigest
    }

    It 'loads an OCI layout folder and names it with -Tag' {
        $image = Import-PodImage -Path $corrupt.Layout -Tag local/corrupt-free:1
        $image.Name | Should -Be 'docker.io/local/corrupt-free:1'
        $image.Repository | Should -Be 'local/corrupt-free'
        Test-Path (Join-Path (Get-StoreLayer $corrupt.Layers[0].DiffId) 'random.bin') | Should -BeTrue
    }

    It 'refuses an archive whose entries climb out with ../ and writes nothing outside the store' {
        $evil = Join-Path $work 'evil-dotdot.tar'
        $marker = Join-Path $work "escaped-$([guid]::NewGuid().ToString('N').Substring(0, 6))"
        & python3 -c @"
import tarfile, io, sys
with tarfile.open(sys.argv[1], 'w') as t:
    data = b'pwned'
    info = tarfile.TarInfo('../../../../../../..' + sys.argv[2]); info.size = len(data)
    t.addfile(info, io.BytesIO(data))
"@ $evil $marker
        Import-PodImage -Path $evil -ErrorVariable failure -ErrorAction SilentlyContinue
        $failure[0].FullyQualifiedErrorId | Should -BeLike 'UnsafeArchiveEntry*'
        $failure[0].CategoryInfo.Category | Should -Be 'SecurityError'
        Test-Path $marker | Should -BeFalse
        Get-TempLeft | Should -BeNullOrEmpty
    }

    It 'refuses a layer with an absolute path, ../, or a write through its own symlink, and writes nothing outside' {
        $outside = Join-Path $work "outside-$([guid]::NewGuid().ToString('N').Substring(0, 6))"
        New-Item -ItemType Directory $outside | Out-Null
        foreach ($case in 'absolute', 'dotdot', 'symlink', 'hardlink') {
            $archive = Join-Path $work "evil-$case.tar"
            & python3 -c @"
import tarfile, io, json, hashlib, sys
case, outside, out = sys.argv[1], sys.argv[2], sys.argv[3]
layer = io.BytesIO()
with tarfile.open(fileobj=layer, mode='w', format=tarfile.PAX_FORMAT) as t:
    def add(name, data=b'pwned'):
        info = tarfile.TarInfo(name); info.size = len(data); t.addfile(info, io.BytesIO(data))
    if case == 'absolute': add(outside + '/abs.txt')
    if case == 'dotdot': add('etc/../../../../../../../..' + outside + '/dotdot.txt')
    if case == 'symlink':
        link = tarfile.TarInfo('escape'); link.type = tarfile.SYMTYPE; link.linkname = outside; t.addfile(link)
        add('escape/through-link.txt')
    if case == 'hardlink':
        link = tarfile.TarInfo('hard'); link.type = tarfile.LNKTYPE; link.linkname = '../../../../../../..' + outside + '/victim'; t.addfile(link)
layer = layer.getvalue()
diff = 'sha256:' + hashlib.sha256(layer).hexdigest()
config = json.dumps({'architecture': 'amd64', 'os': 'linux', 'rootfs': {'type': 'layers', 'diff_ids': [diff]}}).encode()
with tarfile.open(out, 'w') as t:
    def add(name, data):
        info = tarfile.TarInfo(name); info.size = len(data); t.addfile(info, io.BytesIO(data))
    add('config.json', config)
    add('layer.tar', layer)
    add('manifest.json', json.dumps([{'Config': 'config.json', 'RepoTags': ['evil/' + case + ':1'], 'Layers': ['layer.tar']}]).encode())
"@ $case $outside $archive
            if ($case -eq 'hardlink') { 'victim' | Set-Content "$outside/victim" }
            Import-PodImage -Path $archive -ErrorVariable failure -ErrorAction SilentlyContinue
            $failure[0].FullyQualifiedErrorId | Should -BeLike 'UnsafeLayerEntry*' -Because $case
            Get-PodImage "evil/${case}:1" -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            @(Get-ChildItem $outside | Where-Object Name -NE 'victim') | Should -BeNullOrEmpty -Because "nothing of the $case case lands outside"
        }
        Get-TempLeft | Should -BeNullOrEmpty
    }

    It 'says what a path that is no archive is' {
        Import-PodImage -Path (Join-Path $work 'nothing-here.tar') -ErrorVariable failure -ErrorAction SilentlyContinue
        $failure[0].FullyQualifiedErrorId | Should -BeLike 'ArchiveNotFound*'
    }
}

Describe 'Get-PodImage and Remove-PodImage' {
    It 'lists one row per name, with wildcards' {
        $all = @(Get-PodImage)
        $all.Name | Should -Contain "$($plain.Host)/test/busybox:1.0"
        $all.Name | Should -Contain 'docker.io/library/busybox:1.36'
        @(Get-PodImage 'busybox*').Name | Should -Be @('docker.io/library/busybox:1.36')
        (Get-PodImage busybox:1.36).Repository | Should -Be 'busybox'
        (Get-PodImage $busybox.ConfigDigest.Substring(7, 12)).Id | Should -Be $busybox.ConfigDigest
    }

    It 'says so for an image it does not have' {
        Get-PodImage nothing:here -ErrorVariable failure -ErrorAction SilentlyContinue
        $failure[0].FullyQualifiedErrorId | Should -BeLike 'ImageNotFound*'
    }

    It 'untags first, and deletes the image and its unshared layers with its last name' {
        $busyboxLayer = Get-StoreLayer $busybox.Layers[0].DiffId
        $multiOnly = Get-StoreLayer $multi.Layers[2].DiffId
        Get-PodImage "$($plain.Host)/test/multi:1.0", 'example.com/team/multi:2.0' -ErrorAction SilentlyContinue | Remove-PodImage -Confirm:$false
        Get-PodImage -ErrorAction SilentlyContinue | Where-Object Id -EQ $multi.ConfigDigest | Remove-PodImage -Confirm:$false
        @(Get-PodImage | Where-Object Id -EQ $multi.ConfigDigest) | Should -BeNullOrEmpty
        Test-Path $multiOnly | Should -BeFalse
        Test-Path (Get-StoreBlob $multi.Layers[2].Digest) | Should -BeFalse
        Test-Path $busyboxLayer | Should -BeTrue -Because 'the busybox images still use it'
    }

    It 'removes everything through the pipeline, leaving an empty store' {
        Get-PodImage | Remove-PodImage -Confirm:$false
        @(Get-PodImage) | Should -BeNullOrEmpty
        @(Get-ChildItem (Join-Path $env:PODSHELL_IMAGE_ROOT 'layers')) | Should -BeNullOrEmpty
        @(Get-ChildItem -Recurse -File (Join-Path $env:PODSHELL_IMAGE_ROOT 'blobs')) | Should -BeNullOrEmpty
    }
}
