<#
.SYNOPSIS
    The article's pod "foo", built natively: an HTTP server "app" and a "sidecar" that reaches it
    over localhost, because the two containers share the pause's network namespace.
.EXAMPLE
    ./examples/pod-foo.ps1 -ModulePath ./out/PodShell
#>
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '../out/PodShell'),
    [string] $Name = 'foo',
    # Keep the pod at the end instead of removing it.
    [switch] $Keep
)
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $ModulePath 'PodShell.psd1') -Force

if (Get-Pod $Name -ErrorAction Ignore) {
    if ($PSBoundParameters.ContainsKey('Name')) {
        Write-Host "A pod named '$Name' exists already: remove it (Remove-Pod $Name -Force) or pass another -Name."
        exit 1
    }
    # The node has its own foo: the demo makes one of its own and leaves that one alone.
    $Name = 'foo-' + [guid]::NewGuid().ToString('N').Substring(0, 6)
    Write-Host "A pod named 'foo' exists already on this node; the demo uses its own pod '$Name' and leaves 'foo' alone."
}

Write-Host "== New-PodSandbox -Name $Name : the pause process and the pod's namespaces"
$pod = New-PodSandbox -Name $Name
try {
    Write-Host '== Add-PodContainer: app (python3 http.server on port 80) and sidecar'
    $pod | Add-PodContainer -Name app -Image host -Command python3, -m, http.server, 80 -Memory 256MB -Cpu 0.5 | Out-Null
    $pod | Add-PodContainer -Name sidecar -Image host -Command sleep, infinity -Memory 128MB | Out-Null
    Get-Pod $Name | Format-Table | Out-Host
    Get-PodContainer -Pod $Name | Format-Table | Out-Host

    Write-Host "== Invoke-PodCommand $Name sidecar -- curl -s localhost:80"
    $page = $null
    for ($try = 0; $try -lt 50 -and -not $page; $try++) {
        $page = Invoke-PodCommand -Pod $Name -Container sidecar -ErrorAction SilentlyContinue -- curl -s --max-time 2 http://localhost:80/
        if (-not $page) { Start-Sleep -Milliseconds 100 }
    }
    if (-not $page) { throw 'The sidecar could not reach the app over localhost.' }
    $page | Select-Object -First 6 | Out-Host
    Write-Host "(from the node, localhost:80 is another network: curl exits with $(& curl -s --max-time 1 -o /dev/null http://localhost:80/ 2>$null; $LASTEXITCODE))"

    Write-Host "== Get-Pod $Name | Get-PodNamespace : net, ipc and uts are shared; mnt and pid are not"
    Get-Pod $Name | Get-PodNamespace | Format-Table | Out-Host

    Write-Host "== Get-Pod $Name | Get-PodCgroup : the pod's cgroup tree with its limits"
    Get-Pod $Name | Get-PodCgroup | Format-Table | Out-Host
}
finally {
    if (-not $Keep) {
        Write-Host "== Remove-Pod $Name"
        # python3 and sleep run as PID 1 without a SIGTERM handler, so they would wait out a long grace period.
        Remove-Pod -Name $Name -Force -Confirm:$false -Timeout 2
    }
}
