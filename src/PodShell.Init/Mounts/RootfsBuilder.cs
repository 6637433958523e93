using System.IO;
using PodShell.Init.Diagnostics;
using PodShell.Init.Syscalls;
using PodShell.Protocol;

namespace PodShell.Init.Mounts;

/// <summary>
/// Builds the container's root in a private mount namespace: overlay (image lowers, upper on a tmpfs so a lower of "/"
/// does not overlap it), binds, /proc, /dev, /dev/pts, /dev/shm, /dev/mqueue, read-only /sys, the pod's /etc files,
/// masked and read-only paths; then pivot_root into it and detach the old root.
/// </summary>
internal sealed class RootfsBuilder(ContainerSpec spec)
{
    private const ulong NoSuidExecDev = Flags.MS_NOSUID | Flags.MS_NOEXEC | Flags.MS_NODEV;
    private string _merged = "";

    public void Build()
    {
        if (spec.Rootfs.LowerDirs.Count == 0) throw new InitException("rootfs.lowerDirs is empty");
        Check.Ok(Libc.unshare(Flags.CLONE_NEWNS), "unshare(CLONE_NEWNS)");
        MountOps.Mount(null, "/", null, Flags.MS_REC | Flags.MS_PRIVATE);

        string scratch = spec.StateDirectory + "/rootfs";
        MountOps.MakeDirectory(scratch);
        MountOps.Mount("podshell-rootfs", scratch, "tmpfs", Flags.MS_NOSUID | Flags.MS_NODEV, "mode=755");
        foreach (string dir in new[] { "upper", "work", "merged" }) MountOps.MakeDirectory(scratch + "/" + dir);
        _merged = scratch + "/merged";
        foreach (string layer in spec.Rootfs.LowerDirs) RequireOverlayPath(layer);
        RequireOverlayPath(scratch);
        string options = $"lowerdir={string.Join(':', spec.Rootfs.LowerDirs)},upperdir={scratch}/upper,workdir={scratch}/work";
        MountOps.Mount("overlay", _merged, "overlay", 0, options);
        Trace.Mark("overlay");

        foreach (var bind in spec.Rootfs.Binds) Bind(bind.Source, bind.Destination, bind.ReadOnly);
        MountProc();
        MountDev();
        MountSys();
        Trace.Mark("proc-dev-sys");
        if (spec.HostnameFile is { Length: > 0 } hostname) Bind(hostname, "/etc/hostname", false);
        if (spec.HostsFile is { Length: > 0 } hosts) Bind(hosts, "/etc/hosts", false);
        if (spec.ResolvConfFile is { Length: > 0 } resolv) Bind(resolv, "/etc/resolv.conf", false);
        string workingDirectory = spec.WorkingDirectory is { Length: > 0 } w ? w : "/";
        string cwd = Inside(workingDirectory);
        if (File.Exists(cwd)) throw new InitException($"the working directory {workingDirectory} is a file in the container, not a folder");
        if (!Directory.Exists(cwd)) MountOps.MakeDirectory(cwd);
        foreach (string path in spec.MaskedPaths) Mask(path);
        foreach (string path in spec.ReadonlyPaths) ReadOnly(path);
        if (spec.Rootfs.ReadOnly) MountOps.RemountReadOnly(_merged);
        Trace.Mark("masked");
        PivotRoot();
    }

    /// <summary>Overlay options are split at ',' and lower layers at ':' ('\\' escapes): such a path would inject options.</summary>
    private static void RequireOverlayPath(string path)
    {
        if (path.IndexOfAny([':', ',', '\\']) >= 0)
            throw new InitException($"the overlay layer path {path} holds ':', ',' or '\\', which would change the overlay's options");
    }

    private string Inside(string containerPath) => SecurePath.Join(_merged, containerPath);

    private void Bind(string source, string destination, bool readOnly)
    {
        string target = Inside(destination);
        if (Directory.Exists(source)) MountOps.MakeDirectory(target);
        else if (File.Exists(source)) MountOps.MakeFile(target);
        else throw new InitException($"bind source {source} does not exist");
        MountOps.Mount(source, target, null, Flags.MS_BIND | Flags.MS_REC);
        if (readOnly) MountOps.RemountReadOnly(target);
    }

    private void MountProc()
    {
        string proc = Inside("/proc");
        MountOps.MakeDirectory(proc);
        MountOps.Mount("proc", proc, "proc", NoSuidExecDev);
    }

    private void MountDev()
    {
        string dev = Inside("/dev");
        MountOps.MakeDirectory(dev);
        MountOps.Mount("tmpfs", dev, "tmpfs", Flags.MS_NOSUID | Flags.MS_STRICTATIME, "mode=755,size=65536k");
        MakeDevice(dev, "null", 1, 3);
        MakeDevice(dev, "zero", 1, 5);
        MakeDevice(dev, "full", 1, 7);
        MakeDevice(dev, "random", 1, 8);
        MakeDevice(dev, "urandom", 1, 9);
        MakeDevice(dev, "tty", 5, 0);
        Link("/proc/self/fd", dev + "/fd");
        Link("/proc/self/fd/0", dev + "/stdin");
        Link("/proc/self/fd/1", dev + "/stdout");
        Link("/proc/self/fd/2", dev + "/stderr");
        Link("pts/ptmx", dev + "/ptmx");
        Link("/proc/kcore", dev + "/core");

        foreach (string dir in new[] { "pts", "shm", "mqueue" }) Check.Ok(Libc.mkdir(dev + "/" + dir, 0x1ed), "mkdir", dev + "/" + dir);
        MountOps.Mount("devpts", dev + "/pts", "devpts", Flags.MS_NOSUID | Flags.MS_NOEXEC, "newinstance,ptmxmode=0666,mode=0620,gid=5");
        if (spec.ShmSource is { Length: > 0 } shm)
            MountOps.Mount(shm, dev + "/shm", null, Flags.MS_BIND | Flags.MS_REC);
        else
            MountOps.Mount("shm", dev + "/shm", "tmpfs", NoSuidExecDev, "mode=1777,size=65536k");
        MountOps.Mount("mqueue", dev + "/mqueue", "mqueue", NoSuidExecDev);
    }

    private static void MakeDevice(string dev, string name, uint major, uint minor)
    {
        ulong device = ((ulong)(major & 0xfffff000) << 32) | ((major & 0xfff) << 8) | ((ulong)(minor & 0xffffff00) << 12) | (minor & 0xff);
        string path = dev + "/" + name;
        Check.Ok(Libc.mknod(path, Flags.S_IFCHR | 0x1b6, device), "mknod", path);
        Check.Ok(Libc.chmod(path, 0x1b6), "chmod", path); // 0666 whatever the umask
    }

    private static void Link(string target, string path) => Check.Ok(Libc.symlink(target, path), "symlink", path);

    private void MountSys()
    {
        string sys = Inside("/sys");
        MountOps.MakeDirectory(sys);
        MountOps.Mount("sysfs", sys, "sysfs", NoSuidExecDev | Flags.MS_RDONLY);
    }

    private void Mask(string path)
    {
        string target = Inside(path);
        if (Directory.Exists(target))
            MountOps.Mount("tmpfs", target, "tmpfs", Flags.MS_RDONLY);
        else if (File.Exists(target))
            MountOps.Mount(_merged + "/dev/null", target, null, Flags.MS_BIND);
    }

    private void ReadOnly(string path)
    {
        string target = Inside(path);
        if (!Directory.Exists(target) && !File.Exists(target)) return;
        MountOps.Mount(target, target, null, Flags.MS_BIND | Flags.MS_REC);
        MountOps.RemountReadOnly(target);
    }

    private void PivotRoot()
    {
        Check.Ok(Libc.chdir(_merged), "chdir", _merged);
        Check.Ok(Libc.syscall2(Flags.SysPivotRoot, ".", "."), "pivot_root", _merged);
        Check.Ok(Libc.umount2(".", Flags.MNT_DETACH), "umount2(old root)", ".");
        Check.Ok(Libc.chdir("/"), "chdir", "/");
    }
}
