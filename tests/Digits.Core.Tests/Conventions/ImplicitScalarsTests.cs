using System.Reflection;
using System.Text;
using Digits.Tests.Support;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Emit;
using Microsoft.CodeAnalysis.Text;

namespace Digits.Core.Tests.Conventions;

/// <summary>
/// No implicit conversion to <see cref="Scalar"/> anywhere in src/. The temporary it creates has a finalizer and no
/// other reference once its handle is passed to libtorch, so a garbage collection during the native call can free
/// it while libtorch reads it ("Unknown scalar type" under concurrent web requests). Write
/// <c>using Scalar s = value.ToScalar();</c> instead, or take it from a <see cref="ScalarScope"/>.
/// </summary>
public sealed class ImplicitScalarsTests
{
    /// <summary>Where the test project's build recorded every src project's assembly (Digits.Core.Tests.csproj).</summary>
    private const string CheckedAssembliesKey = "CheckedSourceAssemblies";

    /// <summary>The framework and TorchSharp, as this test process runs them.</summary>
    private static readonly Lazy<MetadataReference[]> s_references = new(() => [.. ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
        .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
        .Where(path => Path.GetFileName(path) is "TorchSharp.dll" or "netstandard.dll" || Path.GetFileName(path).StartsWith("System.", StringComparison.Ordinal))
        .Select(path => MetadataReference.CreateFromFile(path))]);

    /// <summary>
    /// A small source with conversions (a double, a float in a lambda, a long) and lookalikes that are none: the
    /// Tensor overload of <c>add</c>, an explicit Scalar, and <c>1 - t</c>, whose operator (int, Tensor) makes
    /// and disposes its own Scalar inside TorchSharp.
    /// </summary>
    private const string Planted = """
        using System;
        using TorchSharp;
        using static TorchSharp.torch;

        public static class Planted
        {
            public static Tensor AddOne(Tensor t) => t.add(1.0);
            public static Tensor AddTensor(Tensor t) => t.add(t);
            public static Tensor AddExplicit(Tensor t)
            {
                using Scalar one = 1.0.ToScalar();
                return t.add(one);
            }
            public static Tensor OneMinus(Tensor t) => 1 - t;
            public static Func<Tensor, Tensor> Clamp() => t => t.clamp(0f, 1f);
            public static Tensor Full(Tensor t) => full_like(t, 3L);
            public static Tensor Mean(Tensor t) => t.mean([1L], keepdim: true);
        }
        """;

    [Theory]
    [InlineData(OptimizationLevel.Debug)]
    [InlineData(OptimizationLevel.Release)]
    public void In_PlantedConversions_FindsEachWithItsLineAndNothingElse(OptimizationLevel optimization)
    {
        IReadOnlyList<ImplicitScalars.Site> sites = CompileAndCheck(Planted, optimization);

        Assert.Equal(
            [
                ("Planted.cs", 7, "double", "Planted.AddOne"),
                ("Planted.cs", 15, "float", "<>c.<Clamp>b__4_0"),
                ("Planted.cs", 15, "float", "<>c.<Clamp>b__4_0"),
                ("Planted.cs", 16, "long", "Planted.Full"),
            ],
            sites.OrderBy(s => s.Line).Select(s => (s.File, s.Line, s.From, s.Method)));
    }

    [Fact]
    public void In_SourceWithoutConversions_FindsNone()
    {
        IReadOnlyList<ImplicitScalars.Site> sites = CompileAndCheck("""
            using TorchSharp;
            using static TorchSharp.torch;

            public static class Clean
            {
                public static Tensor Scale(Tensor t, double by)
                {
                    using Scalar factor = by.ToScalar();
                    return t.mul(factor).add(t);
                }
            }
            """, OptimizationLevel.Debug);

        Assert.Empty(sites);
    }

    [Fact]
    public void Src_EveryProject_HasNoImplicitScalarConversion()
    {
        string[] assemblies = (typeof(ImplicitScalarsTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .SingleOrDefault(a => a.Key == CheckedAssembliesKey)?.Value ?? "")
            .Split(';', StringSplitOptions.RemoveEmptyEntries);
        string root = RepositoryFolder.Root;
        int projects = Directory.GetFiles(Path.Combine(root, "src"), "*.csproj", SearchOption.AllDirectories).Length;

        // Every src project is read (the csproj lists them with a wildcard), and each one was built with its PDB.
        Assert.Equal(projects, assemblies.Length);
        Assert.Contains(assemblies, a => Path.GetFileName(a) == "Digits.Core.dll");
        string[] found = [.. assemblies.SelectMany(ImplicitScalars.InAssembly).Select(s => (s with { File = Path.GetRelativePath(root, s.File) }).ToString())];

        Assert.True(found.Length == 0, $"{found.Length} implicit conversions to Scalar; use an explicit, disposed Scalar:\n{string.Join('\n', found)}");
    }

    private static IReadOnlyList<ImplicitScalars.Site> CompileAndCheck(string source, OptimizationLevel optimization)
    {
        SyntaxTree tree = CSharpSyntaxTree.ParseText(SourceText.From(source, Encoding.UTF8), path: "Planted.cs");
        CSharpCompilation compilation = CSharpCompilation.Create(
            "Planted", [tree], s_references.Value, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, optimizationLevel: optimization));
        using var assembly = new MemoryStream();
        using var pdb = new MemoryStream();

        EmitResult result = compilation.Emit(assembly, pdb, options: new EmitOptions(debugInformationFormat: DebugInformationFormat.PortablePdb));

        Assert.True(result.Success, string.Join('\n', result.Diagnostics));
        assembly.Position = 0;
        pdb.Position = 0;
        return ImplicitScalars.In(assembly, pdb);
    }
}
