# The race suite (issue 7): four sessions (child pwsh processes) create, add, remove and list on one shared pod and on
# pods of their own at the same time, for 30 s. Only the documented outcomes of losing a race may appear as errors,
# and nothing is left behind: state folders, lock files, cgroup folders, processes, mounts (the leak check runs after
# this file too). Takes about 40 s.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-PodShellUnderTest
}

Describe 'Race: sessions that create, add, remove and list the same pods' -Tag 'Race' {
    BeforeAll {
        $script:Prefix = "race-$([guid]::NewGuid().ToString('N').Substring(0, 6))"
        $script:Shared = "$Prefix-shared"
        $script:Work = Join-Path ([IO.Path]::GetTempPath()) $Prefix
        New-Item -ItemType Directory -Force $Work | Out-Null
        $module = Join-Path $env:PODSHELL_TEST_MODULE 'PodShell.psd1'
        # Each session logs every error it gets as one JSON line: its id and message.
        $session = @'
param([string] $Module, [string] $Shared, [string] $Own, [string] $Role, [int] $Seconds, [string] $Log)
Import-Module $Module
$ErrorActionPreference = 'Continue'
$quiet = @{ ErrorAction = 'SilentlyContinue'; WarningAction = 'SilentlyContinue' }
$deadline = [DateTime]::UtcNow.AddSeconds($Seconds)
$i = 0
function Note($records) { foreach ($r in $records) { [pscustomobject]@{ Id = $r.FullyQualifiedErrorId; Message = "$($r.Exception.Message)" } | ConvertTo-Json -Compress | Add-Content $Log } }
while ([DateTime]::UtcNow -lt $deadline) {
    $i++
    $err = $null
    switch ($Role) {
        'create' {
            New-PodSandbox -Name $Shared -ErrorVariable +err @quiet | Out-Null
            Add-PodContainer -Pod $Shared -Name "c$i" -Image host -Command sleep, infinity -ErrorVariable +err @quiet | Out-Null
        }
        'remove' {
            Start-Sleep -Milliseconds (Get-Random -Maximum 300)
            Remove-Pod -Name $Shared -Force -Confirm:$false -Timeout 0 -ErrorVariable +err @quiet
        }
        'add' {
            Add-PodContainer -Pod $Shared -Name "a$i" -Image host -Command sleep, infinity -ErrorVariable +err @quiet | Out-Null
            Remove-PodContainer -Pod $Shared -Name "a$i" -Force -Confirm:$false -Timeout 0 -ErrorVariable +err @quiet
        }
        'list' {
            Get-Pod -ErrorVariable +err @quiet | Out-Null
            Get-Pod -Name $Shared -ErrorVariable +err @quiet | Out-Null
            Get-PodContainer -Pod $Shared -ErrorVariable +err @quiet | Out-Null
        }
    }
    # A pod of its own, made and removed whole, next to the shared one.
    $mine = "$Own-$i"
    New-PodSandbox -Name $mine -Network None -ErrorVariable +err @quiet | Add-PodContainer -Name c -Image host -Command sleep, infinity -ErrorVariable +err @quiet | Out-Null
    Remove-Pod -Name $mine -Force -Confirm:$false -Timeout 0 -ErrorVariable +err @quiet
    Note $err
}
"$i rounds" | Set-Content "$Log.done"
'@
        Set-Content "$Work/session.ps1" $session
        $pwsh = @([System.Environment]::ProcessPath)
        if ((Split-Path -Leaf $pwsh[0]) -like 'dotnet*') { $pwsh += Join-Path $PSHOME 'pwsh.dll' }
        $script:Roles = 'create', 'remove', 'add', 'list'
        $script:Sessions = foreach ($role in $Roles) {
            $psi = [System.Diagnostics.ProcessStartInfo]::new($pwsh[0])
            foreach ($a in @($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-File', "$Work/session.ps1", $module, $Shared, "$Prefix-$role", $role, '30', "$Work/$role.log")) { $psi.ArgumentList.Add($a) }
            $psi.UseShellExecute = $false
            [System.Diagnostics.Process]::Start($psi)
        }
        foreach ($p in $Sessions) { $p.WaitForExit(180000) | Out-Null }
        $script:Errors = @(Get-ChildItem $Work -Filter '*.log' | ForEach-Object { Get-Content $_ } | Where-Object { $_ } | ConvertFrom-Json)
    }
    AfterAll {
        foreach ($p in $Sessions) { if (-not $p.HasExited) { $p.Kill($true) } }
        Get-Pod -ErrorAction SilentlyContinue -WarningAction SilentlyContinue | Where-Object Name -Like "$Prefix*" | Remove-Pod -Force -Confirm:$false -Timeout 0 -ErrorAction SilentlyContinue
        Remove-Item -Recurse -Force $Work -ErrorAction Ignore
    }

    It 'ran the four sessions to the end' {
        foreach ($role in $Roles) { Test-Path "$Work/$role.log.done" | Should -BeTrue -Because "the $role session finished" }
        $rounds = foreach ($role in $Roles) { "$role $(Get-Content "$Work/$role.log.done")" }
        $lost = $Errors | Group-Object { ($_.Id -split ',')[0] } | ForEach-Object { "$($_.Name) x$($_.Count)" }
        Write-Host "Race rounds: $($rounds -join ', '); lost races: $(if ($lost) { $lost -join ', ' } else { 'none' })"
    }

    It 'gave only the documented errors of a lost race' {
        $documented = 'PodAlreadyExists', 'PodNotFound', 'ContainerAlreadyExists', 'ContainerNotFound', 'PodNotReady'
        $other = @($Errors | Where-Object { ($_.Id -split ',')[0] -notin $documented })
        ($other | ForEach-Object { "$($_.Id): $($_.Message)" } | Sort-Object -Unique) -join "`n" | Should -BeNullOrEmpty
    }

    It 'leaves nothing once the shared pod is removed: no state folder, lock file, mount, cgroup or process' {
        Remove-Pod -Name $Shared -Force -Confirm:$false -Timeout 0 -ErrorAction SilentlyContinue
        Get-Pod -WarningAction SilentlyContinue | Where-Object Name -Like "$Prefix*" | Should -BeNullOrEmpty
        @(Get-ChildItem -Force "$env:PODSHELL_ROOT/pods" -Directory -ErrorAction Ignore | Where-Object Name -Like "*$Prefix*") | Should -BeNullOrEmpty
        @(Get-ChildItem "$env:PODSHELL_ROOT/locks" -File -ErrorAction Ignore | Where-Object Name -Like "$Prefix*") | Should -BeNullOrEmpty
        @(Get-Content /proc/self/mountinfo | Where-Object { ($_ -split ' ')[4] -like "$env:PODSHELL_ROOT/pods/$Prefix*" }) | Should -BeNullOrEmpty
        $procs = foreach ($dir in Get-ChildItem /proc -Directory | Where-Object Name -Match '^\d+$') {
            $cmd = (Get-Content -Raw -ErrorAction Ignore "$($dir.FullName)/cmdline") -replace "`0", ' '
            if ($cmd -and $cmd.Contains("/pods/$Prefix")) { $cmd }
        }
        $procs | Should -BeNullOrEmpty
        foreach ($controller in 'memory', 'pids', 'devices', 'freezer') {
            $root = "/sys/fs/cgroup/$controller/$env:PODSHELL_CGROUP_ROOT_NAME"
            if (Test-Path $root) {
                @(Get-ChildItem $root -Recurse -Directory | Where-Object Name -Like 'pod*') |
                    Should -BeNullOrEmpty -Because "no pod cgroup is left in $controller"
                @(Get-ChildItem $root -Recurse -Filter cgroup.procs | Get-Content) | Should -BeNullOrEmpty -Because "no process is left in $controller"
            }
        }
    }
}
