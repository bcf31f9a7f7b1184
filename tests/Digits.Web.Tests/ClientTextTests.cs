using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using static Digits.Web.Tests.WebTestSupport;

namespace Digits.Web.Tests;

/// <summary>Refusals speak in the client's terms: no server setting named, and none of the client's text sent back as it came.</summary>
public sealed class ClientTextTests : IDisposable
{
    private readonly DigitsWebFactory _factory = new();

    public void Dispose() => _factory.Dispose();

    [Theory]
    [InlineData("/api/predict")]
    [InlineData("/api/feedback")]
    public async Task ContentTypeWithMarkup_IsRepeatedWithoutIt(string path)
    {
        using var content = new ByteArrayContent("x"u8.ToArray());
        content.Headers.TryAddWithoutValidation("Content-Type", "image/<b onmouseover=alert(1)>png");

        using HttpResponseMessage response = await _factory.CreateClient().PostAsync(path, content, Cancel);

        await AssertProblemAsync(response, HttpStatusCode.UnsupportedMediaType, "'image/?b onmouseover=alert?1??png'");
        Assert.DoesNotContain("<b", await response.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(StatusCodes.Status408RequestTimeout, "too slowly")]
    [InlineData(StatusCodes.Status400BadRequest, "broke off")]
    [InlineData(StatusCodes.Status413PayloadTooLarge, "1,048,576")]
    public async Task BodyKestrelCouldNotRead_IsRefusedWithoutNamingItsSettings(int status, string saying)
    {
        var reader = new DigitRequestReader(Options.Create(new ServeOptions()));
        var context = new DefaultHttpContext();
        context.Request.Body = new FailingBody(new BadHttpRequestException("Reading the request body timed out due to data arriving too slowly. See MinRequestBodyDataRate.", status));

        BadInputException refusal = await Assert.ThrowsAsync<BadInputException>(() => reader.ReadBodyAsync(context.Request, Cancel));

        Assert.Equal(status, refusal.Status);
        Assert.Contains(saying, refusal.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("MinRequestBodyDataRate", refusal.Message, StringComparison.Ordinal);
    }

    /// <summary>A body whose reading fails as Kestrel's does when a client is too slow or its framing is broken.</summary>
    private sealed class FailingBody(Exception failure) : MemoryStream
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.FromException<int>(failure);
    }
}
