namespace Digits.Web;

/// <summary>A request the app cannot answer because of what it holds; becomes a ProblemDetails response.</summary>
public sealed class BadInputException : Exception
{
    /// <summary>Creates the exception with an HTTP status (400, 413, 415) and a message for a person.</summary>
    public BadInputException(int status, string message)
        : base(message) => Status = status;

    /// <summary>Creates the exception with status 400.</summary>
    public BadInputException()
        : this(StatusCodes.Status400BadRequest, "The request could not be read.")
    {
    }

    /// <summary>Creates the exception with status 400 and a message.</summary>
    public BadInputException(string message)
        : this(StatusCodes.Status400BadRequest, message)
    {
    }

    /// <summary>Creates the exception with status 400, a message and its cause.</summary>
    public BadInputException(string message, Exception innerException)
        : base(message, innerException) => Status = StatusCodes.Status400BadRequest;

    /// <summary>The HTTP status to answer with.</summary>
    public int Status { get; }
}
