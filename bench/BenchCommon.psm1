# What every bench script shares (a module, so build.ps1 Bench does not run it as a bench).

# The median of a set of timings.
function Get-Median([double[]] $Values) {
    $sorted = @($Values | Sort-Object)
    if ($sorted.Count % 2) { $sorted[[int][math]::Floor($sorted.Count / 2)] } else { ($sorted[$sorted.Count / 2 - 1] + $sorted[$sorted.Count / 2]) / 2 }
}

# A CNI network of the run's own: its own config folder (PODSHELL_CNI_CONFIG_DIR), made the default network
# (PODSHELL_DEFAULT_NETWORK), with its own bridge and a free /24 of 10.200-254.x.x, no masquerading. So a
# bench never writes nor uses the node's default network (/etc/cni/net.d/87-podshell.conflist, bridge ps-podshell).
function New-BenchNetwork([string] $RunId, [string] $Name = "pb-$RunId") {
    $env:PODSHELL_CNI_CONFIG_DIR = "/run/podshell-bench-cni-$RunId"
    $env:PODSHELL_DEFAULT_NETWORK = $Name
    for ($try = 0; ; $try++) {
        $subnet = '10.{0}.{1}.0/24' -f (Get-Random -Minimum 200 -Maximum 255), (Get-Random -Maximum 256)
        try { return New-PodNetwork -Name $Name -Subnet $subnet -NoMasquerade -ErrorAction Stop }
        catch { if ($try -ge 20 -or $_.FullyQualifiedErrorId -notlike 'SubnetInUse*') { throw } }
    }
}

# Takes New-BenchNetwork's network away: its file, bridge and host-local folder, then the config folder.
function Remove-BenchNetwork([string] $Name) {
    Remove-PodNetwork -Name $Name -Force -Confirm:$false
    Remove-Item -Recurse -Force $env:PODSHELL_CNI_CONFIG_DIR -ErrorAction Ignore
}

Export-ModuleMember -Function Get-Median, New-BenchNetwork, Remove-BenchNetwork
