BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-PodShellUnderTest
    $script:Examples = Join-Path $PSScriptRoot '../../examples'

    # Runs a script in a child pwsh as a user would (the state and cgroup roots of this run are inherited).
    function Invoke-Example([string] $Script, [string[]] $Arguments = @()) {
        $pwsh = @([Environment]::ProcessPath)
        if ((Split-Path -Leaf $pwsh[0]) -like 'dotnet*') { $pwsh += (Join-Path $PSHOME 'pwsh.dll') }
        $output = & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -File $Script -ModulePath $env:PODSHELL_TEST_MODULE @Arguments 2>&1
        [pscustomobject]@{ ExitCode = $LASTEXITCODE; Text = ($output | Out-String) }
    }
}

Describe 'examples/' {
    It 'pod-foo.ps1 (the demo) runs when a pod foo exists already, with a pod of its own, and leaves foo alone' {
        try {
            $foo = New-PodSandbox -Name foo
            $run = Invoke-Example (Join-Path $Examples 'pod-foo.ps1')
            $run.Text | Should -Match "A pod named 'foo' exists already on this node; the demo uses its own pod 'foo-[0-9a-f]{6}'"
            $run.ExitCode | Should -Be 0 -Because $run.Text
            $run.Text | Should -Match 'Directory listing'
            (Get-Pod foo).PausePid | Should -Be $foo.PausePid
            @(Get-Pod 'foo-*').Count | Should -Be 0
        }
        finally { Remove-TestPod foo }
    }

    It 'pod-foo.ps1 -Name <existing> says what to do' {
        $name = New-TestPodName 'taken'
        try {
            New-PodSandbox -Name $name | Out-Null
            $run = Invoke-Example (Join-Path $Examples 'pod-foo.ps1') @('-Name', $name)
            $run.ExitCode | Should -Not -Be 0
            $run.Text | Should -Match "A pod named '$name' exists already: remove it \(Remove-Pod $name -Force\) or pass another -Name"
        }
        finally { Remove-TestPod $name }
    }

    It '<script> runs to the end and removes its pod' -TestCases @(
        @{ script = 'shared-pid-namespace.ps1'; expect = '(?m)^\s+1 podshell-init' }
        @{ script = 'limits.ps1'; expect = 'OOMKilled' }
    ) {
        $run = Invoke-Example (Join-Path $Examples $script)
        $run.ExitCode | Should -Be 0 -Because $run.Text
        $run.Text | Should -Match $expect
        Get-Pod | Should -BeNullOrEmpty
    }

    It 'pod.Tests.ps1 passes under Pester' {
        $pwsh = @([Environment]::ProcessPath)
        if ((Split-Path -Leaf $pwsh[0]) -like 'dotnet*') { $pwsh += (Join-Path $PSHOME 'pwsh.dll') }
        $pester = (Get-Module Pester).Path
        $env:PODSHELL_MODULE = $env:PODSHELL_TEST_MODULE
        try {
            $script = "Import-Module '$pester'; `$r = Invoke-Pester '$(Join-Path $Examples 'pod.Tests.ps1')' -PassThru -Output None; '{0} {1}' -f `$r.PassedCount, `$r.FailedCount"
            $counts = & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -Command $script
            $counts | Select-Object -Last 1 | Should -Be '4 0'
        }
        finally { Remove-Item Env:PODSHELL_MODULE }
        Get-Pod | Should -BeNullOrEmpty
    }
}
