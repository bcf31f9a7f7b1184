using Digits.Stores;

namespace Digits.Stores.Tests;

/// <summary>What every store must do, run against each real store: exact counts under concurrency, and corrections kept.</summary>
public abstract class StoreContractTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static readonly DateOnly s_today = new(2026, 11, 23);

    /// <summary>Opens the store under test (empty at the start of each test), or a second connection to it.</summary>
    protected abstract IDigitsStore Open();

    /// <summary>The <see cref="IDigitsStore.Kind"/> the store under test names itself by.</summary>
    protected abstract string ExpectedKind { get; }

    [Fact]
    public async Task Visits_AThousandAtOnce_CountExactly()
    {
        using IDigitsStore store = Open();

        await Task.WhenAll(Enumerable.Range(0, 1000).Select(i => Task.Run(() => store.RecordVisitAsync(s_today, Cancel), Cancel)));
        await store.RecordVisitAsync(s_today.AddDays(-1), Cancel);

        StoreStats stats = await store.GetStatsAsync(s_today, Cancel);
        Assert.Equal(1001, stats.VisitsTotal);
        Assert.Equal(1000, stats.VisitsToday);
    }

    [Fact]
    public async Task Predictions_AThousandAtOnceFromTwoConnections_CountExactly()
    {
        using IDigitsStore first = Open();
        using IDigitsStore second = Open();

        await Task.WhenAll(Enumerable.Range(0, 1000).Select(i => Task.Run(() => (i % 2 == 0 ? first : second).RecordPredictionAsync(Cancel), Cancel)));

        Assert.Equal(1000, (await second.GetStatsAsync(s_today, Cancel)).Predictions);
    }

    [Fact]
    public async Task Corrections_SurviveReopening_InOrder_WithTheirImages()
    {
        var sent = Enumerable.Range(0, 300)
            .Select(i => new Correction([.. Enumerable.Range(0, 10 + i).Select(b => (byte)(b * i))], i % 10, (i + 3) % 10, "digitnet-test", new DateTimeOffset(2026, 11, 23, 12, 0, i % 60, TimeSpan.Zero)))
            .ToList();
        var ids = new List<long>();
        using (IDigitsStore store = Open())
        {
            foreach (Correction correction in sent)
            {
                ids.Add((await store.AddCorrectionAsync(correction, long.MaxValue, Cancel))!.Id);
            }
        }

        using IDigitsStore reopened = Open();
        var kept = new List<StoredCorrection>();
        await foreach (StoredCorrection correction in reopened.ReadCorrectionsAsync(Cancel))
        {
            kept.Add(correction);
        }

        Assert.Equal(300, (await reopened.GetStatsAsync(s_today, Cancel)).Corrections);
        Assert.Equal(ids, kept.Select(k => k.Id));
        Assert.Equal(ids.Count, ids.Distinct().Count());
        for (int i = 0; i < sent.Count; i++)
        {
            Assert.Equal(sent[i].Image, kept[i].Correction.Image);
            Assert.Equal(sent[i] with { Image = [] }, kept[i].Correction with { Image = [] });
        }
    }

    [Fact]
    public async Task Corrections_AddedAtOnce_GetDistinctIds_AndReadBackInIdOrder()
    {
        using IDigitsStore store = Open();

        long[] ids = await Task.WhenAll(Enumerable.Range(0, 100).Select(i => Task.Run(
            async () => (await store.AddCorrectionAsync(new Correction([(byte)i], i % 10, i % 10, "m", DateTimeOffset.UnixEpoch), long.MaxValue, Cancel))!.Id, Cancel)));
        var kept = new List<StoredCorrection>();
        await foreach (StoredCorrection correction in store.ReadCorrectionsAsync(Cancel))
        {
            kept.Add(correction);
        }

        Assert.Equal(Enumerable.Range(1, 100).Select(i => (long)i), ids.Order());
        Assert.Equal(ids.Order(), kept.Select(k => k.Id));
        // Each id names the correction it was given for.
        Assert.All(kept, k => Assert.Equal(ids[k.Correction.Image[0]], k.Id));
    }

    [Fact]
    public async Task Corrections_SentAtOnceToAStoreNearItsLimit_FillItExactly()
    {
        using IDigitsStore first = Open();
        using IDigitsStore second = Open();
        await first.AddCorrectionAsync(new Correction([1], 1, 7, "m", DateTimeOffset.UnixEpoch), 60, Cancel);

        CorrectionAdded?[] added = await Task.WhenAll(Enumerable.Range(0, 100).Select(i => Task.Run(
            () => (i % 2 == 0 ? first : second).AddCorrectionAsync(new Correction([(byte)i], i % 10, i % 10, "m", DateTimeOffset.UnixEpoch), 60, Cancel), Cancel)));

        // 59 places were left: 59 are kept, each told a different count up to 60, and the other 41 are refused.
        CorrectionAdded[] kept = [.. added.OfType<CorrectionAdded>()];
        Assert.Equal(59, kept.Length);
        Assert.Equal(Enumerable.Range(2, 59).Select(i => (long)i), kept.Select(k => k.Count).Order());
        Assert.Equal(kept.Length, kept.Select(k => k.Id).Distinct().Count());
        Assert.Equal(60, (await second.GetStatsAsync(s_today, Cancel)).Corrections);
        Assert.Null(await first.AddCorrectionAsync(new Correction([2], 1, 7, "m", DateTimeOffset.UnixEpoch), 60, Cancel));
    }

    [Fact]
    public async Task Ping_AnswersWhenTheStoreIsUp()
    {
        using IDigitsStore store = Open();

        await store.PingAsync(Cancel);
        Assert.Equal(ExpectedKind, store.Kind);
    }
}
