using System.Linq;
using PodShell.Init.Roles;
using PodShell.Protocol;
using Xunit;

namespace PodShell.Tests.Init;

public class RestartBackoffTests
{
    [Fact]
    public void DoublesFromTheBaseUpToTheMaximum()
    {
        var backoff = new RestartBackoff(10_000, 300_000, 600_000);
        var delays = Enumerable.Range(0, 8).Select(_ => backoff.Next(lastRunMilliseconds: 1)).ToArray();
        Assert.Equal(new[] { 10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000, 300_000 }, delays);
    }

    [Fact]
    public void ALongEnoughRunResetsIt()
    {
        var backoff = new RestartBackoff(10, 1000, 600_000);
        backoff.Next(1);
        backoff.Next(1);
        Assert.Equal(40, backoff.Next(599_999));
        Assert.Equal(10, backoff.Next(600_000));
    }

    [Theory]
    [InlineData(ShimRestartPolicy.Always, 0, true)]
    [InlineData(ShimRestartPolicy.Always, 1, true)]
    [InlineData(ShimRestartPolicy.OnFailure, 0, false)]
    [InlineData(ShimRestartPolicy.OnFailure, 2, true)]
    [InlineData(ShimRestartPolicy.Never, 1, false)]
    public void RestartsPerPolicy(ShimRestartPolicy policy, int exitCode, bool restarts) =>
        Assert.Equal(restarts, RestartBackoff.ShouldRestart(policy, exitCode));
}
