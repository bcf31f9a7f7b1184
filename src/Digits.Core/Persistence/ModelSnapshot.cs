using Digits.Core.Models;
using static TorchSharp.torch;

namespace Digits.Core.Persistence;

/// <summary>Everything a model file holds, as the training code hands it over to be saved.</summary>
/// <param name="Definition">The network and where it comes from.</param>
/// <param name="Recipe">The recipe the run used, overrides included.</param>
/// <param name="Training">Where the run stands.</param>
/// <param name="Calibration">The fitted temperature and threshold, or null.</param>
/// <param name="InferenceWeights">The weights to answer with: the best epoch's (on the CPU).</param>
/// <param name="LatestWeights">The weights after the last epoch when they differ from those, for resuming; else null.</param>
/// <param name="Optimizer">The optimiser, whose state is saved for resuming.</param>
public sealed record ModelSnapshot(
    ModelDefinition Definition, TrainingRecipe Recipe, TrainingRecord Training, Calibration? Calibration,
    IReadOnlyDictionary<string, Tensor> InferenceWeights, IReadOnlyDictionary<string, Tensor>? LatestWeights, optim.Optimizer Optimizer);
