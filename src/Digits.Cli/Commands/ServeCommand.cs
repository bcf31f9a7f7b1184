using System.CommandLine;
using Digits.Web;
using Digits.Web.Stores;
using Microsoft.Extensions.Hosting;

namespace Digits.Cli.Commands;

/// <summary><c>digits serve</c>: the web app (drawing page and API) with the shipped model, at http://localhost:5000.</summary>
public static class ServeCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CancellationToken cancellationToken)
    {
        var urls = new Option<string?>("--urls") { Description = "Where to listen. Defaults to ASPNETCORE_URLS, then http://localhost:5000." };
        var model = new Option<string?>("--model", "-m") { Description = "A .digits model file. Defaults to the shipped model." };
        var redis = new Option<string?>("--redis") { Description = "Keep visits, counts and corrections in this Redis server (e.g. localhost:6379). Defaults to a SQLite file." };
        var store = new Option<string?>("--store") { Description = $"Folder of the SQLite store. Defaults to {StoreOptions.DefaultDirectory}." };
        var command = new Command("serve", "Start the web app: draw a digit and see the answer.") { urls, model, redis, store };
        command.SetAction(async parse =>
        {
            // Everything else (limits, rates) is configuration, passed through: e.g. --Serve:PredictionBurst=80.
            var args = new List<string>();
            AddSetting(args, "urls", parse.GetValue(urls));
            AddSetting(args, "Serve:ModelPath", parse.GetValue(model));
            AddSetting(args, "Store:Redis", parse.GetValue(redis));
            AddSetting(args, "Store:Directory", parse.GetValue(store));
            await using var app = DigitsWebApp.Create([.. args, .. parse.UnmatchedTokens]);
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            await app.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
            return 0;
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
