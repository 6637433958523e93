using PodShell.Model;

namespace PodShell.Engine;

/// <summary>
/// Implemented by a public type of an adapter assembly (PodShell.Docker, ...): EngineRegistry.RegisterAdapter
/// loads the assembly in PodShell's isolated context, makes one of each such type and registers its engine.
/// </summary>
public interface IPodEngineFactory
{
    PodEngineKind Kind { get; }
    IPodEngine Create();
}
