using System.Collections.Generic;
using System.IO;
using PodShell.Protocol;
using PodShell.Security;
using Xunit;

namespace PodShell.Tests.Security;

public class SeccompProgramCacheTests
{
    private static SeccompSpec Profile(int errno = 1, string denied = "keyctl") => new()
    {
        DefaultAction = "SCMP_ACT_ERRNO",
        DefaultErrnoRet = errno,
        Architectures = new List<string> { "SCMP_ARCH_X86" },
        Syscalls = new List<SeccompRule>
        {
            new() { Names = new List<string> { "read", "write" }, Action = "SCMP_ACT_ALLOW" },
            new() { Names = new List<string> { denied }, Action = "SCMP_ACT_ERRNO", ErrnoRet = 38, Args = new List<SeccompArg> { new() { Index = 0, Value = 2, Op = "SCMP_CMP_EQ" } } },
        },
    };

    [Fact]
    public void NamesOneFilePerProfileInTheCacheRoot()
    {
        var file = SeccompProgramCache.FileFor(Profile());
        Assert.Equal(file, SeccompProgramCache.FileFor(Profile()));
        Assert.Equal(Path.Combine(SeccompProgramCache.Root, "seccomp"), Path.GetDirectoryName(file));
        Assert.Matches("^[0-9a-f]{64}\\.bpf$", Path.GetFileName(file));
    }

    [Fact]
    public void GivesADifferentFileToAProfileThatDiffersAnywhere()
    {
        var file = SeccompProgramCache.FileFor(Profile());
        Assert.NotEqual(file, SeccompProgramCache.FileFor(Profile(errno: 13)));
        Assert.NotEqual(file, SeccompProgramCache.FileFor(Profile(denied: "add_key")));
        var otherArgument = Profile();
        otherArgument.Syscalls[1].Args[0].Value = 3;
        Assert.NotEqual(file, SeccompProgramCache.FileFor(otherArgument));
    }

    [Fact]
    public void HasNoFileWithoutAProfile() => Assert.Null(SeccompProgramCache.FileFor(null));
}
