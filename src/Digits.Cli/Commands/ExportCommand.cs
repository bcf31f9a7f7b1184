using System.CommandLine;
using Digits.Core.Inference;
using Digits.Core.Persistence;
using Digits.Onnx;
using Spectre.Console;

namespace Digits.Cli.Commands;

/// <summary>
/// <c>digits export MODEL -o model.onnx</c>: writes a Digits model as a standard ONNX model, for ONNX Runtime in
/// Python, a browser or a phone, or a serving engine.
/// </summary>
public static class ExportCommand
{
    /// <summary>The ending of the files written.</summary>
    public const string Extension = ".onnx";

    /// <summary>Creates the command.</summary>
    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var model = new Argument<string?>("model") { Description = "A .digits model file. Defaults to the shipped model.", Arity = ArgumentArity.ZeroOrOne };
        var output = new Option<string>("--output", "-o") { HelpName = "FILE", Description = $"The ONNX file to write ({Extension}).", Required = true };
        var force = SharedOptions.Force("an --output file that holds something else than an export of this model");
        var command = new Command("export", "Write a model as ONNX: inputs 'images' [N, C, H, W] in [0, 1], outputs 'logits' and calibrated 'probabilities', the manifest in its metadata.")
        {
            model, output, force,
        };
        command.SetAction(parse =>
        {
            string source = parse.GetValue(model) ?? ShippedModel.Locate();
            string path = parse.GetValue(output)!;
            if (!path.EndsWith(Extension, StringComparison.OrdinalIgnoreCase))
            {
                throw new ArgumentException($"--output '{path}' should end in {Extension}: it names the ONNX file to write.");
            }
            if (source.EndsWith(Extension, StringComparison.OrdinalIgnoreCase))
            {
                throw new ArgumentException($"'{source}' is already an ONNX file; export reads a .digits model file and writes its ONNX form.");
            }
            SavedModel saved = ModelFile.Load(source);
            // A folder in the way is refused even with --force; an export of this same model is replaced without it.
            OutputFile.EnsureWritable(path, force: true, "--output");
            if (!parse.GetValue(force))
            {
                RefuseToReplaceAnotherModel(path, saved.Manifest.Id);
            }
            byte[] onnx = OnnxExporter.Export(saved);
            AtomicFile.Write(path, stream => stream.Write(onnx));
            context.Console.MarkupLine($"Wrote {Markup.Escape(path)} ({onnx.Length / 1024.0:N0} KB): {Markup.Escape(saved.Manifest.Id)}, opset {OnnxExporter.Opset}.");
            return 0;
        });
        return command;
    }

    /// <summary>
    /// An existing file is replaced only when it is an export of the same model: anything else there (another model's
    /// export, a damaged file, something that is not ONNX) is someone's work this run did not start from.
    /// </summary>
    private static void RefuseToReplaceAnotherModel(string path, string modelId)
    {
        if (!File.Exists(path))
        {
            return;
        }
        string? existing;
        try
        {
            using var engine = new OnnxEngine(File.ReadAllBytes(path));
            existing = engine.Metadata.GetValueOrDefault(OnnxMetadata.ModelId);
        }
        catch (InvalidDataException)
        {
            throw new ArgumentException($"'{path}' already exists and is not a Digits ONNX export (damaged, or another kind of file); export will not replace it. Choose another --output, or give --force to replace it.");
        }
        if (existing != modelId)
        {
            throw new ArgumentException($"'{path}' already holds another model ({existing ?? "one without a Digits id"}); export will not replace it. Choose another --output, or give --force to replace it.");
        }
    }
}
