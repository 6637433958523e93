# Helpers for the image tests: a local registry (Debian's docker-registry) on 127.0.0.1 with a free port,
# images built here as OCI layouts (busybox from the busybox-static package, plus hand-made layers), pushed
# with skopeo. Nothing comes from the internet; everything lives under one temp folder the caller removes.

function Get-FreeTcpPort {
    $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $listener.Start()
    try { $listener.LocalEndpoint.Port } finally { $listener.Stop() }
}

# Starts docker-registry on 127.0.0.1:<free port>; with -User/-Password it asks for htpasswd (bcrypt) basic auth.
function Start-TestRegistry {
    param([Parameter(Mandatory)] [string] $Folder, [string] $User, [string] $Password)
    New-Item -ItemType Directory -Force $Folder | Out-Null
    $auth = ''
    if ($User) {
        & htpasswd -Bbn $User $Password | Set-Content -Path (Join-Path $Folder 'htpasswd')
        if ($LASTEXITCODE -ne 0) { throw 'htpasswd failed.' }
        $auth = "auth:`n  htpasswd:`n    realm: podshell-test`n    path: $Folder/htpasswd`n"
    }
    for ($attempt = 0; $attempt -lt 5; $attempt++) {
        $port = Get-FreeTcpPort
        @"
version: 0.1
log:
  level: error
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $Folder/data
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$port
$auth
"@ | Set-Content -Path (Join-Path $Folder 'config.yml')
        $psi = [System.Diagnostics.ProcessStartInfo]::new('/usr/bin/docker-registry')
        $psi.ArgumentList.Add('serve'); $psi.ArgumentList.Add((Join-Path $Folder 'config.yml'))
        $psi.RedirectStandardOutput = $true; $psi.RedirectStandardError = $true; $psi.UseShellExecute = $false
        # docker-registry reads REGISTRY_* variables as configuration (REGISTRY_AUTH_FILE would set auth.file).
        foreach ($key in @($psi.Environment.Keys)) { if ($key -like 'REGISTRY_*') { [void] $psi.Environment.Remove($key) } }
        $process = [System.Diagnostics.Process]::Start($psi)
        $deadline = [DateTime]::UtcNow.AddSeconds(15)
        while ([DateTime]::UtcNow -lt $deadline -and -not $process.HasExited) {
            $code = & curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/v2/"
            if ($code -in '200', '401') {
                return [pscustomobject]@{ Host = "127.0.0.1:$port"; Port = $port; Process = $process; Folder = $Folder; User = $User; Password = $Password }
            }
            Start-Sleep -Milliseconds 100
        }
        if (-not $process.HasExited) { $process.Kill(); $process.WaitForExit(5000) | Out-Null }
    }
    throw 'docker-registry did not start.'
}

function Stop-TestRegistry {
    param($Registry)
    if ($Registry -and $Registry.Process -and -not $Registry.Process.HasExited) {
        $Registry.Process.Kill()
        $Registry.Process.WaitForExit(5000) | Out-Null
    }
}

function Get-Sha256 {
    param([string] $Path)
    'sha256:' + (Get-FileHash -Algorithm SHA256 -LiteralPath $Path).Hash.ToLowerInvariant()
}

function Get-BytesSha256 {
    param([byte[]] $Bytes)
    'sha256:' + [Convert]::ToHexString([System.Security.Cryptography.SHA256]::HashData($Bytes)).ToLowerInvariant()
}

# A tar of a folder's content as a layer, owned by root, in PAX format (GNU tar keeps hard links).
function New-TestLayerTar {
    param([Parameter(Mandatory)] [string] $Source, [Parameter(Mandatory)] [string] $Destination)
    & tar --format=posix --pax-option='delete=atime,delete=ctime' --numeric-owner --owner=0 --group=0 --sort=name --mtime='2024-01-02 03:04:05Z' -C $Source -cf $Destination .
    if ($LASTEXITCODE -ne 0) { throw "tar of $Source failed." }
}

# Adds one layer (a folder) to an OCI layout's blobs: returns its descriptor and diff id.
function Add-TestLayerBlob {
    param([string] $Layout, [string] $Source, [ValidateSet('gzip', 'zstd', 'none')] [string] $Compression = 'gzip')
    $work = Join-Path $Layout 'work'
    New-Item -ItemType Directory -Force $work | Out-Null
    $tar = Join-Path $work ([guid]::NewGuid().ToString('N') + '.tar')
    New-TestLayerTar -Source $Source -Destination $tar
    $diffId = Get-Sha256 $tar
    switch ($Compression) {
        'gzip' { & gzip -n -6 $tar; $blob = "$tar.gz"; $type = 'application/vnd.oci.image.layer.v1.tar+gzip' }
        'zstd' { & zstd -q --rm $tar -o "$tar.zst"; $blob = "$tar.zst"; $type = 'application/vnd.oci.image.layer.v1.tar+zstd' }
        'none' { $blob = $tar; $type = 'application/vnd.oci.image.layer.v1.tar' }
    }
    $digest = Get-Sha256 $blob
    $target = Join-Path $Layout "blobs/sha256/$($digest.Substring(7))"
    Move-Item -Force $blob $target
    [pscustomobject]@{ MediaType = $type; Digest = $digest; Size = (Get-Item $target).Length; DiffId = $diffId }
}

function Add-TestJsonBlob {
    param([string] $Layout, [string] $Json)
    $bytes = [System.Text.Encoding]::UTF8.GetBytes($Json)
    $digest = Get-BytesSha256 $bytes
    [System.IO.File]::WriteAllBytes((Join-Path $Layout "blobs/sha256/$($digest.Substring(7))"), $bytes)
    [pscustomobject]@{ Digest = $digest; Size = $bytes.Length }
}

# Writes an OCI image layout folder with one image made of the given layer folders (bottom first).
function New-TestOciLayout {
    param(
        [Parameter(Mandatory)] [string] $Layout,
        [Parameter(Mandatory)] [string[]] $LayerFolders,
        [string[]] $Compression,
        [hashtable] $Config = @{},
        [string] $RefName = 'latest'
    )
    New-Item -ItemType Directory -Force (Join-Path $Layout 'blobs/sha256') | Out-Null
    $layers = for ($i = 0; $i -lt $LayerFolders.Count; $i++) {
        $c = if ($Compression -and $i -lt $Compression.Count) { $Compression[$i] } else { 'gzip' }
        Add-TestLayerBlob -Layout $Layout -Source $LayerFolders[$i] -Compression $c
    }
    $arch = if ([System.Runtime.InteropServices.RuntimeInformation]::OSArchitecture -eq 'Arm64') { 'arm64' } else { 'amd64' }
    $configJson = [ordered]@{
        created      = '2024-01-02T03:04:05Z'
        architecture = $arch
        os           = 'linux'
        config       = $Config
        rootfs       = [ordered]@{ type = 'layers'; diff_ids = @($layers.DiffId) }
    } | ConvertTo-Json -Depth 6 -Compress
    $configBlob = Add-TestJsonBlob -Layout $Layout -Json $configJson
    $manifestJson = [ordered]@{
        schemaVersion = 2
        mediaType     = 'application/vnd.oci.image.manifest.v1+json'
        config        = [ordered]@{ mediaType = 'application/vnd.oci.image.config.v1+json'; digest = $configBlob.Digest; size = $configBlob.Size }
        layers        = @($layers | ForEach-Object { [ordered]@{ mediaType = $_.MediaType; digest = $_.Digest; size = $_.Size } })
    } | ConvertTo-Json -Depth 6 -Compress
    $manifestBlob = Add-TestJsonBlob -Layout $Layout -Json $manifestJson
    [ordered]@{
        schemaVersion = 2
        manifests     = @([ordered]@{
                mediaType   = 'application/vnd.oci.image.manifest.v1+json'
                digest      = $manifestBlob.Digest
                size        = $manifestBlob.Size
                annotations = @{ 'org.opencontainers.image.ref.name' = $RefName }
            })
    } | ConvertTo-Json -Depth 6 | Set-Content -Path (Join-Path $Layout 'index.json')
    '{"imageLayoutVersion":"1.0.0"}' | Set-Content -Path (Join-Path $Layout 'oci-layout')
    Remove-Item -Recurse -Force (Join-Path $Layout 'work') -ErrorAction Ignore
    [pscustomobject]@{ Layout = $Layout; ConfigDigest = $configBlob.Digest; ManifestDigest = $manifestBlob.Digest; Layers = $layers; RefName = $RefName }
}

# A busybox root filesystem from the busybox-static package, with a user 'app' (1000) and a group.
function New-TestBusyboxRoot {
    param([Parameter(Mandatory)] [string] $Folder)
    foreach ($d in 'bin', 'etc', 'tmp', 'root', 'home/app') { New-Item -ItemType Directory -Force (Join-Path $Folder $d) | Out-Null }
    Copy-Item /bin/busybox (Join-Path $Folder 'bin/busybox')
    foreach ($applet in 'sh', 'ls', 'cat', 'echo', 'sleep', 'id', 'stat', 'test', 'touch', 'env', 'pwd', 'true', 'false', 'rm', 'mkdir', 'kill', 'wc', 'grep') {
        New-Item -ItemType SymbolicLink -Path (Join-Path $Folder "bin/$applet") -Target 'busybox' | Out-Null
    }
    "root:x:0:0:root:/root:/bin/sh`napp:x:1000:1000:app:/home/app:/bin/sh" | Set-Content (Join-Path $Folder 'etc/passwd')
    "root:x:0:`napp:x:1000:" | Set-Content (Join-Path $Folder 'etc/group')
    & chmod 1777 (Join-Path $Folder 'tmp')
}

# Pushes an OCI layout to the registry with skopeo (an independent client).
function Push-TestImage {
    param([Parameter(Mandatory)] [string] $Layout, [Parameter(Mandatory)] $Registry, [Parameter(Mandatory)] [string] $Repository,
        [string] $RefName = 'latest', [string] $Tag = 'latest')
    $arguments = @('copy', '--quiet', '--dest-tls-verify=false', '--preserve-digests')
    if ($Registry.User) { $arguments += @('--dest-creds', "$($Registry.User):$($Registry.Password)") }
    $arguments += @("oci:${Layout}:$RefName", "docker://$($Registry.Host)/${Repository}:$Tag")
    $out = & skopeo @arguments 2>&1
    if ($LASTEXITCODE -ne 0) { throw "skopeo copy failed: $out" }
}

# skopeo writes other archive formats from a layout: docker-archive (docker save) or oci-archive.
function Export-TestArchive {
    param([string] $Layout, [string] $RefName = 'latest', [ValidateSet('docker-archive', 'oci-archive')] [string] $Format, [string] $Destination, [string] $Name)
    $target = if ($Format -eq 'docker-archive') { "docker-archive:${Destination}:$Name" } else { "oci-archive:${Destination}:$Name" }
    $out = & skopeo copy --quiet "oci:${Layout}:$RefName" $target 2>&1
    if ($LASTEXITCODE -ne 0) { throw "skopeo copy to $Format failed: $out" }
}

Export-ModuleMember -Function *
