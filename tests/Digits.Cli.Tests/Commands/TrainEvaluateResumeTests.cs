using System.Text.Json;
using Digits.Cli.Tests.Support;
using Digits.Tests.Support;

namespace Digits.Cli.Tests.Commands;

/// <summary>
/// Trains LeNet once for the class on a 3,000-image subset of the real MNIST, the way a user would.
/// Batch 16 instead of the recipe's 64: the recipe's SGD (lr 0.01, momentum 0.5) gets only 42 steps from
/// 2,700 images at batch 64 and stays near 41% test accuracy; 169 steps pass 50% with a wide margin.
/// </summary>
public sealed class TrainedLeNet : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();

    /// <summary>The model file written by the run.</summary>
    public string ModelPath => _dir.File("l.digits");

    /// <summary>What <c>digits train</c> printed.</summary>
    public CliResult Result { get; private set; } = new(-1, "", "");

    public async ValueTask InitializeAsync() =>
        Result = await CliRunner.RunAsync(
            "train", "--model", "lenet", "--limit", "3000", "--epochs", "1", "--batch-size", "16", "--val-split", "0.1",
            "--out", ModelPath, "--data", SharedMnist.Folder, "--json");

    public ValueTask DisposeAsync()
    {
        _dir.Dispose();
        return ValueTask.CompletedTask;
    }
}

/// <summary>One user journey on real data: train, evaluate the file, resume it; and resuming it as the wrong model.</summary>
public sealed class TrainEvaluateResumeTests(TrainedLeNet trained) : IClassFixture<TrainedLeNet>, IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static JsonElement Json(CliResult result)
    {
        Assert.True(result.ExitCode == 0, $"exit code {result.ExitCode}; stderr: {result.Error}");
        using JsonDocument document = JsonDocument.Parse(result.Output);
        return document.RootElement.Clone();
    }

    [Fact]
    public void Train_WithValidationSplit_FitsAndReportsTheCalibration()
    {
        JsonElement calibration = Json(trained.Result).GetProperty("calibration");

        Assert.InRange(calibration.GetProperty("temperature").GetDouble(), 0.05, 20);
        Assert.InRange(calibration.GetProperty("threshold").GetDouble(), 0, 0.99);
        Assert.InRange(calibration.GetProperty("errorBefore").GetDouble(), 0, 1);
        Assert.InRange(calibration.GetProperty("errorAfter").GetDouble(), 0, 1);
    }

    [Fact]
    public async Task Train_DigitNetWithAugmentation_LearnsAndRecordsTheAugmentation()
    {
        string path = _dir.File("d.digits");

        JsonElement json = Json(await CliRunner.RunAsync(
            "train", "--model", "digitnet", "--augment", "digits", "--limit", "4000", "--epochs", "1", "--batch-size", "64",
            "--out", path, "--data", SharedMnist.Folder, "--json"));

        double accuracy = json.GetProperty("testAccuracy").GetDouble();
        Assert.True(accuracy > 0.7, $"test accuracy {accuracy} after one augmented epoch on 3,600 images; expected above 0.7");
        Assert.Equal("digits", Digits.Core.Persistence.ModelFile.Load(path).Manifest.Recipe.Augment);
    }

    [Fact]
    public async Task Train_DigitsWithFlip_TrainsButWarnsThatMirroredDigitsAreNoDigits()
    {
        string path = _dir.File("m.digits");

        CliResult result = await CliRunner.RunAsync(
            "train", "--model", "mlp", "--augment", "flip", "--limit", "1000", "--epochs", "1", "--out", path, "--data", SharedMnist.Folder, "--json");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("flip mirrors half the digits", Assert.Single(result.ErrorLines), StringComparison.Ordinal);
        Assert.Equal("flip", Digits.Core.Persistence.ModelFile.Load(path).Manifest.Recipe.Augment);
    }

    [Fact]
    public void Train_LeNetOnSubset_WritesJsonWithTestAccuracyAboveHalf()
    {
        JsonElement json = Json(trained.Result);

        Assert.Equal("lenet", json.GetProperty("model").GetString());
        Assert.Equal(trained.ModelPath, json.GetProperty("file").GetString());
        Assert.True(File.Exists(trained.ModelPath));
        JsonElement epoch = Assert.Single(json.GetProperty("history").EnumerateArray());
        Assert.Equal(1, epoch.GetProperty("epoch").GetInt32());
        Assert.True(epoch.GetProperty("valAccuracy").GetDouble() > 0, "a validation split of 0.1 gives validation figures");
        double accuracy = json.GetProperty("testAccuracy").GetDouble();
        Assert.True(accuracy > 0.5, $"test accuracy {accuracy} after one epoch on 2,700 images; expected above 0.5");
        Assert.Empty(trained.Result.Error);
    }

    [Fact]
    public async Task Evaluate_TrainedModel_ReportsTheAccuracyTrainingReported()
    {
        double trainedAccuracy = Json(trained.Result).GetProperty("testAccuracy").GetDouble();

        JsonElement json = Json(await CliRunner.RunAsync("evaluate", trained.ModelPath, "--data", SharedMnist.Folder, "--json"));

        Assert.Equal("lenet", json.GetProperty("model").GetString());
        Assert.Equal(10_000, json.GetProperty("images").GetInt64());
        Assert.Equal(trainedAccuracy, json.GetProperty("accuracy").GetDouble(), precision: 9);
    }

    [Fact]
    public async Task Train_Resume_ContinuesToTwoEpochsKeepingTheFirst()
    {
        JsonElement first = Assert.Single(Json(trained.Result).GetProperty("history").EnumerateArray());
        string copy = _dir.File("resumed.digits");
        File.Copy(trained.ModelPath, copy);

        JsonElement json = Json(await CliRunner.RunAsync("train", "--resume", copy, "--epochs", "2", "--data", SharedMnist.Folder, "--json"));

        Assert.Equal("lenet", json.GetProperty("model").GetString());
        Assert.Equal(copy, json.GetProperty("file").GetString());
        JsonElement[] history = [.. json.GetProperty("history").EnumerateArray()];
        Assert.Equal([1, 2], history.Select(e => e.GetProperty("epoch").GetInt32()));
        // The first epoch comes from the file, not from training again.
        Assert.Equal(first.GetProperty("loss").GetDouble(), history[0].GetProperty("loss").GetDouble());
        Assert.True(json.GetProperty("testAccuracy").GetDouble() > 0.5);
    }

    [Fact]
    public async Task Train_ResumeAsAnotherModel_ExitsOneNamingTheCheckpointsModel()
    {
        Json(trained.Result);
        DateTime written = File.GetLastWriteTimeUtc(trained.ModelPath);

        CliResult result = await CliRunner.RunAsync("train", "--resume", trained.ModelPath, "--model", "cnn", "--data", SharedMnist.Folder);

        Assert.Equal(1, result.ExitCode);
        string line = Assert.Single(result.ErrorLines);
        Assert.Contains("checkpoint of 'lenet'", line);
        Assert.Contains("'cnn'", line);
        Assert.Equal(written, File.GetLastWriteTimeUtc(trained.ModelPath));
    }
}
