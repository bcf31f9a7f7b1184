namespace Digits.Core.Training;

/// <summary>Training stopped because the loss stopped being a number, almost always from too high a learning rate.</summary>
public sealed class TrainingDivergedException : InvalidOperationException
{
    /// <summary>Creates the exception with a message for the person training.</summary>
    public TrainingDivergedException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with no message.</summary>
    public TrainingDivergedException()
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public TrainingDivergedException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
