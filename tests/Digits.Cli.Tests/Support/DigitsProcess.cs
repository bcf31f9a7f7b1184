using System.Diagnostics;

namespace Digits.Cli.Tests.Support;

/// <summary>The real <c>digits</c> program, the one built beside the tests, run as a child process that a test can kill.</summary>
public static class DigitsProcess
{
    /// <summary>Starts <c>digits</c> with <paramref name="args"/>; its output is read and dropped, so it never blocks on a full pipe.</summary>
    public static Process Start(params string[] args) => StartIn(Environment.CurrentDirectory, args);

    /// <summary>Starts <c>digits</c> with <paramref name="args"/> in the folder <paramref name="directory"/>, as a person typing there would.</summary>
    public static Process StartIn(string directory, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = directory,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "digits.dll"));
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        Process process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }
}
