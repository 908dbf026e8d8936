// MSBuild inline task (compiled by RoslynCodeTaskFactory, not part of CtSegLabel.Models): marks named
// symbol-version needs of ELF64 little-endian shared objects as weak, in place. See
// LibTorchSharpLoadable.targets for why. Layout (System V gABI, GNU symbol versioning):
//   section header: name u32, type u32, flags u64, addr u64, offset u64, size u64, link u32, info u32, ...
//   SHT_GNU_verneed (0x6ffffffe) section: a chain of Verneed records
//     Verneed: vn_version u16, vn_cnt u16, vn_file u32, vn_aux u32, vn_next u32
//     Vernaux: vna_hash u32, vna_flags u16, vna_other u16, vna_name u32, vna_next u32
//   names are offsets into the string table named by the section's sh_link.
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

public class WeakenElfVersionNeeds : Task
{
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const ushort VerFlgWeak = 0x2;

    [Required] public ITaskItem[] Files { get; set; }
    [Required] public string Versions { get; set; }

    public override bool Execute()
    {
        var wanted = new HashSet<string>(Versions.Split(new[] { ';', ',' }, StringSplitOptions.RemoveEmptyEntries).Select(v => v.Trim()));
        foreach (var item in Files)
        {
            string path = item.GetMetadata("FullPath");
            try
            {
                var changed = Patch(path, wanted);
                if (changed.Count > 0)
                    Log.LogMessage(MessageImportance.Normal, "{0}: marked version need(s) {1} weak", path, string.Join(", ", changed));
            }
            catch (Exception e) when (e is IOException || e is InvalidDataException || e is UnauthorizedAccessException)
            {
                Log.LogError("cannot make {0} loadable: {1}", path, e.Message);
            }
        }
        return !Log.HasLoggedErrors;
    }

    private static List<string> Patch(string path, HashSet<string> wanted)
    {
        var changed = new List<string>();
        byte[] elf = File.ReadAllBytes(path);
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
            throw new InvalidDataException("not an ELF file");
        if (elf[4] != 2 || elf[5] != 1) throw new InvalidDataException("not a 64-bit little-endian ELF file");

        ulong shoff = U64(elf, 0x28);
        int shentsize = U16(elf, 0x3a), shnum = U16(elf, 0x3c);
        var patches = new List<int>();
        for (int s = 0; s < shnum; s++)
        {
            int sh = Checked(elf, shoff + (ulong)(s * shentsize), 64);
            if (U32(elf, sh + 4) != ShtGnuVerneed) continue;
            int start = Checked(elf, U64(elf, sh + 0x18), 0);
            uint link = U32(elf, sh + 0x28), count = U32(elf, sh + 0x2c);
            int strtab = Checked(elf, U64(elf, Checked(elf, shoff + (ulong)(link * shentsize), 64) + 0x18), 0);

            int need = start;
            for (uint n = 0; n < count; n++)
            {
                Checked(elf, (ulong)need, 16);
                int aux = need + (int)U32(elf, need + 8);
                int auxCount = U16(elf, need + 2);
                for (int a = 0; a < auxCount; a++)
                {
                    Checked(elf, (ulong)aux, 16);
                    string name = CString(elf, strtab + (int)U32(elf, aux + 8));
                    if (wanted.Contains(name) && (U16(elf, aux + 4) & VerFlgWeak) == 0)
                    {
                        patches.Add(aux + 4);
                        changed.Add(name);
                    }
                    aux += (int)U32(elf, aux + 12);
                }
                uint next = U32(elf, need + 12);
                if (next == 0) break;
                need += (int)next;
            }
        }
        if (patches.Count == 0) return changed;

        using (var file = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.None))
        {
            foreach (int at in patches)
            {
                ushort flags = (ushort)(U16(elf, at) | VerFlgWeak);
                file.Position = at;
                file.WriteByte((byte)flags);
                file.WriteByte((byte)(flags >> 8));
            }
        }
        return changed;
    }

    private static int Checked(byte[] elf, ulong offset, int length)
    {
        if (offset > (ulong)elf.Length || (ulong)elf.Length - offset < (ulong)length)
            throw new InvalidDataException($"offset {offset} lies outside the file");
        return (int)offset;
    }

    private static ushort U16(byte[] b, int at) => (ushort)(b[at] | b[at + 1] << 8);
    private static uint U32(byte[] b, int at) => (uint)(b[at] | b[at + 1] << 8 | b[at + 2] << 16 | b[at + 3] << 24);
    private static ulong U64(byte[] b, int at) => U32(b, at) | (ulong)U32(b, at + 4) << 32;
    private static ulong U64(byte[] b, ulong at) => U64(b, (int)at);

    private static string CString(byte[] b, int at)
    {
        int end = Array.IndexOf(b, (byte)0, at);
        if (at < 0 || end < 0) throw new InvalidDataException("unterminated string");
        return Encoding.ASCII.GetString(b, at, end - at);
    }
}
