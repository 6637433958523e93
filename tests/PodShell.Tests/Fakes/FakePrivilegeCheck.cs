using PodShell.Native.Host;

namespace PodShell.Tests.Fakes;

internal sealed class FakePrivilegeCheck(bool isRoot) : IPrivilegeCheck
{
    public bool IsRoot { get; } = isRoot;
}
