using System.CommandLine;
using Digits.Stores;

namespace Digits.Cli.Commands;

/// <summary>
/// <c>digits serve</c>: the web app (drawing page and API) with the shipped model, at http://localhost:5000. The web
/// app is its own program, run here as a child process: the command line passes it its settings and relays what it
/// prints, so the CLI holds no web code.
/// </summary>
public static class ServeCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CliContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var urls = new Option<string?>("--urls") { HelpName = "URLS", Description = "Where to listen. Defaults to ASPNETCORE_URLS, then http://localhost:5000." };
        var model = new Option<string?>("--model", "-m") { HelpName = "FILE", Description = "A .digits model file. Defaults to the shipped model." };
        var redis = new Option<string?>("--redis") { HelpName = "HOST:PORT", Description = "Keep visits, counts and corrections in this Redis server (e.g. localhost:6379). Defaults to a SQLite file." };
        var store = new Option<string?>("--store") { HelpName = "DIR", Description = $"Folder of the SQLite store. Defaults to {StoreOptions.DefaultDirectory}." };
        var engine = SharedOptions.Engine();
        var command = new Command("serve", "Start the web app: draw a digit and see the answer.") { urls, model, engine, redis, store };
        command.SetAction(async parse =>
        {
            // Everything else (limits, rates) is configuration, passed through: e.g. --Serve:PredictionBurst=80.
            var args = new List<string>();
            AddSetting(args, "urls", parse.GetValue(urls));
            AddSetting(args, "Serve:ModelPath", parse.GetValue(model) is string path ? Path.GetFullPath(path) : null);
            AddSetting(args, "Serve:Engine", parse.GetValue(engine));
            AddSetting(args, "Store:Redis", parse.GetValue(redis));
            AddSetting(args, "Store:Directory", parse.GetValue(store) is string folder ? Path.GetFullPath(folder) : null);
            return await WebAppProcess.RunAsync([.. args, .. parse.UnmatchedTokens], context, cancellationToken).ConfigureAwait(false);
        });
        command.TreatUnmatchedTokensAsErrors = false;
        return command;
    }

    private static void AddSetting(List<string> args, string key, string? value)
    {
        if (value is not null)
        {
            args.Add($"--{key}={value}");
        }
    }
}
