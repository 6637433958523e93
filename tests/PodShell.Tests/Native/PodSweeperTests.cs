using System.Diagnostics;
using System.IO;
using PodShell.Linux;
using PodShell.Native;
using Xunit;

namespace PodShell.Tests.Native;

public class PodSweeperTests
{
    [Fact]
    public void ReadsTheCgroupProcsOfAConfigWhateverComesBefore()
    {
        using var temp = new TempDirectory();
        File.WriteAllText(temp.File("config.json"), """
            { "podName": "p", "seccomp": { "defaultAction": "SCMP_ACT_ERRNO", "syscalls": [ { "names": ["read", "write"], "args": [ { "index": 0 } ] } ] },
              "oomScoreAdj": null, "CgroupProcs": [ "/sys/fs/cgroup/cpu/ps/pod1/app/cgroup.procs", "/sys/fs/cgroup/memory/ps/pod1/app/cgroup.procs" ], "args": ["sleep"] }
            """);
        Assert.Equal(new[] { "/sys/fs/cgroup/cpu/ps/pod1/app/cgroup.procs", "/sys/fs/cgroup/memory/ps/pod1/app/cgroup.procs" }, PodSweeper.CgroupProcsOf(temp.File("config.json")));
    }

    [Theory]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData("[1, 2]")]
    [InlineData("{ \"cgroupProcs\": 3 }")]
    [InlineData("{ \"podName\": \"p\", \"seccomp\": { \"syscalls\": [ ")]
    public void FindsNothingInABrokenConfig(string text)
    {
        using var temp = new TempDirectory();
        File.WriteAllText(temp.File("config.json"), text);
        Assert.Empty(PodSweeper.CgroupProcsOf(temp.File("config.json")));
    }

    [Fact]
    public void FindsNothingWithoutAConfig()
    {
        using var temp = new TempDirectory();
        Assert.Empty(PodSweeper.CgroupProcsOf(temp.File("config.json")));
    }

    [Fact]
    public void SearchesACommandLineWithItsNulsAsSpaces()
    {
        using var child = Process.Start(new ProcessStartInfo("/bin/sh") { ArgumentList = { "-c", "sleep 30", "podshell-marker-7e1" } })!;
        try
        {
            Assert.True(ProcFs.CommandLineContains(child.Id, "podshell-marker-7e1"u8));
            Assert.True(ProcFs.CommandLineContains(child.Id, "-c sleep 30 podshell"u8, "/bin/sh"u8));
            Assert.False(ProcFs.CommandLineContains(child.Id, "podshell-marker-7e1"u8, "absent"u8));
            Assert.False(ProcFs.CommandLineContains(child.Id, "absent"u8));
        }
        finally
        {
            child.Kill();
            child.WaitForExit();
        }
        Assert.False(ProcFs.CommandLineContains(child.Id, "podshell-marker-7e1"u8));
    }
}
