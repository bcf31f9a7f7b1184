namespace Digits.Web;

/// <summary>The web app's log messages, source-generated.</summary>
internal static partial class Log
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "The store did not take a count; the request goes on without it.")]
    public static partial void CountLost(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The {Store} store does not answer.")]
    public static partial void StoreDown(ILogger logger, Exception exception, string store);
}
