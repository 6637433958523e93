using System.IO;
using PodShell.Init.Security;
using PodShell.Init.Syscalls;
using Xunit;

namespace PodShell.Tests.Init;

public sealed class UserResolverTests : System.IDisposable
{
    private readonly TempDirectory _root = new();

    public UserResolverTests()
    {
        Directory.CreateDirectory(_root.File("etc"));
        File.WriteAllText(_root.File("etc/passwd"),
            "root:x:0:0:root:/root:/bin/sh\n# comment\nwww:x:33:33:www:/var/www:/bin/false\nnohome:x:1000:1000:::/bin/sh\nbad\n");
        File.WriteAllText(_root.File("etc/group"), "root:x:0:\nwww:x:33:\nstaff:x:50:www,other\nlog:x:4:www\n");
    }

    public void Dispose() => _root.Dispose();

    [Fact]
    public void NoUserIsRoot()
    {
        var user = UserResolver.Resolve(null, _root.Path);
        Assert.Equal(0u, user.Uid);
        Assert.Equal(0u, user.Gid);
        Assert.Equal("/root", user.Home);
    }

    [Fact]
    public void ANameGetsItsIdsHomeAndSupplementaryGroups()
    {
        var user = UserResolver.Resolve("www", _root.Path);
        Assert.Equal((33u, 33u, "/var/www"), (user.Uid, user.Gid, user.Home));
        Assert.Equal(new uint[] { 33, 50, 4 }, user.SupplementaryGroups);
    }

    [Theory]
    [InlineData("33", 33u, 33u)]
    [InlineData("www:staff", 33u, 50u)]
    [InlineData("www:77", 33u, 77u)]
    [InlineData("4242", 4242u, 0u)]
    [InlineData("4242:4243", 4242u, 4243u)]
    public void NumbersAndGroupsAsRuncResolvesThem(string spec, uint uid, uint gid)
    {
        var user = UserResolver.Resolve(spec, _root.Path);
        Assert.Equal((uid, gid), (user.Uid, user.Gid));
    }

    [Fact]
    public void AnEmptyHomeIsTheRoot() => Assert.Equal("/", UserResolver.Resolve("nohome", _root.Path).Home);

    [Theory]
    [InlineData("nobody-here")]
    [InlineData("www:nogroup")]
    public void AnUnknownNameFails(string spec) => Assert.Throws<InitException>(() => UserResolver.Resolve(spec, _root.Path));

    [Fact]
    public void ThePodsGroupsAreAddedOnceToTheUsersOwn()
    {
        var user = UserResolver.Resolve("www", _root.Path, [2000, 50, 4001]);
        Assert.Equal(new uint[] { 33, 50, 4, 2000, 4001 }, user.SupplementaryGroups);
        Assert.Equal(new uint[] { 0, 2000 }, UserResolver.Resolve(null, _root.Path, [2000]).SupplementaryGroups);
    }

    [Fact]
    public void StrictLeavesTheGroupFileOut() =>
        Assert.Equal(new uint[] { 33, 2000 }, UserResolver.Resolve("www", _root.Path, [2000], groupFile: false).SupplementaryGroups);
}
