using System;
using System.Linq;
using PodShell.Cgroups;
using Xunit;

namespace PodShell.Tests.Cgroups;

/// <summary>
/// The v2 device program, run by a small interpreter of the instructions it uses (the kernel's verifier and a real
/// cgroup are the Pester test's part): the decision for each device and access matches the v1 allow list.
/// </summary>
public class DeviceFilterProgramTests
{
    private const int Mknod = 1, Read = 2, Write = 4;
    private const uint Block = 1, Char = 2;

    private static readonly ulong[] Default = DeviceFilterProgram.Build(DevicesController.DefaultAllowed.Select(DeviceFilterProgram.Rule.Parse));

    [Theory]
    [InlineData(Char, 1, 3, Read | Write, true)]   // null
    [InlineData(Char, 1, 5, Read, true)]           // zero
    [InlineData(Char, 1, 9, Read, true)]           // urandom
    [InlineData(Char, 5, 2, Read | Write, true)]   // ptmx
    [InlineData(Char, 136, 7, Write, true)]        // a pts
    [InlineData(Char, 1, 1, Read, false)]          // mem
    [InlineData(Char, 10, 237, Read, false)]       // loop-control
    [InlineData(Block, 7, 0, Read, false)]         // loop0
    [InlineData(Block, 253, 0, Write, false)]      // zram0
    [InlineData(Block, 7, 0, Mknod, true)]         // b *:* m
    [InlineData(Char, 10, 232, Mknod, true)]       // c *:* m
    [InlineData(Char, 10, 232, Mknod | Read, false)]
    [InlineData(Char, 1, 3, Mknod | Read | Write, true)]
    public void DecidesAsTheAllowList(uint type, uint major, uint minor, int access, bool allowed) =>
        Assert.Equal(allowed ? 1UL : 0UL, Run(Default, type, access, major, minor));

    [Fact]
    public void AllowsNothingWithAnEmptyList()
    {
        var program = DeviceFilterProgram.Build(Array.Empty<DeviceFilterProgram.Rule>());
        Assert.Equal(0UL, Run(program, Char, Read, 1, 3));
    }

    [Fact]
    public void AllowsEverythingForA()
    {
        var program = DeviceFilterProgram.Build(new[] { DeviceFilterProgram.Rule.Parse("a") });
        Assert.Equal(1UL, Run(program, Block, Read | Write | Mknod, 8, 0));
    }

    [Theory]
    [InlineData("c 1:3 rwm", 'c', 1, 3, 7)]
    [InlineData("b *:* m", 'b', -1, -1, 1)]
    [InlineData("c 136:* rw", 'c', 136, -1, 6)]
    public void ParsesRules(string text, char type, long major, long minor, int access) =>
        Assert.Equal(new DeviceFilterProgram.Rule(type, major, minor, access), DeviceFilterProgram.Rule.Parse(text));

    [Theory]
    [InlineData("x 1:3 r")]
    [InlineData("c 1 r")]
    [InlineData("c 1:3 q")]
    [InlineData("c -1:3 r")]
    public void RefusesWhatIsNoRule(string text) => Assert.Throws<FormatException>(() => DeviceFilterProgram.Rule.Parse(text));

    /// <summary>Executes the opcodes the builder emits against struct bpf_cgroup_dev_ctx.</summary>
    private static ulong Run(ulong[] program, uint type, int access, uint major, uint minor)
    {
        var context = new uint[] { type | ((uint)access << 16), major, minor };
        var r = new ulong[11];
        for (int pc = 0, steps = 0; steps < 10_000; steps++)
        {
            ulong insn = program[pc];
            byte code = (byte)insn;
            int dst = (int)((insn >> 8) & 0xF), src = (int)((insn >> 12) & 0xF);
            short off = (short)(insn >> 16);
            int imm = (int)(insn >> 32);
            pc++;
            switch (code)
            {
                case 0x61: Assert.Equal(1, src); r[dst] = context[off / 4]; break;          // ldxw dst, [r1 + off]
                case 0x54: r[dst] = (uint)r[dst] & (uint)imm; break;                        // and32 dst, imm
                case 0x74: r[dst] = (uint)r[dst] >> imm; break;                             // rsh32 dst, imm
                case 0xbc: r[dst] = (uint)r[src]; break;                                    // mov32 dst, src
                case 0xb7: r[dst] = (ulong)(long)imm; break;                                // mov64 dst, imm
                case 0x55: if (r[dst] != (ulong)(long)imm) pc += off; break;                // jne dst, imm, +off
                case 0x95: return r[0];                                                     // exit
                default: throw new InvalidOperationException($"opcode 0x{code:x2} at {pc - 1}");
            }
        }
        throw new InvalidOperationException("the program does not end");
    }
}
