BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-PodShellUnderTest
}

Describe 'Name rules, as Kubernetes states them' {
    It 'takes a pod name of 100 characters (a DNS-1123 subdomain may have 253) and cuts its hostname to 63' {
        $name = 'long-' + ('x' * 87) + (New-TestPodName 'n').Substring(2)
        $name.Length | Should -BeGreaterThan 63
        try {
            $pod = New-PodSandbox -Name $name
            $pod.Name | Should -Be $name
            $pod.Hostname.Length | Should -Be 63
            # The witness: the uts namespace's hostname, read by nsenter.
            & nsenter -t $pod.PausePid -u hostname | Should -Be $pod.Hostname
        }
        finally { Remove-TestPod $name }
    }

    It 'refuses <case> with Kubernetes'' own words and leaves nothing behind' -TestCases @(
        @{ case = 'a pod name of 254 characters'; name = ('a' * 254); match = 'must be no more than 253 characters' }
        @{ case = 'upper case'; name = 'Foo'; match = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.'" }
        @{ case = 'a trailing dash'; name = 'foo-'; match = 'must start and end with an alphanumeric character' }
    ) {
        $err = $null
        New-PodSandbox -Name $name -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'InvalidPodName,*'
        $err[0].Exception.Message | Should -BeLike "*$match*"
        Test-Path (Join-Path $env:PODSHELL_ROOT "pods/$name") | Should -BeFalse
    }

    It 'refuses a container name of 64 characters: a DNS-1123 label has at most 63' {
        $pod = New-TestPodName 'cn'
        try {
            New-PodSandbox -Name $pod | Out-Null
            $err = $null
            Add-PodContainer $pod -Name ('c' * 64) -Command sleep, 1 -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].FullyQualifiedErrorId | Should -BeLike 'InvalidContainerName,*'
            $err[0].Exception.Message | Should -Match 'must be no more than 63 characters'
        }
        finally { Remove-TestPod $pod }
    }

    It 'points at the comma syntax when -Command is one string with spaces' {
        $pod = New-TestPodName 'cmd'
        try {
            New-PodSandbox -Name $pod | Out-Null
            $err = $null
            Add-PodContainer $pod -Name c -Command 'sleep 5' -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].FullyQualifiedErrorId | Should -BeLike 'CommandNotFound,*'
            $err[0].ErrorDetails.RecommendedAction | Should -Match '-Command sleep,5'
            Get-PodContainer $pod | Should -BeNullOrEmpty
        }
        finally { Remove-TestPod $pod }
    }
}

Describe 'Labels' {
    BeforeAll {
        $script:Web = New-TestPodName 'lblweb'
        $script:Db = New-TestPodName 'lbldb'
        $script:Bare = New-TestPodName 'lblbare'
        New-PodSandbox -Name $Web -Label @{ app = 'web'; tier = 'front'; 'example.com/team' = 'blue' } | Out-Null
        New-PodSandbox -Name $Db -Label @{ app = 'db'; tier = 'back' } | Out-Null
        New-PodSandbox -Name $Bare | Out-Null
        function script:Select-Test([string[]] $Selector) {
            @(Get-Pod -Label $Selector | Where-Object Name -In $Web, $Db, $Bare | ForEach-Object Name)
        }
    }
    AfterAll { Remove-TestPod $Web, $Db, $Bare }

    It 'selects with <selector>' -TestCases @(
        @{ selector = 'app=web'; expected = 'web' }
        @{ selector = 'app==db'; expected = 'db' }
        @{ selector = 'app!=web'; expected = 'db', 'bare' }
        @{ selector = 'app in (web,db)'; expected = 'web', 'db' }
        @{ selector = 'app notin (web)'; expected = 'db', 'bare' }
        @{ selector = 'tier'; expected = 'web', 'db' }
        @{ selector = '!tier'; expected = 'bare' }
        @{ selector = 'app=web,tier=back'; expected = @() }
        @{ selector = 'example.com/team=blue'; expected = 'web' }
    ) {
        $names = @{ web = $Web; db = $Db; bare = $Bare }
        $want = @($expected | ForEach-Object { $names[$_] } | Sort-Object)
        @(Select-Test $selector | Sort-Object) | Should -Be $want
    }

    It 'joins what pwsh split at commas: -Label app=web,tier=front' {
        Select-Test 'app=web', 'tier=front' | Should -Be @($Web)
    }

    It 'shows labels in the table' {
        (Get-Pod $Web | Out-String -Width 200) | Should -Match 'app=web,example\.com/team=blue,tier=front'
    }

    It 'refuses a bad selector: <selector>' -TestCases @(
        @{ selector = 'app in web' }, @{ selector = 'app=we b' }, @{ selector = 'a,,b' }, @{ selector = '-bad=x' }
    ) {
        { Get-Pod -Label $selector -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidLabelSelector,*'
    }

    It 'refuses label key <key> as Kubernetes does' -TestCases @(
        @{ key = 'bad key'; id = 'InvalidLabelKey' }
        @{ key = ('k' * 64); id = 'InvalidLabelKey' }
        @{ key = 'Example.com/x'; id = 'InvalidLabelKey' }
        @{ key = 'a/b/c'; id = 'InvalidLabelKey' }
    ) {
        $name = New-TestPodName 'lblbad'
        $err = $null
        New-PodSandbox -Name $name -Label @{ $key = 'v' } -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike "$id,*"
        Get-Pod $name -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'refuses a label value of 64 characters' {
        $name = New-TestPodName 'lblbad'
        $err = $null
        New-PodSandbox -Name $name -Label @{ app = ('v' * 64) } -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'InvalidLabelValue,*'
    }
}
