namespace Digits.Cli;

/// <summary>
/// Reports progress on the reporting thread, one report at a time. <see cref="Progress{T}"/> posts to the
/// thread pool in a console app, where reports could overlap.
/// </summary>
internal sealed class SynchronousProgress<T>(Action<T> handler) : IProgress<T>
{
    private readonly Lock _gate = new();

    public void Report(T value)
    {
        lock (_gate)
        {
            handler(value);
        }
    }
}
