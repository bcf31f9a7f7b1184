namespace Digits.Core.Training;

/// <summary>Where training stands after one step.</summary>
/// <param name="Epoch">1-based epoch.</param>
/// <param name="Epochs">Last epoch of the run.</param>
/// <param name="Batch">1-based step within the epoch.</param>
/// <param name="Batches">Steps per epoch.</param>
/// <param name="Loss">Mean loss so far in this epoch.</param>
/// <param name="Accuracy">Accuracy so far in this epoch.</param>
/// <param name="ImagesPerSecond">Throughput so far in this epoch.</param>
public sealed record BatchProgress(int Epoch, int Epochs, int Batch, int Batches, double Loss, double Accuracy, double ImagesPerSecond);
