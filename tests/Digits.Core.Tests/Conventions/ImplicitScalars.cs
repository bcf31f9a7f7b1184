using System.Reflection;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace Digits.Core.Tests.Conventions;

/// <summary>
/// Finds implicit conversions to <see cref="Scalar"/> in compiled code. The compiler turns each one (<c>t.add(1.0)</c>,
/// <c>1 - t</c>, <c>x.clamp(0, 1)</c>) into a call of a <c>Scalar.op_Implicit</c> operator, and nothing else calls
/// those operators, so reading the IL finds exactly the conversions the compiler chose, overload resolution,
/// lambdas, async methods and source-generated code included, without compiling anything again. The PDB says
/// where each call came from.
/// </summary>
/// <remarks>
/// A cast, <c>(Scalar)1.0</c>, calls the same operator and is reported too: write <c>1.0.ToScalar()</c> and dispose it.
/// </remarks>
public static class ImplicitScalars
{
    /// <summary>One conversion: the source line it is on, the method it is in, and the type converted from.</summary>
    public sealed record Site(string File, int Line, string Method, string From)
    {
        /// <inheritdoc />
        public override string ToString() => $"{File}:{Line}: {From} -> Scalar in {Method}";
    }

    private static readonly Dictionary<ushort, OpCode> s_opCodes = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(op => (ushort)op.Value);

    /// <summary>The conversions in the assembly at <paramref name="path"/>, read with the PDB beside it (or embedded in it).</summary>
    /// <exception cref="FileNotFoundException">No PDB: the lines could not be told, so nothing is claimed.</exception>
    public static IReadOnlyList<Site> InAssembly(string path)
    {
        using var pe = new PEReader(File.OpenRead(path));
        if (!pe.TryOpenAssociatedPortablePdb(path, File.OpenRead, out MetadataReaderProvider? pdb, out _) || pdb is null)
        {
            throw new FileNotFoundException($"'{path}' has no portable PDB beside it or inside it; the check needs one to say where each conversion is.", path);
        }
        using (pdb)
        {
            return Find(pe, pdb.GetMetadataReader());
        }
    }

    /// <summary>The conversions in an assembly and its portable PDB held in streams, as a compiler emits them.</summary>
    public static IReadOnlyList<Site> In(Stream assembly, Stream pdb)
    {
        using var pe = new PEReader(assembly, PEStreamOptions.LeaveOpen);
        using var provider = MetadataReaderProvider.FromPortablePdbStream(pdb, MetadataStreamOptions.LeaveOpen);
        return Find(pe, provider.GetMetadataReader());
    }

    private static List<Site> Find(PEReader pe, MetadataReader pdb)
    {
        MetadataReader metadata = pe.GetMetadataReader();
        var sites = new List<Site>();
        foreach (MethodDefinitionHandle handle in metadata.MethodDefinitions)
        {
            MethodDefinition method = metadata.GetMethodDefinition(handle);
            if (method.RelativeVirtualAddress == 0)
            {
                continue;
            }
            foreach ((int offset, string from) in Conversions(metadata, pe.GetMethodBody(method.RelativeVirtualAddress)))
            {
                (string file, int line) = Where(pdb, handle, offset);
                TypeDefinition type = metadata.GetTypeDefinition(method.GetDeclaringType());
                sites.Add(new Site(file, line, $"{metadata.GetString(type.Name)}.{metadata.GetString(method.Name)}", from));
            }
        }
        return sites;
    }

    /// <summary>The IL offset of each call of a <c>TorchSharp.Scalar.op_Implicit</c> operator, and the type it converts.</summary>
    private static List<(int Offset, string From)> Conversions(MetadataReader metadata, MethodBodyBlock body)
    {
        var found = new List<(int, string)>();
        BlobReader il = body.GetILReader();
        while (il.RemainingBytes > 0)
        {
            int offset = il.Offset;
            byte first = il.ReadByte();
            OpCode op = s_opCodes[first == 0xFE ? (ushort)(0xFE00 | il.ReadByte()) : first];
            if (op == OpCodes.Call)
            {
                if (ConvertedType(metadata, MetadataTokens.EntityHandle(il.ReadInt32())) is { } from)
                {
                    found.Add((offset, from));
                }
            }
            else
            {
                // A switch's operand is read first (its length), so the size is taken before moving on.
                int size = OperandSize(op.OperandType, ref il);
                il.Offset += size;
            }
        }
        return found;
    }

    /// <summary>The type a call converts to <see cref="Scalar"/>, or null when <paramref name="callee"/> is not such an operator.</summary>
    private static string? ConvertedType(MetadataReader metadata, EntityHandle callee)
    {
        if (callee.Kind != HandleKind.MemberReference)
        {
            // A method of the assembly itself, or a generic instantiation: not TorchSharp's operator.
            return null;
        }
        MemberReference member = metadata.GetMemberReference((MemberReferenceHandle)callee);
        if (member.Parent.Kind != HandleKind.TypeReference || !metadata.StringComparer.Equals(member.Name, "op_Implicit"))
        {
            return null;
        }
        TypeReference parent = metadata.GetTypeReference((TypeReferenceHandle)member.Parent);
        if (!metadata.StringComparer.Equals(parent.Namespace, "TorchSharp") || !metadata.StringComparer.Equals(parent.Name, nameof(Scalar)))
        {
            return null;
        }
        // static Scalar op_Implicit(T value): header, parameter count, return type, then T.
        BlobReader signature = metadata.GetBlobReader(member.Signature);
        signature.ReadSignatureHeader();
        signature.ReadCompressedInteger();
        signature.ReadSignatureTypeCode();
        signature.ReadTypeHandle();
        return signature.ReadSignatureTypeCode() switch
        {
            SignatureTypeCode.Boolean => "bool",
            SignatureTypeCode.Byte => "byte",
            SignatureTypeCode.SByte => "sbyte",
            SignatureTypeCode.Int16 => "short",
            SignatureTypeCode.Int32 => "int",
            SignatureTypeCode.Int64 => "long",
            SignatureTypeCode.Single => "float",
            SignatureTypeCode.Double => "double",
            SignatureTypeCode other => other.ToString(),
        };
    }

    /// <summary>The operand's size in bytes; a switch's is read from its table's length.</summary>
    private static int OperandSize(OperandType type, ref BlobReader il) => type switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        OperandType.InlineSwitch => 4 * il.ReadInt32(),
        _ => 4,
    };

    /// <summary>The source line of the last visible sequence point at or before <paramref name="offset"/>.</summary>
    private static (string File, int Line) Where(MetadataReader pdb, MethodDefinitionHandle method, int offset)
    {
        SequencePoint? found = null;
        foreach (SequencePoint point in pdb.GetMethodDebugInformation(method).GetSequencePoints())
        {
            if (point.Offset > offset)
            {
                break;
            }
            if (!point.IsHidden)
            {
                found = point;
            }
        }
        return found is { } p
            ? (pdb.GetString(pdb.GetDocument(p.Document).Name), p.StartLine)
            : ("(no source line)", 0);
    }
}
