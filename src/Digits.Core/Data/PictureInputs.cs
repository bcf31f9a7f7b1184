namespace Digits.Core.Data;

/// <summary>One picture to read, with its class when it comes from a sub-folder named after one.</summary>
/// <param name="Path">The file.</param>
/// <param name="Label">The index of its class among the model's, or null for an unlabelled picture.</param>
public sealed record PictureInput(string Path, int? Label);

/// <summary>Turns the paths a person gives (files, folders, folders of class sub-folders) into the pictures to read.</summary>
public static class PictureInputs
{
    /// <summary>The file extensions picked up from folders (files named explicitly are tried whatever their name).</summary>
    public static IReadOnlyList<string> Extensions { get; } = [".png", ".jpg", ".jpeg", ".bmp", ".webp", ".gif"];

    /// <summary>
    /// Files as given; folders as their picture files, or, when they have sub-folders named after some of
    /// <paramref name="classes"/> (0-9 for digits), as labelled pictures. A path that does not exist, or a folder without
    /// pictures, is a problem to report; the other paths still count.
    /// </summary>
    public static List<PictureInput> Expand(IEnumerable<string> paths, IReadOnlyList<string> classes, out List<string> problems)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(classes);
        var inputs = new List<PictureInput>();
        problems = [];
        foreach (string path in paths)
        {
            if (File.Exists(path))
            {
                inputs.Add(new PictureInput(path, null));
                continue;
            }
            if (!Directory.Exists(path))
            {
                problems.Add($"{path}: no such file or folder.");
                continue;
            }
            int[] labelled = [.. Enumerable.Range(0, classes.Count).Where(c => Directory.Exists(System.IO.Path.Combine(path, classes[c])))];
            List<PictureInput> found = labelled.Length > 0
                ? [.. labelled.SelectMany(c => PicturesIn(System.IO.Path.Combine(path, classes[c])).Select(file => new PictureInput(file, c)))]
                : [.. PicturesIn(path).Select(file => new PictureInput(file, null))];
            if (found.Count == 0)
            {
                string named = classes.Count <= 10 ? string.Join(", ", classes) : $"{classes[0]}, {classes[1]}, …";
                problems.Add($"{path}: the folder holds no images ({string.Join(", ", Extensions)}), nor sub-folders named after the model's classes ({named}) with images.");
            }
            inputs.AddRange(found);
        }
        return inputs;
    }

    private static IEnumerable<string> PicturesIn(string folder) =>
        Directory.EnumerateFiles(folder)
            .Where(f => Extensions.Contains(System.IO.Path.GetExtension(f).ToLowerInvariant()))
            .Order(StringComparer.Ordinal);
}
