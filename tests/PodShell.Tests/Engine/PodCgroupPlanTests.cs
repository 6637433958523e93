using System.Collections.Generic;
using PodShell.Cgroups;
using PodShell.Engine;
using PodShell.Model;
using PodShell.Tests.Fakes;
using Xunit;

namespace PodShell.Tests.Engine;

/// <summary>
/// The pod cgroup policy written to fixture trees: which files get which values for given requests and limits,
/// on v1 and v2 (kubelet's ResourceConfigForPod sums for the pod, runc's values for each container).
/// </summary>
public class PodCgroupPlanTests
{
    private const long Mi = 1024 * 1024;

    private static ResourceRequirements R(long? cpuRequest = null, long? cpuLimit = null, long? memoryRequest = null, long? memoryLimit = null) =>
        new() { CpuRequestMilli = cpuRequest, CpuLimitMilli = cpuLimit, MemoryRequest = memoryRequest, MemoryLimit = memoryLimit };

    /// <summary>Makes the pod's and containers' cgroups in the fixture and writes the plan, as the engine does.</summary>
    private static string Apply(CgroupFixture fixture, QosClass qos, ResourceRequirements? pod, params (string Name, ResourceRequirements Resources)[] containers)
    {
        var podPath = PodCgroupLayout.PodPath("podshell", qos, "u1");
        fixture.Make(podPath);
        var members = new List<PodCgroupMember>();
        foreach (var (name, resources) in containers)
        {
            var path = PodCgroupLayout.ContainerPath(podPath, name);
            fixture.Make(path);
            members.Add(new PodCgroupMember(name, path, resources, null));
        }
        var qosComputed = QosPolicy.Compute(members.ConvertAll(m => m.Resources), pod);
        Assert.Equal(qos, qosComputed);
        CgroupTransaction.Apply(PodCgroupPlan.For(fixture.Manager, "foo", podPath, qos, pod, members));
        return podPath;
    }

    [Fact]
    public void V1BurstablePodSumsItsContainersRequestsAndLimits()
    {
        using var fixture = CgroupFixture.CreateV1();
        var pod = Apply(fixture, QosClass.Burstable, null,
            ("app", R(cpuRequest: 250, cpuLimit: 500, memoryRequest: 64 * Mi, memoryLimit: 128 * Mi)),
            ("side", R(cpuRequest: 100, cpuLimit: 200, memoryLimit: 64 * Mi)));
        Assert.Equal("podshell/burstable/podu1", pod);
        // Pod: shares from the sum of requests (350m -> 358), quota and memory from the sums of limits.
        Assert.Equal("358", fixture.Read("cpu,cpuacct", pod, "cpu.shares"));
        Assert.Equal("70000", fixture.Read("cpu,cpuacct", pod, "cpu.cfs_quota_us"));
        Assert.Equal("100000", fixture.Read("cpu,cpuacct", pod, "cpu.cfs_period_us"));
        Assert.Equal((192 * Mi).ToString(), fixture.Read("memory", pod, "memory.limit_in_bytes"));
        // Containers: their own values (side's memory request defaults to its limit).
        Assert.Equal("256", fixture.Read("cpu,cpuacct", pod + "/app", "cpu.shares"));
        Assert.Equal("50000", fixture.Read("cpu,cpuacct", pod + "/app", "cpu.cfs_quota_us"));
        Assert.Equal((128 * Mi).ToString(), fixture.Read("memory", pod + "/app", "memory.limit_in_bytes"));
        Assert.Equal("102", fixture.Read("cpu,cpuacct", pod + "/side", "cpu.shares"));
        Assert.Equal("20000", fixture.Read("cpu,cpuacct", pod + "/side", "cpu.cfs_quota_us"));
        Assert.Equal((64 * Mi).ToString(), fixture.Read("memory", pod + "/side", "memory.limit_in_bytes"));
    }

    [Fact]
    public void V1PodLimitIsLeftUnlimitedWhenOneContainerHasNone()
    {
        using var fixture = CgroupFixture.CreateV1();
        var pod = Apply(fixture, QosClass.Burstable, null,
            ("app", R(cpuLimit: 500, memoryLimit: 128 * Mi)),
            ("side", R(cpuRequest: 100)));
        // side declares neither limit: kubelet leaves the pod's quota and memory unlimited, shares still sum (500m + 100m).
        Assert.Equal("614", fixture.Read("cpu,cpuacct", pod, "cpu.shares"));
        Assert.Equal("-1", fixture.Read("cpu,cpuacct", pod, "cpu.cfs_quota_us"));
        AssertUnlimited(fixture.Read("memory", pod, "memory.limit_in_bytes"));
        Assert.Equal("-1", fixture.Read("cpu,cpuacct", pod + "/side", "cpu.cfs_quota_us"));
    }

    /// <summary>v1 shows an unlimited memory limit as the page-aligned maximum; -1 is written for it.</summary>
    private static void AssertUnlimited(string value) => Assert.True(value == "-1" || long.Parse(value) >= 9223372036854771712, $"{value} is a limit");

    [Fact]
    public void V1PodLevelResourcesDecideAndThePidsLimitIsThePods()
    {
        using var fixture = CgroupFixture.CreateV1();
        var podResources = R(cpuRequest: 1000, cpuLimit: 2000, memoryRequest: 256 * Mi, memoryLimit: 512 * Mi);
        podResources.PidsLimit = 64;
        var pod = Apply(fixture, QosClass.Burstable, podResources, ("app", R()));
        Assert.Equal("1024", fixture.Read("cpu,cpuacct", pod, "cpu.shares"));
        Assert.Equal("200000", fixture.Read("cpu,cpuacct", pod, "cpu.cfs_quota_us"));
        Assert.Equal((512 * Mi).ToString(), fixture.Read("memory", pod, "memory.limit_in_bytes"));
        Assert.Equal("64", fixture.Read("pids", pod, "pids.max"));
        Assert.Equal("2", fixture.Read("cpu,cpuacct", pod + "/app", "cpu.shares"));
    }

    [Fact]
    public void V2GuaranteedPodGetsWeightMaxAndMemoryMax()
    {
        using var fixture = CgroupFixture.CreateV2();
        var pod = Apply(fixture, QosClass.Guaranteed, null, ("app", R(cpuRequest: 1000, cpuLimit: 1000, memoryRequest: 128 * Mi, memoryLimit: 128 * Mi)));
        Assert.Equal("podshell/podu1", pod);
        // Pod: kubelet's linear shares-to-weight (1024 -> 39); container: runc's (1024 -> 100).
        Assert.Equal("39", fixture.Read("", pod, "cpu.weight"));
        Assert.Equal("100000 100000", fixture.Read("", pod, "cpu.max"));
        Assert.Equal((128 * Mi).ToString(), fixture.Read("", pod, "memory.max"));
        Assert.Equal("100", fixture.Read("", pod + "/app", "cpu.weight"));
        Assert.Equal("100000 100000", fixture.Read("", pod + "/app", "cpu.max"));
        Assert.Equal((128 * Mi).ToString(), fixture.Read("", pod + "/app", "memory.max"));
        Assert.Equal("max", fixture.Read("", pod + "/app", "pids.max"));
    }

    [Fact]
    public void V2BestEffortPodGetsTheMinimumWeightAndNoLimits()
    {
        using var fixture = CgroupFixture.CreateV2();
        var pod = Apply(fixture, QosClass.BestEffort, null, ("app", R()));
        Assert.Equal("podshell/besteffort/podu1", pod);
        Assert.Equal("1", fixture.Read("", pod, "cpu.weight"));
        Assert.Equal("max 100000", fixture.Read("", pod, "cpu.max"));
        Assert.Equal("max", fixture.Read("", pod, "memory.max"));
        // The kernel's controllers were enabled for the children on the way down.
        Assert.Contains("+cpu", System.IO.File.ReadAllText(System.IO.Path.Combine(fixture.Root, "cgroup.subtree_control")));
    }
}
