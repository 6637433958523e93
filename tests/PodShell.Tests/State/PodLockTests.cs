using System;
using System.IO;
using PodShell.Engine;
using PodShell.State;
using Xunit;

namespace PodShell.Tests.State;

/// <summary>The pod lock's file protocol on a temp state root: who holds it, and when its file goes.</summary>
public class PodLockTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    [Fact]
    public void IsHeldUntilDisposedAndTheFileStaysWithThePod()
    {
        using var root = new TempDirectory();
        var store = new StateStore(root.Path);
        Assert.True(store.TryCreatePodDirectory("a"));
        var held = store.LockPod("a", Timeout);
        Assert.True(store.IsPodLocked("a"));
        Assert.False(store.IsPodLockedElsewhere("a"));
        Assert.False(PodLock.TryAcquire(Path.Combine(store.LocksDirectory, "a.lock"), create: true, out _), "a second open of the file conflicts (flock)");
        held.Dispose();
        Assert.False(store.IsPodLocked("a"));
        Assert.True(File.Exists(Path.Combine(store.LocksDirectory, "a.lock")));
    }

    [Fact]
    public void RemovedPodsFileGoesAndAWaiterFindsNoPod()
    {
        using var root = new TempDirectory();
        var store = new StateStore(root.Path);
        Assert.True(store.TryCreatePodDirectory("a"));
        var held = store.LockPod("a", Timeout);
        store.DeletePodDirectory("a");
        held.ReleaseRemoved();
        Assert.False(File.Exists(Path.Combine(store.LocksDirectory, "a.lock")));
        var e = Assert.Throws<PodEngineException>(() => store.LockPod("a", Timeout));
        Assert.Equal(ErrorIds.PodNotFound, e.ErrorId);
        Assert.False(File.Exists(Path.Combine(store.LocksDirectory, "a.lock")), "the waiter removes the file it made");
    }

    [Fact]
    public void TheEmptiedRootTakesStaleLockFilesAndRemovalFoldersWithIt()
    {
        using var root = new TempDirectory();
        var store = new StateStore(Path.Combine(root.Path, "state"));
        Assert.True(store.TryCreatePodDirectory("a"));
        store.LockPod("a", Timeout).Dispose();
        Directory.Delete(store.PodDirectory("a"));   // a create killed before its folder: only the lock file is left
        Directory.CreateDirectory(Path.Combine(store.PodsDirectory, ".removed-b-999999999")); // a removal whose session died
        store.RemoveEmptyRoot();
        Assert.False(Directory.Exists(store.Root));
    }

    [Fact]
    public void AFolderWithoutPodJsonIsNotListedOnceRemoved()
    {
        using var root = new TempDirectory();
        var store = new StateStore(root.Path);
        Assert.True(store.TryCreatePodDirectory("a"));
        Assert.Equal(new[] { "a" }, store.ListPodNames());
        store.DeletePodDirectory("a");
        Assert.Empty(store.ListPodNames());
        Assert.Empty(Directory.GetDirectories(store.PodsDirectory));
    }

    [Fact]
    public void GivesUpWithPodBusy()
    {
        using var root = new TempDirectory();
        var store = new StateStore(root.Path);
        Assert.True(store.TryCreatePodDirectory("a"));
        using var held = store.LockPod("a", Timeout);
        // Another process holds it (in-process the second open conflicts the same way).
        var e = Assert.Throws<PodEngineException>(() => store.LockPod("a", TimeSpan.FromMilliseconds(100)));
        Assert.Equal(ErrorIds.PodBusy, e.ErrorId);
    }
}
