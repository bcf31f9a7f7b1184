using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;
using Spectre.Console;

namespace Digits.Cli;

/// <summary>
/// Runs the web app (Digits.Web) as a child process with the same .NET, relays its output line by line, and stops it
/// gracefully (SIGTERM, as a terminal's Ctrl+C would) when the command is cancelled.
/// </summary>
internal static class WebAppProcess
{
    /// <summary>The web app's assembly file name.</summary>
    private const string AppFile = "Digits.Web.dll";

    /// <summary>Where a published Digits keeps the web app, beside the command.</summary>
    private const string PublishedFolder = "web";

    /// <summary>The metadata key under which the build records where it put the web app.</summary>
    private const string BuiltPathKey = "DigitsWebApp";

    private const int SigTerm = 15;

    /// <summary>Runs the web app with <paramref name="args"/> until it exits or <paramref name="cancellationToken"/> fires; returns its exit code.</summary>
    /// <exception cref="FileNotFoundException">The web app is not beside the command, nor where the build put it.</exception>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, CliContext context, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Locate());
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        using Process app = Process.Start(start) ?? throw new IOException("The web app could not be started.");
        app.OutputDataReceived += (_, line) => Relay(line.Data, text => context.Console.WriteLine(text));
        app.ErrorDataReceived += (_, line) => Relay(line.Data, context.Error.WriteLine);
        app.BeginOutputReadLine();
        app.BeginErrorReadLine();
        using (cancellationToken.Register(() => Stop(app)))
        {
            // Not the cancellation token: once asked to stop, the app is waited for while it finishes its requests.
            await app.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        }
        return app.ExitCode;
    }

    private static void Relay(string? line, Action<string> write)
    {
        if (line is not null)
        {
            write(line);
        }
    }

    private static void Stop(Process app)
    {
        try
        {
            if (!app.HasExited && !Terminate(app.Id))
            {
                app.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // It has exited meanwhile.
        }
    }

    /// <summary>The web app: in <see cref="PublishedFolder"/> beside this program, else where the build put it.</summary>
    private static string Locate()
    {
        string published = Path.Combine(AppContext.BaseDirectory, PublishedFolder, AppFile);
        if (File.Exists(published))
        {
            return published;
        }
        string? built = typeof(WebAppProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == BuiltPathKey)?.Value;
        return built is not null && File.Exists(built)
            ? built
            : throw new FileNotFoundException($"The web app ({AppFile}) was not found beside this program nor at '{built}'; build it with 'dotnet build src/Digits.Web'.", published);
    }

    /// <summary>The <c>dotnet</c> host this program runs on: the web app runs on the same .NET.</summary>
    private static string DotnetHost()
    {
        string? host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (host is not null && File.Exists(host))
        {
            return host;
        }
        // The runtime lives in <root>/shared/Microsoft.NETCore.App/<version>/, the host in <root>.
        string root = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));
        string candidate = Path.Combine(root, OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet");
        return File.Exists(candidate) ? candidate : "dotnet";
    }

    /// <summary>Sends SIGTERM, which the web host answers by finishing its requests and stopping; false where that cannot be sent.</summary>
    private static bool Terminate(int pid)
    {
        try
        {
            return !OperatingSystem.IsWindows() && Kill(pid, SigTerm) == 0;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    [DllImport("libc.so.6", EntryPoint = "kill", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Kill(int pid, int signal);
}
