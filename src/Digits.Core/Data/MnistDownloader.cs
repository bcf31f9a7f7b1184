using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;

namespace Digits.Core.Data;

/// <summary>
/// Downloads the official MNIST files: tries each mirror in turn, resumes a partial download, checks the
/// SHA-256 of the uncompressed content, and only then renames the file into place.
/// </summary>
public sealed class MnistDownloader
{
    /// <summary>The usual MNIST mirrors, tried in order.</summary>
    public static IReadOnlyList<Uri> DefaultMirrors { get; } =
    [
        new("https://ossci-datasets.s3.amazonaws.com/mnist/"),
        new("https://storage.googleapis.com/cvdf-datasets/mnist/"),
        new("http://yann.lecun.com/exdb/mnist/"),
    ];

    private const string PartialSuffix = ".part";

    /// <summary>A mirror that sends nothing for this long is given up for the next one.</summary>
    public static readonly TimeSpan DefaultStallTimeout = TimeSpan.FromSeconds(30);

    private readonly TimeSpan _stallTimeout;
    private readonly HttpClient _http;
    private readonly IReadOnlyList<Uri> _mirrors;

    /// <summary>Creates a downloader.</summary>
    /// <param name="http">The client to download with; the caller owns it.</param>
    /// <param name="mirrors">Base addresses to try, in order. Defaults to <see cref="DefaultMirrors"/>.</param>
    /// <param name="stallTimeout">How long a mirror may send nothing before the next is tried. Defaults to 30 s.</param>
    public MnistDownloader(HttpClient http, IReadOnlyList<Uri>? mirrors = null, TimeSpan? stallTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        _http = http;
        _mirrors = mirrors is { Count: > 0 } ? mirrors : DefaultMirrors;
        _stallTimeout = stallTimeout ?? DefaultStallTimeout;
    }

    /// <summary>
    /// Downloads each of <see cref="MnistFiles.All"/> that <paramref name="directory"/> lacks or holds damaged.
    /// Returns the names of the files downloaded.
    /// </summary>
    /// <exception cref="IOException">No mirror gave a file with the right checksum; the message says what each returned.</exception>
    public async Task<IReadOnlyList<string>> DownloadAllAsync(string directory, IProgress<DownloadProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(directory);
        var downloaded = new List<string>();
        foreach (MnistFile file in MnistFiles.All)
        {
            string? existing = MnistFiles.Find(directory, file);
            if (existing is not null && await Task.Run(() => Verify(existing, file), cancellationToken).ConfigureAwait(false) is null)
            {
                continue;
            }
            await DownloadAsync(directory, file, progress, cancellationToken).ConfigureAwait(false);
            downloaded.Add(file.GzipName);
        }
        return downloaded;
    }

    /// <summary>Downloads one file into <paramref name="directory"/>, replacing a damaged copy.</summary>
    public async Task DownloadAsync(string directory, MnistFile file, IProgress<DownloadProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(file);
        Directory.CreateDirectory(directory);
        string target = Path.Combine(directory, file.GzipName);
        string partial = target + PartialSuffix;
        var failures = new List<string>();
        foreach (Uri mirror in _mirrors)
        {
            var address = new Uri(mirror, file.GzipName);
            try
            {
                await FetchAsync(address, partial, file.GzipName, progress, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException e)
            {
                failures.Add($"{address}: {e.Message}");
                continue;
            }
            catch (IOException e)
            {
                failures.Add($"{address}: {e.Message}");
                continue;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                failures.Add($"{address}: sent nothing for {_stallTimeout.TotalSeconds:F0} s.");
                continue;
            }
            string? problem = Verify(partial, file);
            if (problem is null)
            {
                File.Move(partial, target, overwrite: true);
                return;
            }
            File.Delete(partial);
            failures.Add($"{address}: {problem}");
        }
        throw new IOException(
            $"Could not download {file.GzipName}; every mirror failed. {string.Join(" ", failures)} " +
            "Check the network, or copy the four MNIST files into the data folder by hand.");
    }

    /// <summary>
    /// Checks a downloaded or local file: readable (gzip or raw) and with the official SHA-256 of its
    /// uncompressed content. Returns null when good, else what is wrong.
    /// </summary>
    public static string? Verify(string path, MnistFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        byte[] content;
        try
        {
            content = IdxReader.ReadAllBytes(path);
        }
        catch (InvalidDataException e)
        {
            return e.Message;
        }
        string actual = Convert.ToHexStringLower(SHA256.HashData(content));
        return actual == file.Sha256
            ? null
            : $"'{path}' has SHA-256 {actual} for its uncompressed content, expected {file.Sha256}; it is corrupt or incomplete.";
    }

    private async Task FetchAsync(Uri address, string partial, string name, IProgress<DownloadProgress>? progress, CancellationToken cancellationToken)
    {
        // Every wait on the mirror, headers and each read, gets the stall timeout anew.
        using var stall = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stall.CancelAfter(_stallTimeout);
        long offset = File.Exists(partial) ? new FileInfo(partial).Length : 0;
        using var request = new HttpRequestMessage(HttpMethod.Get, address);
        if (offset > 0)
        {
            request.Headers.Range = new RangeHeaderValue(offset, null);
        }
        using HttpResponseMessage response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stall.Token).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
        {
            // The partial file is already complete (or longer than the file): check it as it is.
            return;
        }
        response.EnsureSuccessStatusCode();
        bool resumed = offset > 0 && response.StatusCode == HttpStatusCode.PartialContent;
        if (!resumed)
        {
            offset = 0;
        }
        long? total = response.Content.Headers.ContentLength + offset;
        await using Stream body = await response.Content.ReadAsStreamAsync(stall.Token).ConfigureAwait(false);
        await using var output = new FileStream(partial, resumed ? FileMode.Append : FileMode.Create, FileAccess.Write);
        byte[] buffer = new byte[81920];
        long received = offset;
        int read;
        while ((read = await body.ReadAsync(buffer, stall.Token).ConfigureAwait(false)) > 0)
        {
            stall.CancelAfter(_stallTimeout);
            await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            received += read;
            progress?.Report(new DownloadProgress(name, received, total));
        }
        if (total is not null && received != total)
        {
            throw new IOException($"the download stopped after {received} of {total} bytes");
        }
    }
}
