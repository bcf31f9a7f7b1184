using System.CommandLine;
using Digits.Core;
using Digits.Core.Data;
using Digits.Core.Inference;
using Digits.Core.Persistence;
using Digits.Core.Training;
using Digits.Onnx;

namespace Digits.Cli;

/// <summary>Options several commands share, declared once.</summary>
public static class SharedOptions
{
    /// <summary>The name of the <see cref="Verbose"/> option.</summary>
    public const string VerboseName = "--verbose";

    /// <summary>Creates the option that prints stack traces with errors, for the root command and all below it.</summary>
    public static Option<bool> Verbose() => new(VerboseName, "-v")
    {
        Description = "Show stack traces with errors. Defaults to off.",
        Recursive = true,
    };

    /// <summary>Creates the data-folder option.</summary>
    public static Option<string?> Data() => new("--data")
    {
        HelpName = "DIR",
        Description = $"Folder of the MNIST files. Defaults to ${MnistFiles.DataVariable}, then ./{MnistFiles.DefaultDirectory.Replace('\\', '/')}.",
    };

    /// <summary>Creates the option that measures a model trained on an image folder on a folder of its classes.</summary>
    public static Option<string?> DataDir() => new("--data-dir")
    {
        HelpName = "DIR",
        Description = "For a model trained on an image folder: a folder of the same classes (sub-folders named as its classes) to measure it on.",
    };

    /// <summary>Creates the writer-fold option (train leaves the fold's writers out of pen strokes, evaluate scores only them).</summary>
    public static Option<string?> HeldOut(string what) => new("--held-out")
    {
        Description = $"K/N: writer fold K (from 0) of N, the writers numbered n with (n - 1) mod N = K; {what}",
    };

    /// <summary>Creates the option that lets a command replace an existing file; <paramref name="what"/> says which.</summary>
    public static Option<bool> Force(string what) => new(OutputFile.ForceOption)
    {
        Description = $"Replace {what}. Defaults to refusing, so that no work is lost.",
    };

    /// <summary>Creates the JSON-output option.</summary>
    public static Option<bool> Json() => new("--json")
    {
        Description = "Write machine-readable JSON instead of tables. Defaults to off.",
    };

    /// <summary>Creates the device option.</summary>
    public static Option<string> Device()
    {
        var option = new Option<string>("--device")
        {
            Description = "cpu, cuda, or auto (CUDA when available).",
            DefaultValueFactory = _ => "auto",
        };
        return option.AcceptOnlyFromAmong([.. Devices.Names]);
    }

    /// <summary>Creates the option that chooses what computes the answers.</summary>
    public static Option<string> Engine()
    {
        var option = new Option<string>("--engine")
        {
            Description = $"What computes the answers: {Engines.Torch} (libtorch, on --device) or {Engines.Onnx} (ONNX Runtime on the CPU, the model exported in memory).",
            DefaultValueFactory = _ => Engines.Default,
        };
        return option.AcceptOnlyFromAmong([.. Engines.Names]);
    }

    /// <summary>
    /// Loads <paramref name="modelPath"/> (the shipped model when null) for answering with <paramref name="engine"/>
    /// on <paramref name="device"/>; ONNX Runtime runs on the CPU, so with it <c>auto</c> means the CPU.
    /// </summary>
    public static Predictor OpenPredictor(string? modelPath, string engine, string device, int? threads)
    {
        SavedModel saved = ModelFile.Load(modelPath ?? ShippedModel.Locate());
        TorchSharp.torch.Device? where = engine == Engines.Onnx && device == "auto" ? null : Devices.Select(device);
        return Engines.Open(saved, engine, where, threads ?? Environment.ProcessorCount);
    }

    /// <summary>Creates the thread-count option.</summary>
    public static Option<int?> Threads() => new("--threads")
    {
        Description = "CPU threads for tensor work. Defaults to libtorch's choice (the physical cores).",
    };

    /// <summary>Creates the augmentation option: a preset, options, or a preset changed by options.</summary>
    /// <param name="what">What it augments, to start the description.</param>
    /// <param name="defaultText">What it defaults to, to end the description.</param>
    public static Option<string?> Augment(string what, string defaultText) => new("--augment")
    {
        Description =
            $"{what}: a preset (none; digits = {Augmentation.Digits.Describe()}; photos = {Augmentation.Photos.Describe()}), " +
            "options (rotation and shear in degrees, zoom=F for 1-F to 1+F or zoom=LOW:HIGH, shift as a share of the size, " +
            "elastic in pixels, pen as the share redrawn with a round pen, and the switches flip, stroke and styles, which =off turns off), or a preset changed by options, " +
            $"separated by commas: photos,rotation=20,flip=off. Defaults to {defaultText}.",
    };
}
