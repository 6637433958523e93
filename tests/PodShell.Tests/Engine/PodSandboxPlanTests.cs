using System.Collections.Generic;
using PodShell.Engine;
using PodShell.Model;
using Xunit;

namespace PodShell.Tests.Engine;

/// <summary>Kubernetes' rules for a pod's sysctls, groups and names, checked before anything is made.</summary>
public sealed class PodSandboxPlanTests
{
    private static PodSandboxPlan Plan(PodCreateRequest request) => PodSandboxPlan.Plan(request, request.Hostname ?? request.Name);

    [Theory]
    [InlineData("net.ipv4.ip_unprivileged_port_start")]
    [InlineData("net.core.somaxconn")]
    [InlineData("kernel.shm_rmid_forced")]
    [InlineData("kernel.shmmax")]
    [InlineData("kernel.msgmnb")]
    [InlineData("kernel.sem")]
    [InlineData("fs.mqueue.msg_max")]
    public void NamespacedSysctlsAreAllowed(string name) =>
        Assert.Equal("1", Plan(new PodCreateRequest { Name = "p", Sysctls = new() { [name] = "1" } }).Sysctls[name]);

    [Theory]
    [InlineData("kernel.panic")]
    [InlineData("vm.swappiness")]
    [InlineData("kernel.semx")]
    [InlineData("fs.file-max")]
    [InlineData("kernel.hostname")]
    public void NodeWideSysctlsAreRefusedWithTheRule(string name)
    {
        var e = Assert.Throws<PodEngineException>(() => Plan(new PodCreateRequest { Name = "p", Sysctls = new() { [name] = "1" } }));
        Assert.Equal(ErrorIds.SysctlNotAllowed, e.ErrorId);
        Assert.Contains(SysctlRules.Rule, e.Message);
    }

    [Fact]
    public void SysctlsNeedTheNamespaceOfTheirOwn()
    {
        Assert.Equal(ErrorIds.SysctlNotAllowed, Assert.Throws<PodEngineException>(() => Plan(new PodCreateRequest
        { Name = "p", HostNetwork = true, Sysctls = new() { ["net.ipv4.tcp_syncookies"] = "1" } })).ErrorId);
        Assert.Equal(ErrorIds.SysctlNotAllowed, Assert.Throws<PodEngineException>(() => Plan(new PodCreateRequest
        { Name = "p", Network = "host", Sysctls = new() { ["net.ipv4.tcp_syncookies"] = "1" } })).ErrorId);
        Assert.Equal(ErrorIds.SysctlNotAllowed, Assert.Throws<PodEngineException>(() => Plan(new PodCreateRequest
        { Name = "p", HostIpc = true, Sysctls = new() { ["kernel.msgmax"] = "1" } })).ErrorId);
        Assert.Single(Plan(new PodCreateRequest { Name = "p", HostIpc = true, Sysctls = new() { ["net.ipv4.tcp_syncookies"] = "1" } }).Sysctls);
    }

    [Theory]
    [InlineData("net/ipv4/conf/eth0.100/forwarding", "net.ipv4.conf.eth0/100.forwarding", "/proc/sys/net/ipv4/conf/eth0.100/forwarding")]
    [InlineData("net.ipv4.conf.eth0/100.forwarding", "net.ipv4.conf.eth0/100.forwarding", "/proc/sys/net/ipv4/conf/eth0.100/forwarding")]
    [InlineData("kernel.shmmax", "kernel.shmmax", "/proc/sys/kernel/shmmax")]
    public void NamesAreCanonicalAsKubernetesHasThem(string given, string canonical, string file)
    {
        Assert.Equal(canonical, SysctlRules.Canonical(given));
        Assert.Equal(file, SysctlRules.ProcPath(canonical));
    }

    [Theory]
    [InlineData("net/../../etc", "1")]
    [InlineData("Net.IPv4.x", "1")]
    [InlineData("net.ipv4.tcp_syncookies", "1\n2")]
    [InlineData("net.ipv4.tcp_syncookies", "")]
    public void MalformedSysctlsAreInvalid(string name, string value) =>
        Assert.Equal(ErrorIds.InvalidSysctl, Assert.Throws<PodEngineException>(() => Plan(new PodCreateRequest { Name = "p", Sysctls = new() { [name] = value } })).ErrorId);

    [Theory]
    [InlineData(-1L)]
    [InlineData(2147483648L)]
    public void GroupsAreKubernetesGroupIds(long gid)
    {
        Assert.Equal(ErrorIds.InvalidGroup, Assert.Throws<PodEngineException>(() => Plan(new PodCreateRequest { Name = "p", SupplementalGroups = new() { 1, gid } })).ErrorId);
        Assert.Equal(ErrorIds.InvalidGroup, Assert.Throws<PodEngineException>(() => Plan(new PodCreateRequest { Name = "p", FsGroup = gid })).ErrorId);
    }

    [Fact]
    public void GroupPoliciesAreKubernetesOwn()
    {
        Assert.Equal("Strict", Plan(new PodCreateRequest { Name = "p", SupplementalGroupsPolicy = "Strict" }).SupplementalGroupsPolicy);
        Assert.Equal(ErrorIds.InvalidGroup, Assert.Throws<PodEngineException>(() => Plan(new PodCreateRequest { Name = "p", SupplementalGroupsPolicy = "strict" })).ErrorId);
        Assert.Equal(ErrorIds.InvalidGroup, Assert.Throws<PodEngineException>(() => Plan(new PodCreateRequest { Name = "p", FsGroup = 1, FsGroupChangePolicy = "Sometimes" })).ErrorId);
    }

    [Fact]
    public void ContainersGetTheSupplementalGroupsAndTheFsGroupOnce()
    {
        var plan = Plan(new PodCreateRequest { Name = "p", SupplementalGroups = new() { 5, 7 }, FsGroup = 7 });
        Assert.Equal(new long[] { 5, 7 }, plan.ContainerGroups);
        Assert.Equal("Always", plan.FsGroupChangePolicy);
        Assert.Null(Plan(new PodCreateRequest { Name = "p" }).FsGroupChangePolicy);
    }

    [Fact]
    public void TheFqdnIsHostnameSubdomainNamespaceSvcClusterDomain()
    {
        var labels = new Dictionary<string, string> { [PodHostnames.NamespaceLabel] = "shop" };
        var plan = Plan(new PodCreateRequest { Name = "p", Hostname = "web", Subdomain = "front", Labels = labels });
        Assert.Equal("web.front.shop.svc.cluster.local", plan.Fqdn);
        Assert.Equal("web", plan.KernelHostname);
        var asFqdn = Plan(new PodCreateRequest { Name = "p", Hostname = "web", Subdomain = "front", SetHostnameAsFqdn = true });
        Assert.Equal("web.front.default.svc.cluster.local", asFqdn.KernelHostname);
        Assert.Null(Plan(new PodCreateRequest { Name = "p", Subdomain = "front", HostNetwork = true }).Fqdn);
    }

    [Fact]
    public void TheHostsFileNamesThePodAsKubeletDoes()
    {
        var aliases = new[] { new PodHostAlias { IP = "10.1.2.3", Hostnames = ["a.test", "b.test"] } };
        var text = PodHostnames.HostsFile("10.88.0.4", "web", "web.front.shop.svc.cluster.local", aliases);
        Assert.Contains("\n10.88.0.4\tweb.front.shop.svc.cluster.local\tweb\n", text);
        Assert.EndsWith("\n# Entries added by HostAliases.\n10.1.2.3\ta.test\tb.test\n", text);
        Assert.Contains("\n127.0.1.1\tweb\n", PodHostnames.HostsFile(null, "web", null, []));
        // With setHostnameAsFQDN the hostname is the FQDN; the short name is its first label.
        Assert.Contains("\n127.0.1.1\tweb.front.shop.svc.cluster.local\tweb\n", PodHostnames.HostsFile(null, "web.front.shop.svc.cluster.local", "web.front.shop.svc.cluster.local", []));
    }

    [Theory]
    [InlineData("10.1.2")]
    [InlineData("nowhere")]
    [InlineData("")]
    public void AliasAddressesAreStrict(string ip) =>
        Assert.Equal(ErrorIds.InvalidHostAlias, Assert.Throws<PodEngineException>(() => Plan(new PodCreateRequest
        { Name = "p", HostAliases = new() { new PodHostAlias { IP = ip, Hostnames = ["a.test"] } } })).ErrorId);
}
