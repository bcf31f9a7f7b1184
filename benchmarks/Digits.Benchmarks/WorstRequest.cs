using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Digits.Core.Inference;
using Digits.Core.Persistence;
using Digits.Web;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using TorchSharp;

namespace Digits.Benchmarks;

/// <summary>
/// <c>worst-request [rounds]</c>: the CPU time of the costliest <c>POST /api/predict</c> bodies that can be built
/// within the web app's limits, read and answered exactly as the endpoint does (body, decode or render, prepare,
/// forward pass), beside an ordinary canvas drawing. A refused body counts too: refusing must be cheap.
/// </summary>
public static class WorstRequest
{
    public static int Run(string[] args)
    {
        int rounds = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 5;
        torch.set_num_threads(1);
        using Predictor predictor = Predictor.Load(ShippedModel.Locate());
        var options = new ServeOptions();
        var reader = new DigitRequestReader(Options.Create(options));
        Console.WriteLine($"Costliest request bodies within the limits ({options.MaxRequestBytes / 1024} KB bodies), CPU ms of the whole process, median of {rounds}:");
        Console.WriteLine($"{"body",-62}{"bytes",10}{"status",8}{"cpu ms",9}{"wall ms",9}");
        foreach ((string name, string type, byte[] body) in HostileBodies.All(options))
        {
            var cpu = new List<double>();
            var wall = new List<double>();
            int status = 0;
            for (int i = 0; i <= rounds; i++)
            {
                TimeSpan before = Process.GetCurrentProcess().TotalProcessorTime;
                long start = Stopwatch.GetTimestamp();
                status = Answer(reader, predictor, type, body);
                if (i > 0)
                {
                    // The first round warms up the JIT.
                    wall.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                    cpu.Add((Process.GetCurrentProcess().TotalProcessorTime - before).TotalMilliseconds);
                }
            }
            cpu.Sort();
            wall.Sort();
            Console.WriteLine($"{name,-62}{body.Length,10:N0}{status,8}{cpu[cpu.Count / 2],9:F1}{wall[wall.Count / 2],9:F1}");
        }
        return 0;
    }

    private static int Answer(DigitRequestReader reader, Predictor predictor, string type, byte[] body)
    {
        var context = new DefaultHttpContext();
        context.Request.ContentType = type;
        context.Request.ContentLength = body.Length;
        context.Request.Body = new MemoryStream(body);
        try
        {
            predictor.Predict(reader.ReadDigitAsync(context.Request, CancellationToken.None).GetAwaiter().GetResult());
            return StatusCodes.Status200OK;
        }
        catch (BadInputException e)
        {
            return e.Status;
        }
    }
}
