using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Digits.Web.Endpoints;

/// <summary>
/// OpenAPI descriptions of the bodies that are not JSON: an image file as the whole body, an image in a multipart
/// form, or a data URL as plain text. (The generator would otherwise describe every content type with the JSON schema.)
/// </summary>
internal static class RequestBodies
{
    /// <summary>Describes image/* content as a binary file and multipart content as a form with an <c>image</c> file field.</summary>
    public static Task DescribeImagesAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (operation.RequestBody?.Content is { } content)
        {
            foreach ((string mediaType, OpenApiMediaType body) in content)
            {
                if (mediaType.StartsWith("image/", StringComparison.Ordinal))
                {
                    body.Schema = Binary();
                }
                else if (mediaType == "multipart/form-data")
                {
                    body.Schema = new OpenApiSchema
                    {
                        Type = JsonSchemaType.Object,
                        Properties = new Dictionary<string, IOpenApiSchema> { ["image"] = Binary() },
                        Required = new HashSet<string> { "image" },
                    };
                }
            }
        }
        return Task.CompletedTask;
    }

    /// <summary>Describes the original app's body: a data URL as plain text.</summary>
    public static Task DescribeDataUrlAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        operation.RequestBody = new OpenApiRequestBody
        {
            Required = true,
            Description = "canvas.toDataURL(): 'data:image/png;base64,...', sent as the raw body whatever its content type.",
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["text/plain"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String } },
            },
        };
        return Task.CompletedTask;
    }

    private static OpenApiSchema Binary() => new() { Type = JsonSchemaType.String, Format = "binary" };
}
