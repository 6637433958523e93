# Every cmdlet's help, and every example in it run for real against the article's pod foo (in this
# run's own state root, so 'foo' is free). Examples that cannot run here are listed with the reason.
BeforeDiscovery {
    $helpFile = Join-Path $env:PODSHELL_TEST_MODULE 'en-US/PodShell.dll-Help.xml'
    $xml = [xml](Get-Content -Raw $helpFile)
    $ns = [System.Xml.XmlNamespaceManager]::new($xml.NameTable)
    $ns.AddNamespace('command', 'http://schemas.microsoft.com/maml/dev/command/2004/10')
    $ns.AddNamespace('dev', 'http://schemas.microsoft.com/maml/dev/2004/10')
    $ns.AddNamespace('maml', 'http://schemas.microsoft.com/maml/2004/10')

    # Examples not run, and why.
    $skip = @{
        'Add-PodContainer#3'        = 'illustrative: needs a busybox rootfs at /srv/rootfs/busybox'
        'Get-PodLog#2'              = 'follows the log until Ctrl+C'
        'Get-PodNamespace#3'        = 'illustrative process ids 4242 and 4243'
        'New-Pod#2'                 = 'illustrative: ./nginx.yaml is the reader''s own file'
        'New-Pod#3'                 = 'illustrative: ./pod.yaml is the reader''s own file'
        'New-Pod#4'                 = 'illustrative: ./pod.yaml is the reader''s own file'
        'ConvertFrom-PodManifest#2' = 'illustrative: ./web.yaml is the reader''s own file'
        'ConvertFrom-PodManifest#3' = 'illustrative: ./pods.yaml is the reader''s own file'
        'Set-PodCgroupLimit#3'      = 'needs a cgroup v2 node (-Unified); this one is hybrid'
        'Export-PodManifest#1'      = 'makes foo again from its own manifest while foo exists (shows the round trip, fails by design here)'
    }
    # Examples that show an error on purpose: run without stopping at non-terminating errors.
    $showsErrors = @('Get-PodNamespace#6', 'Invoke-PodCommand#3')

    $script:Examples = foreach ($command in $xml.SelectNodes('//command:command', $ns)) {
        $name = $command.SelectSingleNode('command:details/command:name', $ns).InnerText
        $i = 0
        foreach ($example in $command.SelectNodes('command:examples/command:example', $ns)) {
            $i++
            $key = "$name#$i"
            $code = $example.SelectSingleNode('dev:code', $ns).InnerText
            $reason = $skip[$key]
            if (-not $reason -and $code -match 'Enter-PodContainer|\s-it\b|-Interactive|-Tty\b') { $reason = 'needs a terminal (Enter-PodContainer.Tests.ps1 drives the interactive path in tmux)' }
            if (-not $reason -and $code -match 'PodNetwork|-Network\b') { $reason = 'changes the CNI networks this test run shares with Pod-Network.Tests.ps1, which covers those cmdlets' }
            if (-not $reason -and $code -match '\s-Watch\b|\s-Follow\b') { $reason = 'runs until Ctrl+C' }
            if (-not $reason -and $code -match 'PodImage|localhost:5000|busybox:|\.tar\b') { $reason = 'needs a registry or images in the store (Image tests start their own registry)' }
            if (-not $reason -and $code -match 'Docker') { $reason = 'needs Docker as the session''s engine (Docker-Engine.Tests.ps1 runs the Docker engine against its private daemon)' }
            @{ Key = $key; Code = $code; Skip = [bool] $reason; Reason = $reason; ShowsErrors = $key -in $showsErrors }
        }
    }
    $script:Commands = @((Import-PowerShellDataFile (Join-Path $env:PODSHELL_TEST_MODULE 'PodShell.psd1')).CmdletsToExport | ForEach-Object { @{ Name = $_ } })
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-PodShellUnderTest
    $script:Repo = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path

    # The article's pod, with shells that end on SIGTERM so stop examples need not wait out grace periods.
    function New-FooPod {
        $pod = New-PodSandbox -Name foo
        $pod | Add-PodContainer -Name app -Command sh, -c, 'trap "exit 0" TERM; python3 -m http.server 80 & wait' -Memory 256Mi -Cpu 0.5 | Out-Null
        $pod | Add-PodContainer -Name sidecar -Command sh, -c, 'trap "exit 0" TERM; sleep infinity & wait' -Memory 128Mi | Out-Null
    }

    function Remove-EveryPod { Get-Pod | ForEach-Object { Remove-Pod $_.Name -Force -Timeout 0 -ErrorAction SilentlyContinue } }
}

Describe 'Help of <Name>' -ForEach $Commands {
    It 'has a synopsis, a description, examples and every parameter documented' {
        $help = Get-Help $Name -Full
        $help.Synopsis | Should -Not -BeLike "*$Name*[[]*" # not the generated syntax stub
        $help.description | Should -Not -BeNullOrEmpty
        @($help.examples.example).Count | Should -BeGreaterThan 0
        $documented = @($help.parameters.parameter.name)
        $common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
        foreach ($p in (Get-Command $Name).Parameters.Values) {
            if ($p.Name -in $common -or $p.Attributes.DontShow -contains $true) { continue }
            $documented | Should -Contain $p.Name -Because "$Name -$($p.Name) needs help"
        }
    }
}

Describe 'about_PodShell' {
    It 'is found by Get-Help' {
        (Get-Help about_PodShell | Out-String) | Should -Match 'PODSHELL_ROOT'
    }
}

Describe 'Help example <Key>' -ForEach $Examples {
    BeforeEach {
        Remove-EveryPod
        # Examples that make foo themselves get a node without it.
        if ($Code -notmatch 'New-PodSandbox -Name foo|New-Pod -Path examples/pod-foo.yaml') { New-FooPod }
        $script:Scratch = Join-Path ([IO.Path]::GetTempPath()) ("podshell-help-" + [guid]::NewGuid().ToString('N').Substring(0, 8))
        New-Item -ItemType Directory $Scratch | Out-Null
        # Example paths are relative to the repository (examples/pod-foo.yaml) or to a scratch folder.
        Copy-Item -Recurse (Join-Path $Repo 'examples') $Scratch
        Push-Location $Scratch
        # An example may set session defaults (the engine); the next test must not inherit them.
        $script:SavedEngine = $env:PODSHELL_ENGINE
        $script:SavedDefaults = $global:PSDefaultParameterValues.Clone()
    }
    AfterEach {
        $env:PODSHELL_ENGINE = $SavedEngine
        $global:PSDefaultParameterValues = $SavedDefaults
        Pop-Location
        Remove-EveryPod
        Remove-Item -Recurse -Force $Scratch -ErrorAction Ignore
    }

    It 'runs' -Skip:$Skip {
        # Examples use the default cgroup root's name; this run has its own.
        $text = $Code -replace '/podshell(?=/|\s|$)', "/$env:PODSHELL_CGROUP_ROOT"
        $preference = if ($ShowsErrors) { 'Continue' } else { 'Stop' }
        $block = [scriptblock]::Create("`$ErrorActionPreference = '$preference'`n$text")
        { & $block *> $null } | Should -Not -Throw
    }
}
