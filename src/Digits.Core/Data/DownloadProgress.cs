namespace Digits.Core.Data;

/// <summary>Progress of one file's download.</summary>
/// <param name="File">The file name.</param>
/// <param name="Bytes">Bytes received so far, resumed bytes included.</param>
/// <param name="TotalBytes">The file's size, when the server says it.</param>
public sealed record DownloadProgress(string File, long Bytes, long? TotalBytes);
