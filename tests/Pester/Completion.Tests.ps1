BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-PodShellUnderTest

    function Get-Completion([string] $Line) {
        @((TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches.CompletionText)
    }

    $script:PodA = New-TestPodName 'cmpa'
    $script:PodB = New-TestPodName 'cmpb'
    New-PodSandbox -Name $PodA | Out-Null
    Add-PodContainer $PodA -Name app -Command sleep, infinity | Out-Null
    Add-PodContainer $PodA -Name sidecar -Command sleep, infinity -NoStart | Out-Null
    New-PodSandbox -Name $PodB | Out-Null
    Add-PodContainer $PodB -Name db -Command sleep, infinity -NoStart | Out-Null
}

AfterAll { Remove-TestPod $PodA, $PodB }

Describe 'Tab completion of pod names' {
    It 'completes -Name of <command>' -TestCases @(
        @{ command = 'Get-Pod' }, @{ command = 'Start-Pod' }, @{ command = 'Stop-Pod' }, @{ command = 'Remove-Pod' },
        @{ command = 'Restart-Pod' }, @{ command = 'Suspend-Pod' }, @{ command = 'Resume-Pod' }
    ) {
        $prefix = $PodA.Substring(0, 6)
        Get-Completion "$command -Name $prefix" | Should -Contain $PodA
        Get-Completion "$command $prefix" | Should -Contain $PodA
        Get-Completion "$command $prefix" | Should -Not -Contain $PodB
    }

    It 'completes -Pod of <command>' -TestCases @(
        @{ command = 'Add-PodContainer' }, @{ command = 'Get-PodContainer' }, @{ command = 'Get-PodLog' },
        @{ command = 'Invoke-PodCommand' }, @{ command = 'Start-PodContainer' }, @{ command = 'Stop-PodContainer' },
        @{ command = 'Remove-PodContainer' }, @{ command = 'Wait-PodContainer' }, @{ command = 'Get-PodCgroup' },
        @{ command = 'Get-PodNamespace' }
    ) {
        Get-Completion "$command -Pod $($PodB.Substring(0, 6))" | Should -Be @($PodB)
    }

    It 'completes only the containers of the pod typed, named or by position, for <command>' -TestCases @(
        @{ command = 'Get-PodLog'; parameter = '-Container' }, @{ command = 'Invoke-PodCommand'; parameter = '-Container' },
        @{ command = 'Start-PodContainer'; parameter = '-Name' }, @{ command = 'Stop-PodContainer'; parameter = '-Name' },
        @{ command = 'Remove-PodContainer'; parameter = '-Name' }, @{ command = 'Get-PodContainer'; parameter = '-Name' },
        @{ command = 'Wait-PodContainer'; parameter = '-Name' }
    ) {
        Get-Completion "$command -Pod $PodA $parameter " | Should -Be @('app', 'sidecar')
        Get-Completion "$command -Pod $PodA $parameter s" | Should -Be @('sidecar')
        Get-Completion "$command -Pod $PodB $parameter " | Should -Be @('db')
    }

    It 'completes the container given by position after the pod (Get-PodLog foo <Tab>)' {
        Get-Completion "Get-PodLog $PodA " | Should -Be @('app', 'sidecar')
        Get-Completion "Stop-PodContainer $PodB " | Should -Be @('db')
    }

    It 'offers the containers of every pod a wildcard -Pod matches' {
        $both = Get-Completion "Get-PodContainer -Pod cmp* -Name "
        $both | Should -Contain 'app'
        $both | Should -Contain 'db'
    }

    It 'keeps a quote the user started' {
        Get-Completion "Get-Pod '$($PodA.Substring(0, 6))" | Should -Contain "'$PodA'"
    }

    It 'lists 100 pods from their state folders alone (no pod state is read; bench/completion.ps1 times it)' {
        # Bare folders: completion reads names only, so folders without any pod.json are offered too.
        $pods = Join-Path $env:PODSHELL_ROOT 'pods'
        $made = foreach ($i in 1..100) { $p = Join-Path $pods ('cmpmany-{0:d3}' -f $i); New-Item -ItemType Directory $p | Out-Null; $p }
        try {
            $found = Get-Completion 'Get-Pod cmpmany-'
            $found.Count | Should -Be 100
            $found[0] | Should -Be 'cmpmany-001'
        }
        finally { $made | Remove-Item -Recurse -Force }
    }
}
