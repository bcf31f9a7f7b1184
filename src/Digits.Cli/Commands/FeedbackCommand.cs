using System.CommandLine;
using Digits.Stores;
using Spectre.Console;

namespace Digits.Cli.Commands;

/// <summary><c>digits feedback export DIR</c>: the corrections users sent through the web app, as an image folder for training.</summary>
public static class FeedbackCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CliContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var directory = new Argument<string>("directory") { Description = "Where to write: sub-folders 0-9 of images." };
        var redis = new Option<string?>("--redis") { HelpName = "HOST:PORT", Description = "Read from this Redis server instead of the SQLite store." };
        var store = new Option<string?>("--store") { HelpName = "DIR", Description = $"Folder of the SQLite store. Defaults to {StoreOptions.DefaultDirectory}." };
        var export = new Command("export", "Write stored corrections as an image folder with sub-folders 0-9, ready for training.") { directory, redis, store };
        export.SetAction(async parse =>
        {
            var options = new StoreOptions { Redis = parse.GetValue(redis) };
            options.Directory = parse.GetValue(store) ?? options.Directory;
            if (!options.UsesRedis && !File.Exists(options.SqlitePath))
            {
                throw new FileNotFoundException($"No store at '{options.SqlitePath}': the web app has not run with this folder yet. Pass --store or --redis.", options.SqlitePath);
            }
            using IDigitsStore opened = options.Open();
            int[] written = await CorrectionExport.WriteAsync(opened, parse.GetValue(directory)!, cancellationToken).ConfigureAwait(false);
            var table = new Table().AddColumns("Digit", "New images");
            for (int digit = 0; digit < written.Length; digit++)
            {
                table.AddRow(digit.ToString(System.Globalization.CultureInfo.InvariantCulture), written[digit].ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
            context.Console.Write(table);
            context.Console.MarkupLine($"Wrote {written.Sum()} new correction(s) to {Markup.Escape(Path.GetFullPath(parse.GetValue(directory)!))}.");
            return 0;
        });
        return new Command("feedback", "Corrections sent by users of the web app.") { export };
    }
}
