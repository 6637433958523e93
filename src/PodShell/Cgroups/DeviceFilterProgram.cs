using System;
using System.Collections.Generic;
using System.Globalization;
using PodShell.Linux;

namespace PodShell.Cgroups;

/// <summary>
/// The cgroup v2 devices policy: an eBPF program of type BPF_PROG_TYPE_CGROUP_DEVICE, built from the same allow list as
/// the v1 devices.allow entries and attached to the container's cgroup (BPF_CGROUP_DEVICE, BPF_F_ALLOW_MULTI as runc
/// does, so a parent's program still applies). The kernel runs it on every mknod and open of a device node with
/// struct bpf_cgroup_dev_ctx { u32 access_type; u32 major; u32 minor; }: access_type's low 16 bits are the device
/// type (BPF_DEVCG_DEV_BLOCK 1, BPF_DEVCG_DEV_CHAR 2), its high 16 bits the access asked for (BPF_DEVCG_ACC_MKNOD 1,
/// READ 2, WRITE 4); the program returns 1 to allow, 0 to refuse (EPERM). The cgroup keeps the program; it is freed
/// when the cgroup is removed.
/// </summary>
public static class DeviceFilterProgram
{
    private const uint BPF_PROG_TYPE_CGROUP_DEVICE = 15;
    private const uint BPF_CGROUP_DEVICE = 6;
    private const uint BPF_F_ALLOW_MULTI = 2;

    /// <summary>One allow rule: type 'c', 'b' or 'a' (both), major and minor (-1 for *), access bits (1 mknod, 2 read, 4 write).</summary>
    public readonly record struct Rule(char Type, long Major, long Minor, int Access)
    {
        /// <summary>A devices.allow line: "c 1:3 rwm", "b *:* m", "a".</summary>
        public static Rule Parse(string text)
        {
            var parts = text.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 1 && parts[0] == "a") return new Rule('a', -1, -1, 7);
            if (parts.Length != 3 || parts[0] is not ("a" or "b" or "c")) throw new FormatException($"Not a device rule: '{text}'.");
            var numbers = parts[1].Split(':');
            if (numbers.Length != 2) throw new FormatException($"Not a device rule: '{text}'.");
            int access = 0;
            foreach (char c in parts[2])
            {
                access |= c switch
                {
                    'm' => 1, 'r' => 2, 'w' => 4,
                    _ => throw new FormatException($"Not a device access in '{text}': '{c}'."),
                };
            }
            return new Rule(parts[0][0], Number(numbers[0], text), Number(numbers[1], text), access);
        }

        private static long Number(string part, string text) =>
            part == "*" ? -1 : uint.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out uint n) && n <= int.MaxValue ? n
                : throw new FormatException($"Not a device number in '{text}': '{part}'.");
    }

    /// <summary>The program's instructions (struct bpf_insn, 8 bytes each) for an allow list; anything not allowed is refused.</summary>
    public static ulong[] Build(IEnumerable<Rule> rules)
    {
        var code = new List<ulong>
        {
            // r2 = device type, r3 = access, r4 = major, r5 = minor (r1, the context, is free afterwards).
            Insn(LdxW, 2, 1, 0, 0),
            Insn(Alu32AndK, 2, 0, 0, 0xFFFF),
            Insn(LdxW, 3, 1, 0, 0),
            Insn(Alu32RshK, 3, 0, 0, 16),
            Insn(LdxW, 4, 1, 4, 0),
            Insn(LdxW, 5, 1, 8, 0),
        };
        foreach (var rule in rules)
        {
            // Each check jumps past the rule's block when it does not match: to the first instruction of the next rule.
            var block = new List<(byte Op, byte Dst, byte Src, int Imm, bool SkipToEnd)>();
            if (rule.Type != 'a') block.Add((JmpJneK, 2, 0, rule.Type == 'b' ? 1 : 2, true));
            if ((rule.Access & 7) != 7)
            {
                // The access asked for must be within the rule's: (access & ~allowed) == 0.
                block.Add((Alu32MovX, 1, 3, 0, false));
                block.Add((Alu32AndK, 1, 0, ~rule.Access & 0xFFFF, false));
                block.Add((JmpJneK, 1, 0, 0, true));
            }
            if (rule.Major >= 0) block.Add((JmpJneK, 4, 0, (int)rule.Major, true));
            if (rule.Minor >= 0) block.Add((JmpJneK, 5, 0, (int)rule.Minor, true));
            block.Add((Alu64MovK, 0, 0, 1, false));
            block.Add((JmpExit, 0, 0, 0, false));
            for (int i = 0; i < block.Count; i++)
            {
                var (op, dst, src, imm, skip) = block[i];
                short offset = skip ? (short)(block.Count - i - 1) : (short)0;
                code.Add(Insn(op, dst, src, offset, imm));
            }
        }
        code.Add(Insn(Alu64MovK, 0, 0, 0, 0));
        code.Add(Insn(JmpExit, 0, 0, 0, 0));
        return code.ToArray();
    }

    /// <summary>Loads the program for <paramref name="allowList"/> (devices.allow lines) and attaches it to the cgroup folder.</summary>
    public static void Attach(string cgroupDirectory, IEnumerable<string> allowList)
    {
        var rules = new List<Rule>();
        foreach (var line in allowList) rules.Add(Rule.Parse(line));
        var instructions = Build(rules);
        int program = Bpf.LoadProgram(BPF_PROG_TYPE_CGROUP_DEVICE, BPF_CGROUP_DEVICE, instructions, "Apache-2.0", "podshell_devices");
        try
        {
            int cgroup = Libc.open(cgroupDirectory, Libc.O_RDONLY | FileAt.O_DIRECTORY | Libc.O_CLOEXEC, 0);
            if (cgroup < 0)
            {
                throw new System.IO.IOException($"Cannot open the cgroup {cgroupDirectory}: {Libc.ErrorText(System.Runtime.InteropServices.Marshal.GetLastPInvokeError())}");
            }
            try
            {
                Bpf.AttachToCgroup(cgroup, program, BPF_CGROUP_DEVICE, BPF_F_ALLOW_MULTI);
            }
            finally
            {
                Libc.close(cgroup);
            }
        }
        finally
        {
            Libc.close(program);
        }
    }

    // Opcodes (class | op | source): BPF_LDX|BPF_MEM|BPF_W, BPF_ALU|BPF_AND|BPF_K, BPF_ALU|BPF_RSH|BPF_K,
    // BPF_ALU|BPF_MOV|BPF_X, BPF_ALU64|BPF_MOV|BPF_K, BPF_JMP|BPF_JNE|BPF_K, BPF_JMP|BPF_EXIT.
    private const byte LdxW = 0x61, Alu32AndK = 0x54, Alu32RshK = 0x74, Alu32MovX = 0xbc, Alu64MovK = 0xb7, JmpJneK = 0x55, JmpExit = 0x95;

    /// <summary>struct bpf_insn as one little-endian 64-bit word: code, dst_reg (low nibble) and src_reg, s16 off, s32 imm.</summary>
    private static ulong Insn(byte code, byte dst, byte src, short offset, int imm) =>
        code | ((ulong)(byte)((src << 4) | (dst & 0xF)) << 8) | ((ulong)(ushort)offset << 16) | ((ulong)(uint)imm << 32);
}
