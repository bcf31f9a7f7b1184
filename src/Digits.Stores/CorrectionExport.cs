using System.Globalization;
using Digits.Core.Persistence;
using SkiaSharp;

namespace Digits.Stores;

/// <summary>
/// Writes stored corrections as an image folder, one sub-folder per correct digit (<c>0</c> to <c>9</c>), ready for
/// training on an image folder. Each file is named after its correction's id, so exporting again adds only the new ones.
/// </summary>
public static class CorrectionExport
{
    /// <summary>Writes every correction in <paramref name="store"/> under <paramref name="directory"/>; returns how many files were written per digit.</summary>
    public static async Task<int[]> WriteAsync(IDigitsStore store, string directory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        var written = new int[10];
        for (int digit = 0; digit < 10; digit++)
        {
            Directory.CreateDirectory(Path.Combine(directory, digit.ToString(CultureInfo.InvariantCulture)));
        }
        await foreach (StoredCorrection stored in store.ReadCorrectionsAsync(cancellationToken).ConfigureAwait(false))
        {
            Correction correction = stored.Correction;
            string name = $"correction-{stored.Id.ToString("D6", CultureInfo.InvariantCulture)}{Extension(correction.Image)}";
            string path = Path.Combine(directory, correction.Correct.ToString(CultureInfo.InvariantCulture), name);
            if (!File.Exists(path))
            {
                AtomicFile.Write(path, stream => stream.Write(correction.Image));
                written[correction.Correct]++;
            }
        }
        return written;
    }

    private static string Extension(byte[] image)
    {
        using var data = SKData.CreateCopy(image);
        using SKCodec? codec = SKCodec.Create(data);
        return codec?.EncodedFormat switch
        {
            SKEncodedImageFormat.Jpeg => ".jpg",
            SKEncodedImageFormat.Webp => ".webp",
            SKEncodedImageFormat.Bmp => ".bmp",
            SKEncodedImageFormat.Gif => ".gif",
            _ => ".png",
        };
    }
}
