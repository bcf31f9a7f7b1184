namespace Digits.Core.Models;

/// <summary>
/// How a network is trained by default, taken from the example it comes from. Command-line flags override it.
/// </summary>
/// <param name="Optimizer">One of <c>sgd</c>, <c>adam</c>, <c>adamw</c>, <c>rmsprop</c>, <c>adadelta</c>.</param>
/// <param name="LearningRate">The (initial) learning rate.</param>
/// <param name="BatchSize">Images per step.</param>
/// <param name="Epochs">Passes over the training set.</param>
public sealed record TrainingRecipe(string Optimizer, double LearningRate, int BatchSize, int Epochs)
{
    /// <summary>Momentum for SGD and RMSprop. Defaults to 0.</summary>
    public double Momentum { get; init; }

    /// <summary>L2 weight decay (decoupled for AdamW). Defaults to 0.</summary>
    public double WeightDecay { get; init; }

    /// <summary>The learning-rate schedule: <c>none</c>, <c>step</c>, <c>cosine</c> or <c>onecycle</c>. Defaults to none.</summary>
    public string Schedule { get; init; } = "none";

    /// <summary>The augmentation of each training batch, as <see cref="Training.Augmentation.Parse"/> reads it: <c>none</c>, a preset or options. Defaults to none.</summary>
    public string Augment { get; init; } = "none";
}
