using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Digits.Cli.Tests.Support;
using Digits.Core.Data;
using Digits.Stores;
using Digits.Tests.Support;

namespace Digits.Cli.Tests.Commands;

/// <summary>
/// <c>digits serve</c> killed with SIGKILL while corrections and predictions arrive, again and again on one SQLite
/// store: after each kill, every correction it acknowledged is in the store, whole, and the prediction count is no
/// lower than the predictions it answered.
/// </summary>
[Collection(TorchTests.Name)]
public sealed class StoreCrashSafetyTests : IDisposable
{
    private const int Kills = 5;

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Serve_KilledUnderLoad_KeepsEveryAcknowledgedCorrectionAndCount()
    {
        string store = _dir.File("store");
        var acknowledged = new ConcurrentDictionary<long, (int Predicted, int Correct)>();
        long answered = 0;
        var random = new Random(19);
        string[] pictures = [.. SharedPenDigits.Digits.Take(10).Select(d => "data:image/png;base64," + Convert.ToBase64String(TestPictures.CanvasPng(d)))];

        for (int kill = 0; kill < Kills; kill++)
        {
            int port = FreePort.Next();
            using Process serve = DigitsProcess.Start(
                "serve", "--urls", $"http://127.0.0.1:{port}", "--store", store, "--Serve:ExpensivePerSecond=1000000", "--Serve:ExpensiveBurst=1000000",
                "--Serve:PredictionsPerSecond=1000000", "--Serve:PredictionBurst=1000000");
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
            await WaitUntilReady(client, serve);
            using var stop = new CancellationTokenSource();
            int round = kill;
            Task[] senders =
            [
                .. Enumerable.Range(0, 6).Select(sender => SendCorrections(client, pictures, (round * 100) + sender, acknowledged, stop.Token)),
                .. Enumerable.Range(0, 2).Select(_ => SendPredictions(client, pictures, () => Interlocked.Increment(ref answered), stop.Token)),
            ];
            await Task.Delay(random.Next(300, 1200), Cancel);
            serve.Kill(entireProcessTree: true);
            await serve.WaitForExitAsync(Cancel);
            await stop.CancelAsync();
            await Task.WhenAll(senders);

            using IDigitsStore opened = new StoreOptions { Directory = store }.Open();
            var kept = new Dictionary<long, (int, int)>();
            await foreach (StoredCorrection correction in opened.ReadCorrectionsAsync(Cancel))
            {
                kept[correction.Id] = (correction.Correction.Predicted, correction.Correction.Correct);
                Assert.NotEmpty(correction.Correction.Image);
            }
            foreach ((long id, (int Predicted, int Correct) sent) in acknowledged)
            {
                Assert.True(kept.TryGetValue(id, out (int, int) found), $"kill {kill + 1}: correction {id} was acknowledged but is not in the store");
                Assert.Equal(sent, found);
            }
            long predictions = (await opened.GetStatsAsync(DateOnly.FromDateTime(DateTime.UtcNow), Cancel)).Predictions;
            Assert.True(predictions >= Interlocked.Read(ref answered), $"kill {kill + 1}: {predictions} predictions counted, {answered} answered");
        }

        TestContext.Current.TestOutputHelper?.WriteLine($"{Kills} kills: {acknowledged.Count} corrections and {answered} predictions acknowledged, all kept.");
        Assert.True(acknowledged.Count >= Kills * 10, $"only {acknowledged.Count} corrections were acknowledged before the kills");
        Assert.True(answered >= Kills * 10, $"only {answered} predictions were answered before the kills");
    }

    /// <summary>Posts corrections until stopped or the server dies, noting each acknowledged one by its id.</summary>
    private static async Task SendCorrections(HttpClient client, string[] pictures, int sender, ConcurrentDictionary<long, (int, int)> acknowledged, CancellationToken stop)
    {
        for (int n = 0; !stop.IsCancellationRequested; n++)
        {
            // Each sender's corrections say different things, so a correction read back under another's id shows.
            (int predicted, int correct) = ((sender + n) % 10, (sender + (n / 10)) % 10);
            try
            {
                using HttpResponseMessage response = await client.PostAsJsonAsync("/api/feedback", new { image = pictures[n % pictures.Length], predicted, correct }, stop);
                if (response.StatusCode == HttpStatusCode.Created)
                {
                    using var body = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync(stop));
                    acknowledged[body.RootElement.GetProperty("id").GetInt64()] = (predicted, correct);
                }
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException)
            {
                return;
            }
        }
    }

    /// <summary>Asks for predictions until stopped or the server dies, calling <paramref name="answered"/> for each answer.</summary>
    private static async Task SendPredictions(HttpClient client, string[] pictures, Action answered, CancellationToken stop)
    {
        for (int n = 0; !stop.IsCancellationRequested; n++)
        {
            try
            {
                using HttpResponseMessage response = await client.PostAsJsonAsync("/api/predict", new { image = pictures[n % pictures.Length] }, stop);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    answered();
                }
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException)
            {
                return;
            }
        }
    }

    private static async Task WaitUntilReady(HttpClient client, Process serve)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            Assert.False(serve.HasExited, $"digits serve ended by itself with exit code {(serve.HasExited ? serve.ExitCode : 0)}");
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), "digits serve was not ready within a minute");
            try
            {
                using HttpResponseMessage ready = await client.GetAsync("/health/ready", Cancel);
                if (ready.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(50, Cancel);
        }
    }
}
