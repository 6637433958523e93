using System.IO;
using PodShell.Init;
using PodShell.Init.Mounts;
using PodShell.Init.Syscalls;
using Xunit;

namespace PodShell.Tests.Init;

public class SecurePathTests
{
    [Fact]
    public void FollowsSymlinksAsIfTheRootfsWereTheRoot()
    {
        using var root = new TempDirectory();
        Directory.CreateDirectory(root.File("etc"));
        Directory.CreateDirectory(root.File("real"));
        File.CreateSymbolicLink(root.File("abs"), "/etc");
        File.CreateSymbolicLink(root.File("rel"), "real");
        File.CreateSymbolicLink(root.File("escape"), "../../../../etc");
        File.CreateSymbolicLink(root.File("real/up"), "../etc");

        Assert.Equal(root.Path + "/etc/hosts", SecurePath.Join(root.Path, "/abs/hosts"));
        Assert.Equal(root.Path + "/real/x", SecurePath.Join(root.Path, "rel/x"));
        Assert.Equal(root.Path + "/etc/passwd", SecurePath.Join(root.Path, "/escape/passwd"));
        Assert.Equal(root.Path + "/etc", SecurePath.Join(root.Path, "/real/up"));
        Assert.Equal(root.Path + "/x", SecurePath.Join(root.Path, "/../../x"));
        Assert.Equal(root.Path, SecurePath.Join(root.Path, "/"));
    }

    [Fact]
    public void StopsASymlinkLoop()
    {
        using var root = new TempDirectory();
        File.CreateSymbolicLink(root.File("a"), "/b");
        File.CreateSymbolicLink(root.File("b"), "/a");
        Assert.Throws<InitException>(() => SecurePath.Join(root.Path, "/a/file"));
    }
}
