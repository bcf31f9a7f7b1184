namespace Digits.Core.Data;

/// <summary>One of the four official MNIST files.</summary>
/// <param name="Name">The file name without the <c>.gz</c> suffix.</param>
/// <param name="Sha256">SHA-256 of the uncompressed content, lower-case hex.</param>
public sealed record MnistFile(string Name, string Sha256)
{
    /// <summary>The name under which the file is published, gzip-compressed.</summary>
    public string GzipName => Name + ".gz";
}
