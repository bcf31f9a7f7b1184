using Digits.Core.Models;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Digits.Core.Training;

/// <summary>Creates the optimiser a recipe names.</summary>
public static class OptimizerFactory
{
    /// <summary>The optimiser names.</summary>
    public static IReadOnlyList<string> Names { get; } = ["sgd", "adam", "adamw", "rmsprop", "adadelta"];

    /// <summary>RMSprop's smoothing constant: Keras's rho of 0.9, the one the Keras examples train with.</summary>
    private const double RmsPropAlpha = 0.9;

    /// <summary>Creates the optimiser for <paramref name="parameters"/>.</summary>
    public static optim.Optimizer Create(TrainingRecipe recipe, IEnumerable<Parameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(recipe);
        return recipe.Optimizer switch
        {
            "sgd" => optim.SGD(parameters, recipe.LearningRate, momentum: recipe.Momentum, weight_decay: recipe.WeightDecay),
            "adam" => optim.Adam(parameters, recipe.LearningRate, weight_decay: recipe.WeightDecay),
            "adamw" => optim.AdamW(parameters, recipe.LearningRate, weight_decay: recipe.WeightDecay),
            "rmsprop" => optim.RMSProp(parameters, recipe.LearningRate, alpha: RmsPropAlpha, momentum: recipe.Momentum, weight_decay: recipe.WeightDecay),
            "adadelta" => optim.Adadelta(parameters, recipe.LearningRate, weight_decay: recipe.WeightDecay),
            _ => throw new ArgumentException($"Unknown optimizer '{recipe.Optimizer}'; choose one of {string.Join(", ", Names)}."),
        };
    }

    /// <summary>Sets the learning rate of every parameter group.</summary>
    public static void SetLearningRate(optim.Optimizer optimizer, double rate)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        foreach (ParamGroup group in optimizer.ParamGroups)
        {
            group.LearningRate = rate;
        }
    }
}
