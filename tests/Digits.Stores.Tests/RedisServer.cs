using System.Diagnostics;
using Digits.Tests.Support;
using StackExchange.Redis;

namespace Digits.Stores.Tests;

/// <summary>
/// A real <c>redis-server</c> (Debian's package, installed by <c>.ci/run</c>) on a free loopback port, with no
/// persistence, started for the tests and stopped after.
/// </summary>
public sealed class RedisServer : IDisposable
{
    private readonly Process _process;
    private bool _disposed;

    public RedisServer()
    {
        string executable = new[] { "/usr/bin/redis-server", "/usr/local/bin/redis-server" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("redis-server is not installed; .ci/run installs it (apt-get install redis-server).");
        Port = FreePort.Next();
        _process = Process.Start(new ProcessStartInfo(executable, $"--port {Port} --bind 127.0.0.1 --save \"\" --appendonly no --protected-mode yes")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException("redis-server did not start.");
        _process.OutputDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var waited = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using ConnectionMultiplexer probe = ConnectionMultiplexer.Connect($"{Configuration},connectTimeout=500");
                probe.GetDatabase().Ping();
                return;
            }
            catch (RedisConnectionException) when (waited.Elapsed < TimeSpan.FromSeconds(20) && !_process.HasExited)
            {
                Thread.Sleep(50);
            }
        }
    }

    /// <summary>The port it listens on.</summary>
    public int Port { get; }

    /// <summary>A StackExchange.Redis connection string for it.</summary>
    public string Configuration => $"127.0.0.1:{Port}";

    /// <summary>Deletes every key.</summary>
    public void Flush()
    {
        using ConnectionMultiplexer admin = ConnectionMultiplexer.Connect($"{Configuration},allowAdmin=true");
        admin.GetServer(Configuration).FlushAllDatabases();
    }

    /// <summary>Stops the server; a second call does nothing.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }
        _process.Dispose();
    }
}
