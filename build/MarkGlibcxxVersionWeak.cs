using System;
using System.IO;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

/// <summary>
/// Marks one symbol-version requirement of an ELF64 little-endian shared library as weak, so the
/// dynamic loader accepts the library when the system lacks that version. Does nothing when the
/// system's libstdc++ already provides the version, or when the flag is already set.
/// </summary>
public class MarkGlibcxxVersionWeak : Task
{
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const ushort VerFlgWeak = 0x2;

    private static readonly string[] s_libstdcxxCandidates =
    {
        "/usr/lib/x86_64-linux-gnu/libstdc++.so.6",
        "/usr/lib/aarch64-linux-gnu/libstdc++.so.6",
        "/usr/lib64/libstdc++.so.6",
        "/lib64/libstdc++.so.6",
        "/usr/lib/libstdc++.so.6",
    };

    [Required]
    public ITaskItem[] Files { get; set; } = Array.Empty<ITaskItem>();

    [Required]
    public string Version { get; set; } = "";

    public override bool Execute()
    {
        if (SystemHasVersion())
        {
            Log.LogMessage(MessageImportance.Low, "The system libstdc++ provides {0}; nothing to patch.", Version);
            return true;
        }

        foreach (ITaskItem item in Files)
        {
            string path = item.GetMetadata("FullPath");
            string outcome = Patch(path);
            Log.LogMessage(MessageImportance.Normal, "{0}: {1}", path, outcome);
        }
        return !Log.HasLoggedErrors;
    }

    private bool SystemHasVersion()
    {
        byte[] needle = Encoding.ASCII.GetBytes(Version + "\0");
        foreach (string candidate in s_libstdcxxCandidates)
        {
            if (File.Exists(candidate) && IndexOf(File.ReadAllBytes(candidate), needle) >= 0)
            {
                return true;
            }
        }
        return false;
    }

    private string Patch(string path)
    {
        byte[] elf = File.ReadAllBytes(path);
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F' || elf[4] != 2 || elf[5] != 1)
        {
            Log.LogError("{0} is not a 64-bit little-endian ELF file.", path);
            return "not patched";
        }

        long sectionHeaders = BitConverter.ToInt64(elf, 0x28);
        int sectionHeaderSize = BitConverter.ToUInt16(elf, 0x3A);
        int sectionCount = BitConverter.ToUInt16(elf, 0x3C);
        for (int i = 0; i < sectionCount; i++)
        {
            int header = checked((int)(sectionHeaders + (long)i * sectionHeaderSize));
            if (BitConverter.ToUInt32(elf, header + 4) != ShtGnuVerneed)
            {
                continue;
            }

            int verneed = checked((int)BitConverter.ToInt64(elf, header + 0x18));
            int link = (int)BitConverter.ToUInt32(elf, header + 0x28);
            int strings = checked((int)BitConverter.ToInt64(elf, checked((int)(sectionHeaders + (long)link * sectionHeaderSize)) + 0x18));
            return PatchVerneed(path, elf, verneed, strings);
        }
        return "no version requirements";
    }

    private string PatchVerneed(string path, byte[] elf, int entry, int strings)
    {
        while (true)
        {
            int auxCount = BitConverter.ToUInt16(elf, entry + 2);
            int aux = entry + (int)BitConverter.ToUInt32(elf, entry + 8);
            for (int j = 0; j < auxCount; j++)
            {
                string name = ReadString(elf, strings + (int)BitConverter.ToUInt32(elf, aux + 8));
                if (name == Version)
                {
                    ushort flags = BitConverter.ToUInt16(elf, aux + 4);
                    if ((flags & VerFlgWeak) != 0)
                    {
                        return Version + " is already weak";
                    }
                    BitConverter.GetBytes((ushort)(flags | VerFlgWeak)).CopyTo(elf, aux + 4);
                    string temp = path + ".tmp";
                    File.WriteAllBytes(temp, elf);
                    File.Replace(temp, path, null);
                    return "marked " + Version + " weak";
                }
                aux += (int)BitConverter.ToUInt32(elf, aux + 12);
            }

            uint next = BitConverter.ToUInt32(elf, entry + 12);
            if (next == 0)
            {
                return "does not need " + Version;
            }
            entry += (int)next;
        }
    }

    private static string ReadString(byte[] bytes, int start)
    {
        int end = Array.IndexOf(bytes, (byte)0, start);
        return Encoding.ASCII.GetString(bytes, start, end - start);
    }

    private static int IndexOf(byte[] haystack, byte[] needle)
    {
        for (int i = 0; i + needle.Length <= haystack.Length; i++)
        {
            int k = 0;
            while (k < needle.Length && haystack[i + k] == needle[k])
            {
                k++;
            }
            if (k == needle.Length)
            {
                return i;
            }
        }
        return -1;
    }
}
