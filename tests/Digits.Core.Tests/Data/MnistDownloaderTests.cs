using System.Collections.Concurrent;
using System.IO.Compression;
using Digits.Core.Data;
using Digits.Core.Tests.Support;
using Digits.Tests.Support;

namespace Digits.Core.Tests.Data;

/// <summary>The downloader against a real HTTP server on loopback that serves the shared MNIST files, good and broken.</summary>
public sealed class MnistDownloaderTests : IDisposable
{
    private const string Good = "good";
    private const string Broken = "broken";

    // The small file serves most cases: 4.5 kB, so each test takes milliseconds.
    private static readonly MnistFile s_small = MnistFiles.TestLabels;

    private readonly LocalFileServer _server = new();
    private readonly TempDirectory _dir = new TempDirectory();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    public MnistDownloaderTests()
    {
        foreach (MnistFile file in MnistFiles.All)
        {
            _server.Serve(Good, file.GzipName, Original(file));
        }
    }

    public void Dispose()
    {
        _http.Dispose();
        _server.Dispose();
        _dir.Dispose();
    }

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    private string Target(MnistFile file) => _dir.File(file.GzipName);

    private string Partial(MnistFile file) => Target(file) + ".part";

    private MnistDownloader Downloader(params string[] folders) => new(_http, [.. folders.Select(_server.Folder)]);

    [Fact]
    public async Task DownloadAllAsync_EmptyFolder_DownloadsAllFourVerifiedWithProgress()
    {
        var progress = new ProgressLog();

        IReadOnlyList<string> downloaded = await Downloader(Good).DownloadAllAsync(_dir.Path, progress, Cancellation);

        Assert.Equal(MnistFiles.All.Select(f => f.GzipName), downloaded);
        foreach (MnistFile file in MnistFiles.All)
        {
            Assert.Null(MnistDownloader.Verify(Target(file), file));
            long size = Original(file).Length;
            DownloadProgress last = progress.Reports.Last(p => p.File == file.GzipName);
            Assert.Equal(size, last.Bytes);
            Assert.Equal(size, last.TotalBytes);
        }
        Assert.Empty(Directory.GetFiles(_dir.Path, "*.part"));
    }

    [Theory]
    [InlineData(Variant.ContentChanged)]
    [InlineData(Variant.GzipDamaged)]
    [InlineData(Variant.Truncated)]
    [InlineData(Variant.Missing)]
    public async Task DownloadAsync_BadFirstMirror_TakesTheFileFromTheNext(Variant variant)
    {
        ServeBroken(s_small, variant);

        await Downloader(Broken, Good).DownloadAsync(_dir.Path, s_small, cancellationToken: Cancellation);

        Assert.Equal(Original(s_small), File.ReadAllBytes(Target(s_small)));
        Assert.False(File.Exists(Partial(s_small)));
        Assert.Equal([$"/{Broken}/{s_small.GzipName}", $"/{Good}/{s_small.GzipName}"], _server.Requests.Select(r => r.Path));
    }

    [Theory]
    [InlineData(Variant.ContentChanged, "corrupt")]
    [InlineData(Variant.GzipDamaged, "damaged")]
    [InlineData(Variant.Truncated, "incomplete")]
    public async Task DownloadAsync_OnlyABadMirror_ThrowsNamingTheFileAndLeavesNoFile(Variant variant, string problem)
    {
        ServeBroken(s_small, variant);

        var e = await Assert.ThrowsAsync<IOException>(() => Downloader(Broken).DownloadAsync(_dir.Path, s_small, cancellationToken: Cancellation));

        Assert.Contains(s_small.GzipName, e.Message);
        Assert.Contains(problem, e.Message, StringComparison.OrdinalIgnoreCase);
        Assert.False(File.Exists(Target(s_small)));
        Assert.False(File.Exists(Partial(s_small)));
    }

    [Fact]
    public async Task DownloadAsync_ChecksumMismatch_MessageGivesExpectedSha()
    {
        ServeBroken(s_small, Variant.ContentChanged);

        var e = await Assert.ThrowsAsync<IOException>(() => Downloader(Broken).DownloadAsync(_dir.Path, s_small, cancellationToken: Cancellation));

        Assert.Contains("SHA-256", e.Message);
        Assert.Contains(s_small.Sha256, e.Message);
    }

    [Fact]
    public async Task DownloadAsync_PartialFilePresent_ResumesWithRangeRequest()
    {
        byte[] original = Original(s_small);
        int half = original.Length / 2;
        File.WriteAllBytes(Partial(s_small), original.AsSpan(0, half).ToArray());

        await Downloader(Good).DownloadAsync(_dir.Path, s_small, cancellationToken: Cancellation);

        ServedRequest request = Assert.Single(_server.RequestsFor(s_small.GzipName));
        Assert.Equal($"bytes={half}-", request.Range);
        Assert.Equal(206, request.StatusCode);
        Assert.Equal(original.Length - half, request.BytesSent);
        Assert.Null(MnistDownloader.Verify(Target(s_small), s_small));
        Assert.False(File.Exists(Partial(s_small)));
    }

    [Fact]
    public async Task DownloadAsync_PartialFileAlreadyComplete_VerifiesItWithoutDownloadingAgain()
    {
        byte[] original = Original(s_small);
        File.WriteAllBytes(Partial(s_small), original);

        await Downloader(Good).DownloadAsync(_dir.Path, s_small, cancellationToken: Cancellation);

        ServedRequest request = Assert.Single(_server.RequestsFor(s_small.GzipName));
        Assert.Equal(416, request.StatusCode);
        Assert.Equal(original, File.ReadAllBytes(Target(s_small)));
    }

    [Fact]
    public async Task DownloadAllAsync_ValidFilesPresent_DownloadsOnlyTheMissingAndDamaged()
    {
        foreach (MnistFile file in new[] { MnistFiles.TrainImages, MnistFiles.TestImages })
        {
            File.Copy(Path.Combine(SharedMnist.Folder, file.GzipName), Target(file));
        }
        File.WriteAllBytes(Target(MnistFiles.TrainLabels), Broke(Original(MnistFiles.TrainLabels), Variant.ContentChanged));

        IReadOnlyList<string> downloaded = await Downloader(Good).DownloadAllAsync(_dir.Path, cancellationToken: Cancellation);

        Assert.Equal([MnistFiles.TrainLabels.GzipName, MnistFiles.TestLabels.GzipName], downloaded);
        Assert.Equal(
            [$"/{Good}/{MnistFiles.TrainLabels.GzipName}", $"/{Good}/{MnistFiles.TestLabels.GzipName}"],
            _server.Requests.Select(r => r.Path));
        foreach (MnistFile file in MnistFiles.All)
        {
            Assert.Null(MnistDownloader.Verify(Target(file), file));
        }
    }

    /// <summary>How the broken mirror spoils a file.</summary>
    public enum Variant
    {
        /// <summary>A valid gzip whose uncompressed content has one byte changed: only the checksum can tell.</summary>
        ContentChanged,

        /// <summary>Bytes changed inside the compressed stream.</summary>
        GzipDamaged,

        /// <summary>The first half of the gzip file.</summary>
        Truncated,

        /// <summary>Not there: 404.</summary>
        Missing,
    }

    private void ServeBroken(MnistFile file, Variant variant)
    {
        if (variant != Variant.Missing)
        {
            _server.Serve(Broken, file.GzipName, Broke(Original(file), variant));
        }
    }

    private static byte[] Broke(byte[] gzip, Variant variant)
    {
        switch (variant)
        {
            case Variant.ContentChanged:
                {
                    byte[] content = Gunzip(gzip);
                    // The first label: a different digit keeps the file a valid IDX file.
                    content[8] = (byte)((content[8] + 1) % 10);
                    return IdxFiles.Gzip(content);
                }
            case Variant.GzipDamaged:
                {
                    byte[] damaged = (byte[])gzip.Clone();
                    for (int i = damaged.Length / 2; i < (damaged.Length / 2) + 16; i++)
                    {
                        damaged[i] ^= 0x5a;
                    }
                    return damaged;
                }
            case Variant.Truncated:
                return gzip.AsSpan(0, gzip.Length / 2).ToArray();
            default:
                throw new ArgumentOutOfRangeException(nameof(variant), variant, "No bytes for this variant.");
        }
    }

    private static readonly ConcurrentDictionary<string, byte[]> s_originals = new(StringComparer.Ordinal);

    /// <summary>The real .gz file from the shared data folder, read once.</summary>
    private static byte[] Original(MnistFile file) =>
        s_originals.GetOrAdd(file.GzipName, name => File.ReadAllBytes(Path.Combine(SharedMnist.Folder, name)));

    private static byte[] Gunzip(byte[] gzip)
    {
        using var input = new GZipStream(new MemoryStream(gzip), CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }

    /// <summary>Keeps every report, on the reporting thread (unlike <see cref="Progress{T}"/>, which posts them later).</summary>
    private sealed class ProgressLog : IProgress<DownloadProgress>
    {
        private readonly ConcurrentQueue<DownloadProgress> _reports = new();

        public IReadOnlyList<DownloadProgress> Reports => [.. _reports];

        public void Report(DownloadProgress value) => _reports.Enqueue(value);
    }
}
