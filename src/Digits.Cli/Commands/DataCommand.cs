using System.CommandLine;
using Digits.Core.Data;
using Spectre.Console;

namespace Digits.Cli.Commands;

/// <summary><c>digits data download|verify</c>: get the official MNIST files and check them.</summary>
public static class DataCommand
{
    /// <summary>Creates the command with its two sub-commands.</summary>
    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new Command("data", "Download and verify the MNIST files.") { Download(context), Verify(context) };
    }

    private static Command Download(CliContext context)
    {
        var data = SharedOptions.Data();
        var mirrors = new Option<string[]>("--mirror")
        {
            Description = "Base address to download from, tried in the order given. Defaults to the usual MNIST mirrors.",
            AllowMultipleArgumentsPerToken = false,
        };
        var command = new Command("download", "Download the four official MNIST files, checking their SHA-256; resumes partial downloads.") { data, mirrors };
        command.SetAction(async (parse, cancellationToken) =>
        {
            string directory = MnistFiles.ResolveDirectory(parse.GetValue(data));
            Uri[] bases = (parse.GetValue(mirrors) ?? []).Select(ParseMirror).ToArray();
            using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(10) };
            var downloader = new MnistDownloader(http, bases);
            IReadOnlyList<string> fetched = [];
            await context.Console.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new DownloadedColumn(), new TransferSpeedColumn())
                .StartAsync(async progress =>
                {
                    var tasks = new Dictionary<string, ProgressTask>();
                    var reporter = new SynchronousProgress<DownloadProgress>(p =>
                    {
                        if (!tasks.TryGetValue(p.File, out ProgressTask? task))
                        {
                            task = tasks[p.File] = progress.AddTask(p.File, maxValue: p.TotalBytes ?? 1);
                        }
                        if (p.TotalBytes is long total)
                        {
                            task.MaxValue = total;
                        }
                        task.Value = p.Bytes;
                    });
                    fetched = await downloader.DownloadAllAsync(directory, reporter, cancellationToken).ConfigureAwait(false);
                }).ConfigureAwait(false);
            context.Console.MarkupLine(fetched.Count == 0
                ? $"All four MNIST files in {Markup.Escape(directory)} are present and verified."
                : $"Downloaded and verified {Markup.Escape(string.Join(", ", fetched))} into {Markup.Escape(directory)}.");
            return 0;
        });
        return command;
    }

    private static Command Verify(CliContext context)
    {
        var data = SharedOptions.Data();
        var command = new Command("verify", "Check that the four MNIST files are present and have the official SHA-256.") { data };
        command.SetAction(parse =>
        {
            string directory = MnistFiles.ResolveDirectory(parse.GetValue(data));
            var table = new Table().Title($"MNIST files in {Markup.Escape(directory)}").AddColumn("file").AddColumn("status");
            int bad = 0;
            foreach (MnistFile file in MnistFiles.All)
            {
                string? path = MnistFiles.Find(directory, file);
                string? problem = path is null ? "missing" : MnistDownloader.Verify(path, file);
                bad += problem is null ? 0 : 1;
                table.AddRow(Markup.Escape(path is null ? file.GzipName : Path.GetFileName(path)), problem is null ? "[green]ok[/]" : $"[red]{Markup.Escape(problem)}[/]");
            }
            context.Console.Write(table);
            if (bad > 0)
            {
                context.Error.WriteLine($"error: {bad} of {MnistFiles.All.Count} MNIST files in '{directory}' are missing or corrupt; run 'digits data download --data {directory}'.");
                return 1;
            }
            return 0;
        });
        return command;
    }

    private static Uri ParseMirror(string text) =>
        Uri.TryCreate(text.EndsWith('/') ? text : text + "/", UriKind.Absolute, out Uri? uri)
            ? uri
            : throw new ArgumentException($"--mirror '{text}' is not an absolute address such as https://example.org/mnist/.");
}
