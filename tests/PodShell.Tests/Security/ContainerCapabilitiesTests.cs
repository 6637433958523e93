using System.Collections.Generic;
using PodShell.Engine;
using PodShell.Security;
using Xunit;

namespace PodShell.Tests.Security;

public class ContainerCapabilitiesTests
{
    private static readonly string[] Defaults =
        ["CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "SETGID", "SETUID", "SETPCAP", "NET_BIND_SERVICE", "NET_RAW", "SYS_CHROOT", "MKNOD", "AUDIT_WRITE", "SETFCAP"];

    [Fact]
    public void KeepsTheDefaultSetInBitOrder() =>
        Assert.Equal(Defaults, ContainerCapabilities.Effective(false, null, null));

    [Theory]
    [InlineData("net_admin", "NET_ADMIN")]
    [InlineData("CAP_SYS_TIME", "SYS_TIME")]
    [InlineData(" Cap_Chown ", "CHOWN")]
    [InlineData("all", "ALL")]
    public void NormalizesNames(string given, string expected) => Assert.Equal(expected, ContainerCapabilities.Normalize(given));

    [Theory]
    [InlineData("NET_FOO")]
    [InlineData("CAP_")]
    [InlineData("")]
    public void RefusesUnknownNames(string name)
    {
        var e = Assert.Throws<PodEngineException>(() => ContainerCapabilities.Normalize(name));
        Assert.Equal(ErrorIds.UnknownCapability, e.ErrorId);
    }

    [Fact]
    public void DropAllThenAddsTheNamedOnes() =>
        Assert.Equal(["KILL", "NET_BIND_SERVICE"], ContainerCapabilities.Effective(false, ["NET_BIND_SERVICE", "kill"], ["ALL"]));

    [Fact]
    public void AddAllThenDropsTheNamedOnes()
    {
        var caps = ContainerCapabilities.Effective(false, ["ALL"], ["SYS_ADMIN"]);
        Assert.Contains("SYS_MODULE", caps);
        Assert.DoesNotContain("SYS_ADMIN", caps);
        Assert.Equal(ContainerCapabilities.Known.Count - 1, caps.Count);
    }

    [Fact]
    public void AddAllAndDropAllLeavesOnlyTheNamedAdds() =>
        Assert.Equal(["NET_ADMIN"], ContainerCapabilities.Effective(false, ["ALL", "NET_ADMIN"], ["ALL"]));

    [Fact]
    public void ANameBothAddedAndDroppedIsDropped() =>
        Assert.DoesNotContain("CHOWN", ContainerCapabilities.Effective(false, ["CHOWN"], ["CAP_CHOWN"]));

    [Fact]
    public void PrivilegedHasEveryCapability() =>
        Assert.Equal(ContainerCapabilities.Known, ContainerCapabilities.Effective(true, null, ["ALL"]));

    [Theory]
    [InlineData(true, new string[0])]
    [InlineData(false, new[] { "SYS_ADMIN" })]
    [InlineData(false, new[] { "cap_sys_admin" })]
    public void RefusesNoNewPrivilegesWithPrivilegeOrSysAdmin(bool privileged, string[] add)
    {
        var request = new ContainerCreateRequest { Name = "c", Privileged = privileged, AddCapabilities = new List<string>(add), AllowPrivilegeEscalation = false };
        Assert.Equal(ErrorIds.InvalidSecurityContext, Assert.Throws<PodEngineException>(() => ContainerCapabilities.Validate(request)).ErrorId);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("0")]
    [InlineData("0:1000")]
    [InlineData("nobody")]
    [InlineData("app:app")]
    public void NonRootRefusesRootAndNames(string? user) =>
        Assert.Equal(ErrorIds.RunAsNonRootViolated, Assert.Throws<PodEngineException>(() => NonRootRule.Check("c", user)).ErrorId);

    [Theory]
    [InlineData("1000")]
    [InlineData("65534:65534")]
    public void NonRootTakesAUid(string user) => NonRootRule.Check("c", user);
}
