namespace Digits.Cli.Tests.Support;

/// <summary>
/// Tests that train, seed libtorch's global generator or set its thread count (<c>--threads</c>, and the one-thread
/// latency of <c>compare</c> and <c>report</c>) run one at a time, after all the others, so each run is seeded and
/// threaded as it says and its figures repeat. Running alone also covers the test that changes the working directory.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TorchTests
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Torch";
}
