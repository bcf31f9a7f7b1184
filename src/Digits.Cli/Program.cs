using System.Runtime.InteropServices;
using Digits.Cli;
using Spectre.Console;

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // The first Ctrl+C asks training to stop after the current step and save; a second one ends the process.
    if (!cancellation.IsCancellationRequested)
    {
        e.Cancel = true;
        cancellation.Cancel();
    }
};
// SIGTERM (a service manager stopping the program) asks the same, so that `digits serve` stops its web app too.
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, signal =>
{
    signal.Cancel = true;
    cancellation.Cancel();
});
return await DigitsCli.RunAsync(args, AnsiConsole.Console, Console.Error, cancellation.Token);
