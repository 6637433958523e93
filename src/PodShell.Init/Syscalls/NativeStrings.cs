using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;

namespace PodShell.Init.Syscalls;

/// <summary>A NULL-terminated char*[] in native memory (argv, envp) that outlives managed moves.</summary>
internal sealed unsafe class NativeStrings : IDisposable
{
    private readonly nint[] _items;

    public NativeStrings(IReadOnlyList<string> values)
    {
        _items = new nint[values.Count];
        Pointer = (byte**)NativeMemory.AllocZeroed((nuint)(values.Count + 1), (nuint)sizeof(nint));
        for (int i = 0; i < values.Count; i++)
        {
            _items[i] = Marshal.StringToCoTaskMemUTF8(values[i]);
            Pointer[i] = (byte*)_items[i];
        }
    }

    public byte** Pointer { get; }

    public byte* this[int index] => Pointer[index];

    public void Dispose()
    {
        foreach (nint item in _items) Marshal.FreeCoTaskMem(item);
        NativeMemory.Free(Pointer);
    }
}
