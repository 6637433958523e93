BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-PodShellUnderTest

    $script:Id = [guid]::NewGuid().ToString('N').Substring(0, 8)
    $script:Work = Join-Path ([IO.Path]::GetTempPath()) "podshell-cp-$Id"
    $script:Rootfs = Join-Path $Work 'rootfs'
    # A node folder a symlink in the container names by an absolute path: the copy must never reach it.
    $script:NodeSecret = "/tmp/podshell-cp-secret-$Id"
    New-Item -ItemType Directory -Force $NodeSecret | Out-Null
    Set-Content "$NodeSecret/secret" 'node-secret'

    # A minimal root (sh, cat, sleep and their libraries), with symlinks that point out of it.
    foreach ($bin in '/bin/sh', '/bin/cat', '/bin/sleep') {
        $real = (Get-Item $bin).ResolvedTarget ?? $bin
        $files = @($bin) + @(& ldd $real | ForEach-Object { if ($_ -match '(/\S+)') { $Matches[1] } })
        foreach ($f in $files) {
            $target = Join-Path $Rootfs $f
            New-Item -ItemType Directory -Force (Split-Path $target) | Out-Null
            Copy-Item -LiteralPath ((Get-Item $f).ResolvedTarget ?? $f) $target -Force
        }
    }
    foreach ($dir in 'proc', 'dev', 'sys', 'etc', 'tmp', 'data') { New-Item -ItemType Directory -Force (Join-Path $Rootfs $dir) | Out-Null }
    Set-Content (Join-Path $Rootfs 'etc/marker') 'from-the-rootfs'
    New-Item -ItemType SymbolicLink -Path (Join-Path $Rootfs 'tmp/out-abs') -Target $NodeSecret | Out-Null
    New-Item -ItemType SymbolicLink -Path (Join-Path $Rootfs 'tmp/out-rel') -Target "../../../../..$NodeSecret" | Out-Null
    New-Item -ItemType SymbolicLink -Path (Join-Path $Rootfs 'data/marker-link') -Target '/etc/marker' | Out-Null

    $script:Name = New-TestPodName 'cp'
    New-PodSandbox -Name $Name | Out-Null
    $script:C = Add-PodContainer $Name -Name box -RootFs $Rootfs -Command /bin/sleep, 1000

    # The container's view, read by util-linux's nsenter in its mount namespace and root (not by PodShell).
    function Read-InContainer([string] $Path) { & nsenter -t $C.Pid -m -r /bin/cat $Path 2>$null }

    $script:Local = Join-Path $Work 'local'
    New-Item -ItemType Directory -Force "$Local/tree/sub" | Out-Null
    Set-Content "$Local/one.txt" 'one'
    Set-Content "$Local/tree/a.txt" 'a'
    Set-Content "$Local/tree/sub/b.txt" 'b'
    & chmod 0750 "$Local/tree/sub/b.txt"
    New-Item -ItemType SymbolicLink -Path "$Local/tree/link" -Target 'a.txt' | Out-Null
}

AfterAll {
    Remove-TestPod $Name
    Remove-Item -Recurse -Force $Work, $NodeSecret -ErrorAction Ignore
}

Describe 'Copy-PodItem into a container' {
    It 'copies a file to a new path' {
        Copy-PodItem "$Local/one.txt" "$Name/box:/tmp/one-copy.txt"
        Read-InContainer /tmp/one-copy.txt | Should -Be 'one'
    }

    It 'copies a file into an existing folder under its own name (pod:/path takes the only container)' {
        Copy-PodItem "$Local/one.txt" "${Name}:/data"
        Read-InContainer /data/one.txt | Should -Be 'one'
    }

    It 'copies a folder with its files, modes and symlinks' {
        Copy-PodItem "$Local/tree" "$Name/box:/data/"
        Read-InContainer /data/tree/sub/b.txt | Should -Be 'b'
        & nsenter -t $C.Pid -m -r /bin/sh -c 'cd /data/tree; echo */; [ -L link ] && echo is-link' | Should -Be @('sub/', 'is-link')
        (& stat -c '%a' "/proc/$($C.Pid)/root/data/tree/sub/b.txt") | Should -Be '750'
    }

    It 'copies a folder''s contents only with /.' {
        Copy-PodItem "$Local/tree/." "$Name/box:/tmp"
        Read-InContainer /tmp/a.txt | Should -Be 'a'
    }

    It 'writes into the container''s upper layer, never the image folder' {
        Test-Path (Join-Path $Rootfs 'tmp/one-copy.txt') | Should -BeFalse
    }

    It 'keeps a path with .. inside the container''s root' {
        $err = $null
        Copy-PodItem "$Local/one.txt" "$Name/box:/../../../..$NodeSecret/planted" -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'PathNotFound,*'
        Test-Path "$NodeSecret/planted" | Should -BeFalse
    }

    It 'never follows a symlink out of the container (<link>)' -TestCases @(@{ link = 'out-abs' }, @{ link = 'out-rel' }) {
        $err = $null
        Copy-PodItem "$Local/one.txt" "$Name/box:/tmp/$link/planted" -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'PathNotFound,*'
        Test-Path "$NodeSecret/planted" | Should -BeFalse
        (Get-Content "$NodeSecret/secret") | Should -Be 'node-secret'
    }

    It 'refuses what makes no sense, saying why: <case>' -TestCases @(
        @{ case = 'no container side'; src = 'one.txt'; dst = 'x'; id = 'InvalidCopyPath' }
        @{ case = 'a missing local file'; src = 'nope'; dst = 'CT:/tmp'; id = 'PathNotFound' }
        @{ case = 'a missing container folder'; src = 'one.txt'; dst = 'CT:/no/such/dir/x'; id = 'PathNotFound' }
        @{ case = 'a folder onto a file'; src = 'tree'; dst = 'CT:/etc/marker'; id = 'InvalidCopyPath' }
    ) {
        $d = $dst -replace '^CT', "$Name/box"
        $err = $null
        Copy-PodItem (Join-Path $Local $src) $d -ErrorVariable err -ErrorAction SilentlyContinue 2>$null
        $err[0].FullyQualifiedErrorId | Should -BeLike "$id,*"
    }
}

Describe 'Copy-PodItem out of a container' {
    It 'copies a file out' {
        Copy-PodItem "$Name/box:/etc/marker" "$Work/marker.txt"
        Get-Content "$Work/marker.txt" | Should -Be 'from-the-rootfs'
    }

    It 'copies a folder out, symlinks as links' {
        Copy-PodItem "$Name/box:/data/tree" "$Work/back"
        Get-Content "$Work/back/sub/b.txt" | Should -Be 'b'
        (Get-Item "$Work/back/link").LinkTarget | Should -Be 'a.txt'
    }

    It 'resolves a symlink inside the container''s root: /data/marker-link/.. is the container''s /etc' {
        Copy-PodItem "$Name/box:/data/marker-link" "$Work/the-link"
        (Get-Item "$Work/the-link").LinkTarget | Should -Be '/etc/marker'
    }

    It 'never reads the node''s files through a symlink (<link>)' -TestCases @(@{ link = 'out-abs' }, @{ link = 'out-rel' }) {
        $err = $null
        Copy-PodItem "$Name/box:/tmp/$link/secret" "$Work/stolen-$link" -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'PathNotFound,*'
        Test-Path "$Work/stolen-$link" | Should -BeFalse
    }

    It 'says ContainerNotRunning for a stopped container' {
        Stop-PodContainer $Name box -Timeout 0
        try {
            $err = $null
            Copy-PodItem "$Name/box:/etc/marker" "$Work/x" -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].FullyQualifiedErrorId | Should -BeLike 'ContainerNotRunning,*'
        }
        finally {
            Start-PodContainer $Name box
            $script:C = Get-PodContainer $Name box
        }
    }
}
