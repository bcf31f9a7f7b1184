namespace Digits.Core.Preprocessing;

/// <summary>Why a picture cannot be read as one digit, whatever the model says.</summary>
public enum InkProblem
{
    /// <summary>The ink looks like one digit.</summary>
    None,

    /// <summary>There is no ink, or almost none.</summary>
    Blank,

    /// <summary>The ink does not look like one digit: several characters, a line of text, or noise.</summary>
    NotOneDigit,

    /// <summary>The ink is a dot or a filled blob, without a digit's strokes: there is nothing to guess at, as with <see cref="Blank"/>.</summary>
    Shapeless,
}
