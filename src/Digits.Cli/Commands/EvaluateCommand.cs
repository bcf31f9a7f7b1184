using System.CommandLine;
using System.Globalization;
using Digits.Core;
using Digits.Core.Data;
using Digits.Core.Evaluation;
using Digits.Core.Models;
using Digits.Core.Persistence;
using Spectre.Console;
using TorchSharp;

namespace Digits.Cli.Commands;

/// <summary><c>digits evaluate MODEL</c>: test loss, accuracy, per-class figures and the confusion matrix.</summary>
public static class EvaluateCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var model = new Argument<string>("model") { Description = "A .digits model file." };
        var data = SharedOptions.Data();
        var device = SharedOptions.Device();
        var threads = SharedOptions.Threads();
        var json = SharedOptions.Json();
        var command = new Command("evaluate", "Measure a model on the MNIST test set.") { model, data, device, threads, json };
        command.SetAction(parse =>
        {
            Runtime.Configure(parse.GetValue(threads));
            torch.Device target = Devices.Select(parse.GetValue(device)!);
            SavedModel saved = ModelFile.Load(parse.GetValue(model)!);
            using MnistDataset test = MnistDataset.Load(MnistFiles.ResolveDirectory(parse.GetValue(data)), MnistSplit.Test);
            using DigitsNetwork network = saved.CreateNetwork();
            network.to(target);
            EvaluationResult result = Evaluator.Evaluate(network, test, target);
            IReadOnlyList<ClassMetrics> perClass = result.Confusion.PerClass();
            if (parse.GetValue(json))
            {
                JsonOutput.Write(context.Console, new
                {
                    model = saved.Manifest.Model,
                    file = saved.Path,
                    images = result.Count,
                    loss = result.Loss,
                    accuracy = result.Accuracy,
                    perClass,
                    confusion = result.Confusion.ToArray(),
                });
                return 0;
            }
            context.Console.MarkupLine(
                $"[bold]{Markup.Escape(saved.Manifest.Model)}[/] on {result.Count:N0} test images: accuracy [bold green]{Tables.Percent(result.Accuracy)}[/], " +
                $"loss {result.Loss.ToString("F4", CultureInfo.InvariantCulture)}");
            Tables.WritePerClass(context.Console, perClass);
            Tables.WriteConfusion(context.Console, result.Confusion);
            return 0;
        });
        return command;
    }
}
