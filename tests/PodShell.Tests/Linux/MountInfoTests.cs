using PodShell.Linux;
using Xunit;

namespace PodShell.Tests.Linux;

public class MountInfoTests
{
    [Fact]
    public void ParsesALineWithOptionalFields()
    {
        const string line = "36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 shared:2 - ext3 /dev/root rw,errors=continue";
        Assert.True(MountInfo.TryParse(line, out var entry));
        Assert.Equal(36, entry.MountId);
        Assert.Equal(35, entry.ParentId);
        Assert.Equal("/mnt1", entry.Root);
        Assert.Equal("/mnt2", entry.MountPoint);
        Assert.Equal("ext3", entry.FileSystemType);
        Assert.Equal("/dev/root", entry.Source);
        Assert.Equal("rw,errors=continue", entry.SuperOptions);
    }

    [Theory]
    [InlineData(@"/a\040b", "/a b")]
    [InlineData(@"/tab\011here", "/tab\there")]
    [InlineData(@"/new\012line", "/new\nline")]
    [InlineData(@"/back\134slash", @"/back\slash")]
    [InlineData(@"/caf\303\251", "/café")] // octal bytes of UTF-8
    [InlineData(@"/not\08escape", @"/not\08escape")]
    [InlineData(@"/short\04", @"/short\04")]
    public void UnescapesEveryOctalEscape(string field, string path) => Assert.Equal(path, MountInfo.Unescape(field));

    [Fact]
    public void UnescapesMountPointsAndRoots()
    {
        Assert.True(MountInfo.TryParse(@"40 1 0:33 /my\040root /mnt/with\040space rw - tmpfs tmp\040fs rw", out var entry));
        Assert.Equal("/my root", entry.Root);
        Assert.Equal("/mnt/with space", entry.MountPoint);
        Assert.Equal("tmp fs", entry.Source);
    }

    [Theory]
    [InlineData("")]
    [InlineData("1 2 3 4")]
    [InlineData("x 1 0:1 / / rw - tmpfs t rw")]
    [InlineData("1 1 0:1 / / rw tmpfs t rw")]
    public void SkipsMalformedLines(string line) => Assert.False(MountInfo.TryParse(line, out _));
}
