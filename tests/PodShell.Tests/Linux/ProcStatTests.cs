using PodShell.Linux;
using Xunit;

namespace PodShell.Tests.Linux;

public class ProcStatTests
{
    private static string Stat(string comm, char state = 'S', int ppid = 1, uint flags = 4194560, ulong start = 123456) =>
        $"42 ({comm}) {state} {ppid} 42 42 0 -1 {flags} 100 0 0 0 1 2 0 0 20 0 1 0 {start} 1000 200 18446744073709551615 0 0 0 0 0 0 0 0 0 0 0 0 17 1 0 0";

    [Fact]
    public void ReadsStateParentFlagsAndStartTime()
    {
        Assert.True(ProcStat.TryParse(Stat("sleep"), out var stat));
        Assert.Equal('S', stat.State);
        Assert.Equal(1, stat.ParentPid);
        Assert.Equal(4194560u, stat.Flags);
        Assert.Equal(123456UL, stat.StartTime);
        Assert.False(stat.IsGone);
    }

    [Theory]
    [InlineData("a b")]
    [InlineData("evil) S 1 2")]
    [InlineData("((x))")]
    public void TakesFieldsAfterTheLastParenthesis(string comm)
    {
        Assert.True(ProcStat.TryParse(Stat(comm, start: 99), out var stat));
        Assert.Equal(99UL, stat.StartTime);
    }

    [Theory]
    [InlineData('Z')]
    [InlineData('X')]
    public void ZombiesAreGone(char state)
    {
        Assert.True(ProcStat.TryParse(Stat("z", state), out var stat));
        Assert.True(stat.IsGone);
    }

    [Theory]
    [InlineData("")]
    [InlineData("42 (x) S 1")]
    [InlineData("no parenthesis at all")]
    public void RejectsTruncatedText(string text) => Assert.False(ProcStat.TryParse(text, out _));
}
