using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Digits.Core.Tests.Support;

/// <summary>One request the server answered: the path, the Range header sent, the status and the body bytes returned.</summary>
public sealed record ServedRequest(string Path, string? Range, int StatusCode, long BytesSent);

/// <summary>
/// A real HTTP server on 127.0.0.1 and a free port, serving byte arrays by path, with single-range
/// <c>Range: bytes=N-</c> / <c>bytes=N-M</c> support (206, or 416 past the end). It records every request.
/// </summary>
public sealed class LocalFileServer : IDisposable
{
    private readonly HttpListener _listener;
    private readonly ConcurrentDictionary<string, byte[]> _files = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<ServedRequest> _requests = new();
    private readonly Task _loop;

    /// <summary>Starts listening on loopback only.</summary>
    public LocalFileServer()
    {
        (_listener, BaseAddress) = Listen();
        _loop = Task.Run(AcceptLoopAsync);
    }

    /// <summary>The server's root, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>The requests answered so far, in order.</summary>
    public IReadOnlyList<ServedRequest> Requests => [.. _requests];

    /// <summary>The base address of a folder, for use as a mirror: <c>http://127.0.0.1:PORT/folder/</c>.</summary>
    public Uri Folder(string folder) => new(BaseAddress, folder + "/");

    /// <summary>Serves <paramref name="content"/> at <c>/folder/name</c>.</summary>
    public void Serve(string folder, string name, byte[] content) => _files[$"/{folder}/{name}"] = content;

    /// <summary>The requests for a file name, in any folder.</summary>
    public IReadOnlyList<ServedRequest> RequestsFor(string name) =>
        [.. _requests.Where(r => r.Path.EndsWith("/" + name, StringComparison.Ordinal))];

    /// <inheritdoc />
    public void Dispose()
    {
        _listener.Close();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The loop ends by the listener's close; how it ends does not matter here.
        }
    }

    private static (HttpListener, Uri) Listen()
    {
        // HttpListener cannot bind port 0, so ask the OS for a free port first; retry if another process takes it meanwhile.
        for (int attempt = 0; ; attempt++)
        {
            int port;
            using (var probe = new TcpListener(IPAddress.Loopback, 0))
            {
                probe.Start();
                port = ((IPEndPoint)probe.LocalEndpoint).Port;
                probe.Stop();
            }
            var address = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/");
            var listener = new HttpListener();
            listener.Prefixes.Add(address.ToString());
            try
            {
                listener.Start();
                return (listener, address);
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                listener.Close();
            }
        }
    }

    private async Task AcceptLoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            _ = Task.Run(() => RespondAsync(context));
        }
    }

    private async Task RespondAsync(HttpListenerContext context)
    {
        HttpListenerResponse response = context.Response;
        string path = context.Request.Url!.AbsolutePath;
        string? range = context.Request.Headers["Range"];
        try
        {
            if (!_files.TryGetValue(path, out byte[]? content))
            {
                Answer(response, path, range, HttpStatusCode.NotFound, 0);
                return;
            }
            long start = 0;
            long end = content.Length - 1;
            if (range is not null && !TryParseRange(range, content.Length, out start, out end))
            {
                response.Headers["Content-Range"] = $"bytes */{content.Length}";
                Answer(response, path, range, HttpStatusCode.RequestedRangeNotSatisfiable, 0);
                return;
            }
            if (range is not null)
            {
                response.Headers["Content-Range"] = $"bytes {start}-{end}/{content.Length}";
            }
            response.Headers["Accept-Ranges"] = "bytes";
            response.ContentType = "application/octet-stream";
            long length = end - start + 1;
            Answer(response, path, range, range is null ? HttpStatusCode.OK : HttpStatusCode.PartialContent, length);
            await response.OutputStream.WriteAsync(content.AsMemory((int)start, (int)length)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException)
        {
            // The client went away; the test sees it through the downloader.
        }
        finally
        {
            try
            {
                response.Close();
            }
            catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException)
            {
                // Closed already by a client that went away.
            }
        }
    }

    /// <summary>Sets the status and length, and records the request before the client can see the answer.</summary>
    private void Answer(HttpListenerResponse response, string path, string? range, HttpStatusCode status, long length)
    {
        response.StatusCode = (int)status;
        response.ContentLength64 = length;
        _requests.Enqueue(new ServedRequest(path, range, (int)status, length));
    }

    /// <summary>Parses <c>bytes=N-</c> or <c>bytes=N-M</c>; false when it starts past the end.</summary>
    private static bool TryParseRange(string header, long length, out long start, out long end)
    {
        const string Prefix = "bytes=";
        start = 0;
        end = length - 1;
        if (!header.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }
        string[] parts = header[Prefix.Length..].Split('-');
        if (parts.Length != 2 || !long.TryParse(parts[0], CultureInfo.InvariantCulture, out start) || start >= length)
        {
            return false;
        }
        if (parts[1].Length > 0)
        {
            if (!long.TryParse(parts[1], CultureInfo.InvariantCulture, out long last) || last < start)
            {
                return false;
            }
            end = Math.Min(last, length - 1);
        }
        return true;
    }
}
