namespace Digits.Core.Preprocessing;

/// <summary>An image whose header announces more pixels than the caller's limit; nothing of it was decoded.</summary>
public sealed class ImageTooLargeException : IOException
{
    /// <summary>Creates the exception.</summary>
    public ImageTooLargeException()
    {
    }

    /// <summary>Creates the exception with a message for a person.</summary>
    public ImageTooLargeException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public ImageTooLargeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
