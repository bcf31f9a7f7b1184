using System.CommandLine;
using Digits.Core.Models;
using Digits.Core.Persistence;
using Spectre.Console;

namespace Digits.Cli.Commands;

/// <summary><c>digits summary MODEL</c>: the layers, output shapes and parameter counts of a network.</summary>
public static class SummaryCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var model = new Argument<string>("model")
        {
            Description = $"A model name ({string.Join(", ", ModelRegistry.Names)}), a layer-list .json file or a .digits model file.",
        };
        var json = SharedOptions.Json();
        var command = new Command("summary", "Show a network's layers, output shapes and parameter counts.") { model, json };
        command.SetAction(parse =>
        {
            string name = parse.GetValue(model)!;
            ModelDefinition definition = name.EndsWith(ModelFile.Extension, StringComparison.OrdinalIgnoreCase)
                ? ModelFile.Load(name).Definition
                : ModelRegistry.Get(name);
            ModelSummary summary = ModelSummary.Of(definition);
            if (parse.GetValue(json))
            {
                JsonOutput.Write(context.Console, new
                {
                    summary.Model,
                    summary.Output,
                    layers = summary.Rows,
                    summary.TotalParameters,
                    summary.TrainableParameters,
                    summary.NonTrainableParameters,
                    definition.Recipe,
                });
            }
            else
            {
                Tables.WriteSummary(context.Console, summary);
                TrainingRecipe r = definition.Recipe;
                context.Console.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"Recipe (what 'digits train' uses unless told otherwise): {r.Epochs} epochs, batch {r.BatchSize}, {r.Optimizer} lr {r.LearningRate:G4}, " +
                    $"momentum {r.Momentum:G4}, weight decay {r.WeightDecay:G4}, schedule {r.Schedule}, augmentation {r.Augment}."));
            }
            return 0;
        });
        return command;
    }
}
