using Digits.Core.Inference;
using Digits.Core.Preprocessing;
using Digits.Stores;
using Digits.Web.Api;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Digits.Web.Endpoints;

/// <summary>The prediction API: <c>POST /api/predict</c> (JSON answers) and <c>POST /predict/</c> (the original app's plain text).</summary>
/// <remarks>The handlers throw their refusals (<see cref="BadInputException"/>); <see cref="BadInputFilter"/> answers them.</remarks>
public static class PredictionEndpoints
{
    /// <summary>The group these endpoints are listed under in the OpenAPI document.</summary>
    private const string Tag = "Reading digits";

    /// <summary>Maps the prediction endpoints, rate-limited per client.</summary>
    public static IEndpointRouteBuilder MapPredictionEndpoints(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapPost("/api/predict", PredictAsync)
            .WithName("Predict")
            .WithTags(Tag)
            .WithSummary("Read one handwritten digit")
            .WithDescription("Accepts a PNG or JPEG (as a data URL in JSON {\"image\"}, a multipart file, or a raw image/* body), " +
                "784 pixel values in [0, 1] ({\"pixels\"}), or strokes ({\"strokes\": [[[x, y], ...], ...], \"width\", \"height\", \"penWidth\"}). " +
                "Answers the digit, its calibrated confidence, the ten probabilities, whether the model is not sure and why, and the 28x28 image it saw.")
            .TakesADigit()
            .AnswersBadInput()
            .RefusesOtherSites()
            .RequireRateLimiting(RateLimits.Predictions);
        app.MapPost("/api/explain", ExplainAsync)
            .WithName("Explain")
            .WithTags(Tag)
            .WithSummary("Why the model reads what it reads")
            .WithDescription("Takes the same bodies as /api/predict. Answers the digit, an occlusion saliency map (how much hiding each " +
                "spot of the 28x28 image lowers the answer's probability) and the first 16 feature maps of each convolution.")
            .TakesADigit()
            .AnswersBadInput()
            .RefusesOtherSites()
            .RequireRateLimiting(RateLimits.Expensive);
        app.MapPost("/predict/", PredictPlainAsync)
            .WithName("PredictPlain")
            .WithTags(Tag)
            .WithSummary("The original Keras + Flask app's endpoint")
            .WithDescription("Takes a raw body holding a base64 PNG data URL, as the original page's canvas.toDataURL() sent it, and " +
                "answers the digit as plain text in the original's form, e.g. '[7]' (NumPy's printing of argmax).")
            .AddOpenApiOperationTransformer(RequestBodies.DescribeDataUrlAsync)
            .Produces<string>(StatusCodes.Status200OK, "text/plain")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .AnswersBadInput()
            .RefusesOtherSites()
            .RequireRateLimiting(RateLimits.Predictions);
        return app;
    }

    /// <summary>What /api/predict and /api/explain share: the bodies they take and their refusals.</summary>
    private static RouteHandlerBuilder TakesADigit(this RouteHandlerBuilder endpoint) => endpoint
        .Accepts<PredictRequest>("application/json", [.. DigitRequestReader.ImageMediaTypes, "multipart/form-data"])
        .AddOpenApiOperationTransformer(RequestBodies.DescribeImagesAsync)
        .ProducesProblem(StatusCodes.Status400BadRequest)
        .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
        .ProducesProblem(StatusCodes.Status403Forbidden)
        .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
        .ProducesProblem(StatusCodes.Status429TooManyRequests);

    private static async Task<Results<Ok<PredictResponse>, ProblemHttpResult>> PredictAsync(
        HttpRequest request, DigitRequestReader reader, Predictor predictor, IDigitsStore store, ILogger<IDigitsStore> log, CancellationToken cancellationToken)
    {
        PreparedPicture digit = await reader.ReadDigitAsync(request, cancellationToken);
        Prediction answer = predictor.Predict(digit);
        await Counting.BestEffortAsync(() => store.RecordPredictionAsync(cancellationToken), log);
        return TypedResults.Ok(new PredictResponse(answer.Digit, answer.Confidence, answer.Probabilities, answer.NotSure, answer.NoDigit, answer.Reason, predictor.Id, Bytes(digit.Pixels)));
    }

    private static async Task<Results<Ok<ExplainResponse>, ProblemHttpResult>> ExplainAsync(
        HttpRequest request, DigitRequestReader reader, Predictor predictor, CancellationToken cancellationToken)
    {
        PreparedPicture digit = await reader.ReadDigitAsync(request, cancellationToken);
        Explanation why = predictor.Explain(digit);
        LayerMaps[] layers = [.. why.Layers.Select(l => new LayerMaps(l.Layer, l.Channels, l.Height, l.Width, [.. l.Maps.Select(Bytes)]))];
        return TypedResults.Ok(new ExplainResponse(why.Prediction.Digit, why.Prediction.Confidence, why.Prediction.NotSure, Bytes(why.Saliency), Bytes(digit.Pixels), layers));
    }

    /// <summary>Values in [0, 1] as 0-255, compact in JSON and ready for a canvas.</summary>
    private static int[] Bytes(float[] values) => Array.ConvertAll(values, v => (int)GreyImage.ToByte(v));

    private static async Task<Results<ContentHttpResult, ProblemHttpResult>> PredictPlainAsync(
        HttpRequest request, DigitRequestReader reader, Predictor predictor, IDigitsStore store, ILogger<IDigitsStore> log, CancellationToken cancellationToken)
    {
        byte[] body = await reader.ReadBodyAsync(request, cancellationToken);
        Prediction answer = predictor.Predict(reader.FromImage(DigitRequestReader.DecodeDataUrl(System.Text.Encoding.ASCII.GetString(body))));
        await Counting.BestEffortAsync(() => store.RecordPredictionAsync(cancellationToken), log);
        // The original answered np.array_str(np.argmax(out, axis=1)): the digit in brackets, whatever its confidence.
        return TypedResults.Text($"[{answer.Digit}]", "text/plain");
    }
}
