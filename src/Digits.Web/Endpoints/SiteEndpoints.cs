using Digits.Core.Inference;
using Digits.Core.Preprocessing;
using Digits.Stores;
using Digits.Web.Api;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Digits.Web.Endpoints;

/// <summary>The page (a visit, counted once per address each half hour), the model's description, the counts, and users' corrections.</summary>
public static class SiteEndpoints
{
    /// <summary>The group these endpoints are listed under in the OpenAPI document.</summary>
    private const string Tag = "Model, counts and corrections";

    /// <summary>Maps <c>GET /</c>, <c>GET /api/model</c>, <c>GET /api/stats</c> and <c>POST /api/feedback</c>.</summary>
    public static IEndpointRouteBuilder MapSiteEndpoints(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/", PageAsync).ExcludeFromDescription();
        app.MapGet("/api/model", (ModelInfo model) => TypedResults.Ok(model))
            .WithName("Model")
            .WithTags(Tag)
            .WithSummary("The model answering")
            .WithDescription("Its id, architecture, parameter count, test accuracy, \"not sure\" threshold and creation time.");
        app.MapGet("/api/stats", StatsAsync)
            .WithName("Stats")
            .WithTags(Tag)
            .WithSummary("Visits, predictions and corrections")
            .WithDescription("Page visits in total and today (UTC), predictions answered and corrections stored.")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .RequiresApiKey();
        app.MapPost("/api/feedback", FeedbackAsync)
            .WithName("Feedback")
            .WithTags(Tag)
            .WithSummary("Store a correction for retraining")
            .WithDescription("Takes {image, predicted, correct}: the picture as a PNG or JPEG data URL, the digit the model said and the one it was. " +
                "'digits feedback export DIR' writes the stored corrections as an image folder for training.")
            .Accepts<FeedbackRequest>("application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status507InsufficientStorage)
            .AnswersBadInput()
            .RefusesOtherSites()
            .RequiresApiKey()
            .RequireRateLimiting(RateLimits.Expensive);
        return app;
    }

    private static async Task<PhysicalFileHttpResult> PageAsync(
        HttpContext context, IWebHostEnvironment environment, IDigitsStore store, VisitGate visits, TimeProvider clock, ILogger<IDigitsStore> log,
        CancellationToken cancellationToken)
    {
        if (visits.IsNewVisit(RateLimits.ClientOf(context)))
        {
            await Counting.BestEffortAsync(() => store.RecordVisitAsync(Today(clock), cancellationToken), log);
        }
        return TypedResults.PhysicalFile(Path.Combine(environment.WebRootPath, "index.html"), "text/html; charset=utf-8");
    }

    private static async Task<Ok<StatsResponse>> StatsAsync(IDigitsStore store, TimeProvider clock, CancellationToken cancellationToken)
    {
        StoreStats stats = await store.GetStatsAsync(Today(clock), cancellationToken);
        return TypedResults.Ok(new StatsResponse(new VisitCounts(stats.VisitsTotal, stats.VisitsToday), stats.Predictions, stats.Corrections));
    }

    /// <summary>Stores a correction. A refusal, a <see cref="BadInputException"/>, is answered by <see cref="BadInputFilter"/>.</summary>
    private static async Task<Results<Created<FeedbackResponse>, ProblemHttpResult>> FeedbackAsync(
        HttpRequest request, DigitRequestReader reader, Predictor predictor, IDigitsStore store, TimeProvider clock, IOptions<ServeOptions> options,
        CancellationToken cancellationToken)
    {
        if (!request.HasJsonContentType())
        {
            throw new BadInputException(StatusCodes.Status415UnsupportedMediaType,
                $"Content type {DigitRequestReader.Shown(request.ContentType)} is not accepted here. Send JSON, with the header Content-Type: application/json.");
        }
        FeedbackRequest feedback = Parse(await reader.ReadBodyAsync(request, cancellationToken));
        byte[] image = DigitRequestReader.DecodeDataUrl(feedback.Image);
        if (image.Length > options.Value.MaxCorrectionBytes)
        {
            throw new BadInputException(StatusCodes.Status413PayloadTooLarge,
                $"The picture is {image.Length:N0} bytes; corrections keep pictures of up to {options.Value.MaxCorrectionBytes:N0} bytes. Send the canvas's PNG.");
        }
        GreyImage picture = reader.Decode(image);
        // A blank canvas, a tap or a blob would teach the model a digit where there is none.
        if (ImagePreprocessor.Prepare(picture) is { Problem: InkProblem.Blank or InkProblem.Shapeless } nothing)
        {
            throw new BadInputException($"{nothing.Detail} A correction needs a drawn digit, so this one was not kept.");
        }
        // Kept as the grey PNG of what was decoded, never the bytes sent, which may carry anything after the picture.
        byte[] kept = picture.ToPng();
        var correction = new Correction(kept, feedback.Predicted!.Value, feedback.Correct!.Value, predictor.Id, clock.GetUtcNow());
        CorrectionAdded added = await store.AddCorrectionAsync(correction, options.Value.MaxCorrections, cancellationToken)
            ?? throw new BadInputException(StatusCodes.Status507InsufficientStorage,
                $"The corrections store is full ({options.Value.MaxCorrections:N0} kept), so this one was not kept; whoever runs the site can raise Serve:MaxCorrections.");
        return TypedResults.Created((string?)null, new FeedbackResponse(added.Id, added.Count));
    }

    private static FeedbackRequest Parse(byte[] body)
    {
        FeedbackRequest feedback = DigitRequestReader.ReadJson<FeedbackRequest>(body, "The JSON body is null: send {\"image\", \"predicted\", \"correct\"}.");
        foreach ((string name, int? digit) in new[] { ("predicted", feedback.Predicted), ("correct", feedback.Correct) })
        {
            if (digit is not (>= 0 and <= 9))
            {
                throw new BadInputException($"\"{name}\" must be a digit from 0 to 9; received {digit?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "nothing"}.");
            }
        }
        return feedback;
    }

    private static DateOnly Today(TimeProvider clock) => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
}
