using Digits.Web;

try
{
    await using WebApplication app = DigitsWebApp.Create(args);
    await app.RunAsync();
    return 0;
}
catch (Exception e) when (DigitsWebApp.IsStartupError(e))
{
    await Console.Error.WriteLineAsync($"error: {e.Message}");
    return 1;
}
