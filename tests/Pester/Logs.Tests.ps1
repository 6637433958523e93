BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-PodShellUnderTest

    # The container's log as the shim wrote it (CRI lines), read from disk, not through PodShell.
    function Get-RawLogText([string] $Pod, [string] $Container) {
        @(Get-Content (Join-Path $env:PODSHELL_ROOT "pods/$Pod/containers/$Container/container.log") |
            ForEach-Object { ($_ -split ' ', 4)[3] })
    }
}

Describe 'Get-PodLog -Previous' {
    BeforeAll {
        $script:Name = New-TestPodName 'prev'
        New-PodSandbox -Name $Name | Out-Null
        # Run 1 prints a token and fails; the shim restarts it; run 2 prints another and stays (the pod's /dev/shm outlives runs).
        $script:Cmd = 'cat /proc/sys/kernel/random/uuid; if [ -f /dev/shm/again ]; then exec sleep 1000; fi; touch /dev/shm/again; exit 3'
        Add-PodContainer $Name -Name flaky -Command sh, -c, $Cmd -RestartPolicy OnFailure | Out-Null
        Add-PodContainer $Name -Name steady -Command sh, -c, 'echo steady; exec sleep 1000' | Out-Null
        Wait-Until -Because 'the restarted run' { (Get-PodContainer $Name flaky).RestartCount -eq 1 -and @(Get-RawLogText $Name flaky).Count -eq 2 } | Out-Null
    }
    AfterAll { Remove-TestPod $Name }

    It 'reads only the run before the restart (the log file holds both)' {
        $raw = Get-RawLogText $Name flaky
        Get-PodLog $Name flaky -Previous | Should -Be $raw[0]
        Get-PodLog $Name flaky | Should -Be $raw
    }

    It 'after Stop-PodContainer and Start-PodContainer, the previous run is the one stopped' {
        Stop-PodContainer $Name flaky -Timeout 0
        Start-PodContainer $Name flaky
        Wait-Until -Because 'the third run''s line' { @(Get-RawLogText $Name flaky).Count -eq 3 } | Out-Null
        $raw = Get-RawLogText $Name flaky
        Get-PodLog $Name flaky -Previous | Should -Be $raw[1]
    }

    It 'says PreviousLogNotAvailable for a container that was never restarted' {
        $err = $null
        Get-PodLog $Name steady -Previous -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'PreviousLogNotAvailable,*'
    }
}

Describe 'Get-PodLog -Since and mixed containers' {
    BeforeAll {
        $script:Name = New-TestPodName 'since'
        New-PodSandbox -Name $Name | Out-Null
        Add-PodContainer $Name -Name early -Command sh, -c, 'echo early-1; exec sleep 1000' | Out-Null
        Wait-Until -Because 'early''s line' { (Get-RawLogText $Name early) -contains 'early-1' } | Out-Null
        Start-Sleep -Milliseconds 1500
        $script:Between = Get-Date
        Add-PodContainer $Name -Name late -Command sh, -c, 'echo late-1; sleep 0.3; echo late-2; exec sleep 1000' | Out-Null
        Wait-Until -Because 'late''s lines' { (Get-RawLogText $Name late) -contains 'late-2' } | Out-Null
    }
    AfterAll { Remove-TestPod $Name }

    It 'takes a date, a TimeSpan and a duration such as 1s' {
        Get-PodLog $Name early -Since $Between | Should -BeNullOrEmpty
        Get-PodLog $Name late -Since $Between | Should -Be 'late-1', 'late-2'
        Get-PodLog $Name early -Since ([TimeSpan]::FromHours(1)) | Should -Be 'early-1'
        Get-PodLog $Name early -Since 1h | Should -Be 'early-1'
        Get-PodLog $Name early -Since '1s' | Should -BeNullOrEmpty
        Get-PodLog $Name early -Since '1d' | Should -Be 'early-1'
    }

    It 'says to quote 30s and 2d, which pwsh reads as numbers' {
        $e = { Get-PodLog $Name early -Since 30s -ErrorAction Stop } | Should -Throw -PassThru
        $e.Exception.Message | Should -Match "Quote the duration \(-Since '30s'"
    }

    It 'refuses a -Since that is neither a time nor a duration' {
        { Get-PodLog $Name early -Since 'soon' -ErrorAction Stop } | Should -Throw -ErrorId 'ParameterArgumentTransformationError,*'
    }

    It 'merges the containers of -All in time order, each line prefixed' {
        Get-PodLog $Name -All | Should -Be "[$Name/early] early-1", "[$Name/late] late-1", "[$Name/late] late-2"
        Get-PodLog $Name -All -Tail 1 | Should -Be "[$Name/early] early-1", "[$Name/late] late-2"
    }

    It 'prefixes a single container with -Prefix, and timestamps after the prefix' {
        Get-PodLog $Name early -Prefix | Should -Be "[$Name/early] early-1"
        Get-PodLog $Name early -Prefix -Timestamps | Should -Match "^\[$Name/early\] \d{4}-\d\d-\d\dT\S+Z early-1$"
    }

    It 'follows several containers at once until they stop' {
        $job = Start-ThreadJob -ArgumentList $Name, $env:PODSHELL_TEST_MODULE -ScriptBlock {
            param($Name, $Module)
            Import-Module (Join-Path $Module 'PodShell.psd1')
            Get-PodLog $Name -All -Follow
        }
        try {
            Start-Sleep -Milliseconds 800
            Stop-Pod $Name -Timeout 0
            $lines = $job | Wait-Job -Timeout 20 | Receive-Job
            $job.State | Should -Be 'Completed'
            $lines | Should -Contain "[$Name/early] early-1"
            $lines | Should -Contain "[$Name/late] late-2"
        }
        finally { $job | Remove-Job -Force }
    }
}
