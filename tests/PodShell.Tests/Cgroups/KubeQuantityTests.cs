using System;
using PodShell.Cgroups;
using Xunit;

namespace PodShell.Tests.Cgroups;

public class KubeQuantityTests
{
    [Theory]
    [InlineData("500m", 500)]
    [InlineData("0.5", 500)]
    [InlineData("2", 2000)]
    [InlineData("1.0001", 1001)] // Quantity.MilliValue rounds up
    [InlineData("100u", 1)]
    [InlineData("0", 0)]
    [InlineData("1e3", 1_000_000)]
    public void ParsesCpuToMillicores(string quantity, long milli) => Assert.Equal(milli, KubeQuantity.ParseCpuMilli(quantity));

    [Theory]
    [InlineData("256Mi", 268435456)]
    [InlineData("1G", 1_000_000_000)]
    [InlineData("128974848", 128974848)]
    [InlineData("129e6", 129_000_000)]
    [InlineData("0.5Gi", 536870912)]
    [InlineData("1.5k", 1500)]
    [InlineData("1m", 1)] // a thousandth of a byte rounds up to one
    public void ParsesBytes(string quantity, long bytes) => Assert.Equal(bytes, KubeQuantity.ParseBytes(quantity));

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("12Q")]
    [InlineData("1.2.3")]
    [InlineData("-1")]
    [InlineData("1e")]
    public void RejectsWhatIsNotAQuantity(string quantity) =>
        Assert.ThrowsAny<FormatException>(() => KubeQuantity.ParseBytes(quantity));

    [Theory]
    [InlineData(0, 2)]
    [InlineData(1, 2)]
    [InlineData(500, 512)]
    [InlineData(1000, 1024)]
    [InlineData(1_000_000, 262144)]
    public void SharesAsKubeletComputesThem(long milli, ulong shares) => Assert.Equal(shares, KubeQuantity.SharesFromMilli(milli));

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 1000)]
    [InlineData(250, 25000)]
    [InlineData(500, 50000)]
    [InlineData(2000, 200000)]
    public void QuotaAsKubeletComputesIt(long milli, long quota) => Assert.Equal(quota, KubeQuantity.QuotaFromMilli(milli));

    [Theory]
    [InlineData(0UL, 0UL)]
    [InlineData(2UL, 1UL)]
    [InlineData(1024UL, 39UL)]
    [InlineData(262144UL, 10000UL)]
    public void WeightFromSharesWithRuncsFormula(ulong shares, ulong weight) => Assert.Equal(weight, KubeQuantity.WeightFromShares(shares));
}
