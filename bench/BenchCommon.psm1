# What every bench script shares (a module, so build.ps1 Bench does not run it as a bench).

# The median of a set of timings.
function Get-Median([double[]] $Values) {
    $sorted = @($Values | Sort-Object)
    if ($sorted.Count % 2) { $sorted[[int][math]::Floor($sorted.Count / 2)] } else { ($sorted[$sorted.Count / 2 - 1] + $sorted[$sorted.Count / 2]) / 2 }
}

Export-ModuleMember -Function Get-Median
