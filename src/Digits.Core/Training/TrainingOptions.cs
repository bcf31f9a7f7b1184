using Digits.Core.Models;

namespace Digits.Core.Training;

/// <summary>
/// What a training run changes from the network's recipe, and the run's own settings.
/// Every recipe field left null keeps the recipe's value.
/// </summary>
public sealed class TrainingOptions
{
    /// <summary>Passes over the training set, counted from the first epoch. Defaults to the recipe's.</summary>
    public int? Epochs { get; set; }

    /// <summary>Images per step. Defaults to the recipe's.</summary>
    public int? BatchSize { get; set; }

    /// <summary>sgd, adam, adamw, rmsprop or adadelta. Defaults to the recipe's.</summary>
    public string? Optimizer { get; set; }

    /// <summary>The learning rate. Defaults to the recipe's.</summary>
    public double? LearningRate { get; set; }

    /// <summary>Momentum for SGD and RMSprop. Defaults to the recipe's.</summary>
    public double? Momentum { get; set; }

    /// <summary>Weight decay. Defaults to the recipe's.</summary>
    public double? WeightDecay { get; set; }

    /// <summary>none, step, cosine or onecycle. Defaults to the recipe's.</summary>
    public string? Schedule { get; set; }

    /// <summary>Augmentation: a preset, options or both (see <see cref="Augmentation.Parse"/>). Defaults to the recipe's.</summary>
    public string? Augment { get; set; }

    /// <summary>Seeds the weights, the shuffling, dropout and the validation split. Defaults to 1.</summary>
    public long Seed { get; set; } = 1;

    /// <summary>Share of the training set held out for validation; 0 for none. Defaults to 0.1.</summary>
    public double ValidationSplit { get; set; } = 0.1;

    /// <summary>
    /// The metric that picks the best weights and drives early stopping. Defaults to <c>val_accuracy</c>,
    /// or <c>accuracy</c> when there is no validation set.
    /// </summary>
    public string? Monitor { get; set; }

    /// <summary>
    /// The smallest change of the monitored metric that counts as an improvement, for the best weights and early
    /// stopping alike. Defaults to 0, or a resumed run's own.
    /// </summary>
    public double? MinDelta { get; set; }

    /// <summary>Epochs without improvement before stopping; null never stops early. Defaults to null.</summary>
    public int? EarlyStopPatience { get; set; }

    /// <summary>Train on the first N training images only, for quick tries. Defaults to all.</summary>
    public int? Limit { get; set; }

    /// <summary>A copy, for a run that fills in what was left unset without changing the caller's options.</summary>
    public TrainingOptions Copy() => (TrainingOptions)MemberwiseClone();

    /// <summary>The recipe with this run's overrides applied, checked.</summary>
    public TrainingRecipe ApplyTo(TrainingRecipe recipe)
    {
        ArgumentNullException.ThrowIfNull(recipe);
        TrainingRecipe result = recipe with
        {
            Optimizer = Optimizer ?? recipe.Optimizer,
            LearningRate = LearningRate ?? recipe.LearningRate,
            BatchSize = BatchSize ?? recipe.BatchSize,
            Epochs = Epochs ?? recipe.Epochs,
            Momentum = Momentum ?? recipe.Momentum,
            WeightDecay = WeightDecay ?? recipe.WeightDecay,
            Schedule = Schedule ?? recipe.Schedule,
            // Kept as written back by the parser, so the recipe names the augmentation one way only.
            Augment = Augmentation.Parse(Augment ?? recipe.Augment)?.ToString() ?? "none",
        };
        Validate(result);
        return result;
    }

    /// <summary>The metric to monitor for this run.</summary>
    public string EffectiveMonitor => Monitor ?? (ValidationSplit > 0 ? "val_accuracy" : "accuracy");

    private void Validate(TrainingRecipe recipe)
    {
        Check(OptimizerFactory.Names.Contains(recipe.Optimizer), $"Unknown optimizer '{recipe.Optimizer}'; choose one of {string.Join(", ", OptimizerFactory.Names)}.");
        Check(LearningRateSchedule.Names.Contains(recipe.Schedule), $"Unknown schedule '{recipe.Schedule}'; choose one of {string.Join(", ", LearningRateSchedule.Names)}.");
        Check(recipe.LearningRate > 0, $"The learning rate must be positive; received {recipe.LearningRate}.");
        Check(recipe.BatchSize > 0, $"The batch size must be positive; received {recipe.BatchSize}.");
        Check(recipe.Epochs > 0, $"The number of epochs must be positive; received {recipe.Epochs}.");
        Check(recipe.Momentum >= 0 && recipe.WeightDecay >= 0, "Momentum and weight decay cannot be negative.");
        Check(ValidationSplit is >= 0 and < 1, $"The validation split must be at least 0 and below 1; received {ValidationSplit}.");
        Check(Limit is null or > 0, $"The limit must be positive; received {Limit}.");
        Check(EpochMetrics.MetricNames.Contains(EffectiveMonitor), $"Cannot monitor '{EffectiveMonitor}'; choose one of {string.Join(", ", EpochMetrics.MetricNames)}.");
        Check(MinDelta is null or >= 0, $"The smallest improvement (--min-delta) cannot be negative; received {MinDelta}.");
        Check(ValidationSplit > 0 || !EffectiveMonitor.StartsWith("val_", StringComparison.Ordinal),
            $"Monitoring '{EffectiveMonitor}' needs a validation set; give --val-split above 0 or monitor accuracy or loss.");
    }

    private static void Check(bool condition, string message)
    {
        if (!condition)
        {
            throw new ArgumentException(message);
        }
    }
}
