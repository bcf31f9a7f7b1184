namespace Digits.Core.Tests.Support;

/// <summary>Tests that seed libtorch's global generator run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TorchTests
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Torch";
}
