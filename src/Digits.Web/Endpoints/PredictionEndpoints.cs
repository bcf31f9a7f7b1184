using Digits.Core.Inference;
using Digits.Core.Preprocessing;
using Digits.Web.Api;
using Digits.Web.Stores;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Digits.Web.Endpoints;

/// <summary>The prediction API: <c>POST /api/predict</c> (JSON answers) and <c>POST /predict/</c> (the original app's plain text).</summary>
public static class PredictionEndpoints
{
    /// <summary>Maps the prediction endpoints, rate-limited per client.</summary>
    public static IEndpointRouteBuilder MapPredictionEndpoints(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapPost("/api/predict", PredictAsync)
            .WithName("Predict")
            .WithSummary("Read one handwritten digit")
            .WithDescription("Accepts a PNG or JPEG (as a data URL in JSON {\"image\"}, a multipart file, or a raw image/* body), " +
                "784 pixel values in [0, 1] ({\"pixels\"}), or strokes ({\"strokes\": [[[x, y], ...], ...], \"width\", \"height\", \"penWidth\"}). " +
                "Answers the digit, its calibrated confidence, the ten probabilities, whether the model is not sure and why, and the 28x28 image it saw.")
            .Accepts<PredictRequest>("application/json", [.. DigitRequestReader.ImageMediaTypes, "multipart/form-data"])
            .AddOpenApiOperationTransformer(RequestBodies.DescribeImagesAsync)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .RequireRateLimiting(RateLimits.Predictions);
        app.MapPost("/predict/", PredictPlainAsync)
            .WithName("PredictPlain")
            .WithSummary("The original Keras + Flask app's endpoint")
            .WithDescription("Takes a raw body holding a base64 PNG data URL, as the original page's canvas.toDataURL() sent it, and " +
                "answers the digit as plain text in the original's form, e.g. '[7]' (NumPy's printing of argmax).")
            .AddOpenApiOperationTransformer(RequestBodies.DescribeDataUrlAsync)
            .Produces<string>(StatusCodes.Status200OK, "text/plain")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .RequireRateLimiting(RateLimits.Predictions);
        return app;
    }

    /// <summary>The ProblemDetails answer for a refused request.</summary>
    public static ProblemHttpResult Problem(BadInputException refusal)
    {
        ArgumentNullException.ThrowIfNull(refusal);
        return TypedResults.Problem(refusal.Message, statusCode: refusal.Status);
    }

    private static async Task<Results<Ok<PredictResponse>, ProblemHttpResult>> PredictAsync(
        HttpRequest request, DigitRequestReader reader, Predictor predictor, IDigitsStore store, CancellationToken cancellationToken)
    {
        PreparedDigit digit;
        try
        {
            digit = await reader.ReadDigitAsync(request, cancellationToken);
        }
        catch (BadInputException e)
        {
            return Problem(e);
        }
        Prediction answer = predictor.Predict(digit);
        await store.RecordPredictionAsync(cancellationToken);
        int[] seen = Array.ConvertAll(digit.Pixels, p => (int)MathF.Round(p * 255));
        return TypedResults.Ok(new PredictResponse(answer.Digit, answer.Confidence, answer.Probabilities, answer.NotSure, answer.Reason, predictor.Id, seen));
    }

    private static async Task<Results<ContentHttpResult, ProblemHttpResult>> PredictPlainAsync(
        HttpRequest request, DigitRequestReader reader, Predictor predictor, IDigitsStore store, CancellationToken cancellationToken)
    {
        Prediction answer;
        try
        {
            byte[] body = await reader.ReadBodyAsync(request, cancellationToken);
            answer = predictor.Predict(reader.FromImage(DigitRequestReader.DecodeDataUrl(System.Text.Encoding.ASCII.GetString(body))));
        }
        catch (BadInputException e)
        {
            return Problem(e);
        }
        await store.RecordPredictionAsync(cancellationToken);
        // The original answered np.array_str(np.argmax(out, axis=1)): the digit in brackets, whatever its confidence.
        return TypedResults.Text($"[{answer.Digit}]", "text/plain");
    }
}
