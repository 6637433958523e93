using PodShell.Engine;
using PodShell.Model;
using Xunit;

namespace PodShell.Tests.Engine;

public class ResourceRulesTests
{
    [Fact]
    public void ALimitAloneMovesARequestThatEqualledIt()
    {
        var before = new ResourceRequirements { CpuRequestMilli = 500, CpuLimitMilli = 500, MemoryRequest = 64, MemoryLimit = 128 };
        var after = ResourceRules.Merge(before, new ResourceUpdate { CpuLimitMilli = 800, MemoryLimit = 256 });
        Assert.Equal(800, after.CpuRequestMilli); // was equal: stays equal, so a Guaranteed pod stays Guaranteed
        Assert.Equal(800, after.CpuLimitMilli);
        Assert.Equal(64, after.MemoryRequest); // was below: stays
        Assert.Equal(256, after.MemoryLimit);
        Assert.Equal(500, before.CpuLimitMilli);
    }

    [Fact]
    public void ANegativePidsLimitRemovesIt() =>
        Assert.Null(ResourceRules.Merge(new ResourceRequirements { PidsLimit = 10 }, new ResourceUpdate { PidsLimit = -1 }).PidsLimit);

    [Theory]
    [InlineData(600L, 500L, null, null)]
    [InlineData(null, null, 200L, 100L)]
    [InlineData(-1L, null, null, null)]
    public void ARequestAboveItsLimitOrANegativeValueIsRefused(long? cpuRequest, long? cpuLimit, long? memoryRequest, long? memoryLimit)
    {
        var r = new ResourceRequirements { CpuRequestMilli = cpuRequest, CpuLimitMilli = cpuLimit, MemoryRequest = memoryRequest, MemoryLimit = memoryLimit };
        Assert.Equal(ErrorIds.InvalidResources, Assert.Throws<PodEngineException>(() => ResourceRules.Validate(r, "foo/app")).ErrorId);
    }

    [Fact]
    public void AnAssertedClassMustHold()
    {
        ResourceRules.CheckAssertedClass("foo", null, QosClass.Burstable, "app");
        ResourceRules.CheckAssertedClass("foo", QosClass.Burstable, QosClass.Burstable, "app");
        var error = Assert.Throws<PodEngineException>(() => ResourceRules.CheckAssertedClass("foo", QosClass.Guaranteed, QosClass.Burstable, "app"));
        Assert.Equal(ErrorIds.QosClassMismatch, error.ErrorId);
        Assert.Equal("foo/app", error.Target);
    }

    [Fact]
    public void RawValuesAreCheckedAgainstTheKernelsRanges()
    {
        Assert.Equal(ErrorIds.InvalidResources, Assert.Throws<PodEngineException>(() => ResourceRules.MergeRaw(null, new ResourceUpdate { CpuShares = 1 }, "t", cpuOnV2: false)).ErrorId);
        Assert.Equal(ErrorIds.ResourceNotSupported, Assert.Throws<PodEngineException>(() => ResourceRules.MergeRaw(null, new ResourceUpdate { CpuWeight = 50 }, "t", cpuOnV2: false)).ErrorId);
        Assert.Equal(ErrorIds.InvalidUnifiedFile, Assert.Throws<PodEngineException>(() =>
            ResourceRules.MergeRaw(null, new ResourceUpdate { Unified = new System.Collections.Generic.Dictionary<string, string> { ["cgroup.procs"] = "1" } }, "t", cpuOnV2: true)).ErrorId);
        var raw = ResourceRules.MergeRaw(new RawCgroupValues { CpuShares = 100 }, new ResourceUpdate { CpuWeight = 50, Unified = new System.Collections.Generic.Dictionary<string, string> { ["memory.high"] = "1000" } }, "t", cpuOnV2: true);
        Assert.Equal(100UL, raw.CpuShares);
        Assert.Equal(50UL, raw.CpuWeight);
        Assert.Equal("1000", raw.Unified["memory.high"]);
    }
}
