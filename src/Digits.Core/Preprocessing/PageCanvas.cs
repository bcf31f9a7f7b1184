namespace Digits.Core.Preprocessing;

/// <summary>The web page's drawing canvas: what a person draws on, and what the pen-tablet digits are drawn as to measure the product.</summary>
public static class PageCanvas
{
    /// <summary>The canvas's side, pixels.</summary>
    public const int Size = 280;

    /// <summary>The round pen's width, pixels: a mouse or a finger on the 280 px canvas.</summary>
    public const float PenWidth = 18;
}
