# The cmdlets depend on the engine contract only: a fake engine adapter, loaded through PodShell's isolated
# load context and registered like the Docker adapter is, drives Invoke-PodCommand and Get-PodLog end to end.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-PodShellUnderTest
    $moduleDll = (Get-Module PodShell).Path -replace '\.psd1$', '.dll'
    if (-not (Test-Path $moduleDll)) { $moduleDll = Join-Path (Split-Path (Get-Module PodShell).Path) 'PodShell.dll' }
    $dependencies = Join-Path (Split-Path $moduleDll) 'Dependencies'
    $script:madeDependencies = -not (Test-Path $dependencies)
    New-Item -ItemType Directory -Force $dependencies | Out-Null
    $script:adapterPath = Join-Path $dependencies 'PodShell.FakeAdapter.dll'
    $source = Get-Content -Raw (Join-Path $PSScriptRoot '../Fixtures/FakeEngine.cs')
    # PodShell.dll targets net8.0 and this pwsh may run on a later runtime: the unification warnings (CS1701) are expected.
    Add-Type -TypeDefinition $source -ReferencedAssemblies $moduleDll, System.Linq, System.Collections, System.Runtime, System.Threading `
        -OutputAssembly $adapterPath -OutputType Library -IgnoreWarnings -WarningAction SilentlyContinue
    $script:previous = [PodShell.Engine.EngineRegistry]::Register('Docker', [Func[PodShell.Engine.IPodEngine]] { throw 'replaced below' })
    $script:kinds = [PodShell.Engine.EngineRegistry]::RegisterAdapter('PodShell.FakeAdapter')
    $script:fake = [PodShell.Engine.EngineRegistry]::Get('Docker')
}

AfterAll {
    if ($script:previous) { [PodShell.Engine.EngineRegistry]::Register('Docker', $script:previous) | Out-Null }
    else { [PodShell.Engine.EngineRegistry]::Unregister('Docker') }
    Remove-Item $script:adapterPath -ErrorAction Ignore
    if ($script:madeDependencies) { Remove-Item (Split-Path $script:adapterPath) -Recurse -Force -ErrorAction Ignore }
}

Describe 'An engine adapter' {
    It 'is loaded in PodShell''s own load context, not the default one' {
        $kinds | Should -Be @('Docker')
        $context = [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($fake.GetType().Assembly)
        $context.Name | Should -Be 'PodShell.Dependencies'
        $context | Should -Not -Be ([System.Runtime.Loader.AssemblyLoadContext]::Default)
        # The adapter shares PodShell.dll's types with the module (one contract), it does not load its own copy.
        [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext([PodShell.Engine.IPodEngine].Assembly) | Should -Be ([System.Runtime.Loader.AssemblyLoadContext]::Default)
        $fake -is [PodShell.Engine.IPodEngine] | Should -BeTrue
    }

    It 'owns its pods: Get-Pod lists them' {
        (Get-Pod -Name fake-pod).Engine | Should -Be 'Docker'
    }
}

Describe 'Invoke-PodCommand through the contract (fake engine)' {
    It 'streams stdout lines to the pipeline, stderr to the error stream, and sets $LASTEXITCODE' {
        $errors = $null
        $out = Invoke-PodCommand -Pod fake-pod -Container app -Environment @{ A = 'b' } -WorkingDirectory /w -ErrorVariable errors -ErrorAction SilentlyContinue -- echo hi exit 4
        $out | Should -Be @('echo hi exit 4', 'second line')
        $LASTEXITCODE | Should -Be 4
        $errors | Should -HaveCount 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'NativeCommandError*'
        $errors[0].Exception.Message | Should -Be 'to-stderr'
        $fake.LastExec.Command | Should -Be @('echo', 'hi', 'exit', '4')
        $fake.LastExec.Environment['A'] | Should -Be 'b'
        $fake.LastExec.WorkingDirectory | Should -Be '/w'
        $fake.LastExec.Tty | Should -BeFalse
    }

    It 'reports the engine''s error for a missing container' {
        $errors = $null
        Invoke-PodCommand -Pod fake-pod -Container nope -ErrorVariable errors -ErrorAction SilentlyContinue -- true
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'ContainerNotFound*'
    }
}

Describe 'Get-PodLog through the contract (fake engine)' {
    It 'writes the entries, passes -Tail to the engine, and formats -Timestamps' {
        Get-PodLog -Pod fake-pod -Container app | Should -Be @('entry 0', 'entry 1', 'entry 2', 'entry 3', 'entry 4')
        Get-PodLog -Pod fake-pod -Container app -Tail 2 | Should -Be @('entry 3', 'entry 4')
        $fake.LastLogQuery.Tail | Should -Be 2
        $fake.LastLogQuery.Follow | Should -BeFalse
        (Get-PodLog -Pod fake-pod -Container app -Tail 1 -Timestamps) | Should -Be '2024-01-02T03:04:09.1234567Z entry 4'
        $fake.LastLogQuery.Timestamps | Should -BeTrue
        Get-PodLog -Pod fake-pod -Container app -Follow | Should -HaveCount 5
        $fake.LastLogQuery.Follow | Should -BeTrue
    }

    It 'takes the container from the pipeline (by property name)' {
        $fake.GetContainers('fake-pod') | Get-PodLog -Tail 1 | Should -Be 'entry 4'
    }
}
