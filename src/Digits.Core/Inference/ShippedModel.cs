namespace Digits.Core.Inference;

/// <summary>
/// The model the repository ships (<c>models/digitnet.digits</c>), which the build copies next to every
/// program, so that <c>digits predict</c> and the web app answer with no set-up.
/// </summary>
public static class ShippedModel
{
    /// <summary>The file's name, in the repository's <c>models/</c> folder and the program's.</summary>
    public const string FileName = "digitnet.digits";

    /// <summary>The copy next to the running program.</summary>
    public static string Path => System.IO.Path.Combine(AppContext.BaseDirectory, "models", FileName);

    /// <summary>The shipped file's path, checked to exist.</summary>
    /// <exception cref="FileNotFoundException">The build did not copy it (the repository's copy is missing).</exception>
    public static string Locate() => File.Exists(Path)
        ? Path
        : throw new FileNotFoundException(
            $"The shipped model '{Path}' is missing; restore models/{FileName} from the repository, train it with " +
            "'digits train --model digitnet', or pass --model FILE.", Path);
}
