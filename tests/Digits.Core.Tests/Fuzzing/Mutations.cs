using CsCheck;

namespace Digits.Core.Tests.Fuzzing;

/// <summary>
/// The changes a damaged or hostile file shows, applied to well-formed bytes: flipped bytes, truncation, garbage
/// appended, a run overwritten with extreme bytes, a slice dropped or repeated.
/// </summary>
public static class Mutations
{
    /// <summary>Bytes that break parsers most often: zero, all ones, the sign bit, and their neighbours.</summary>
    private static readonly byte[] s_extremes = [0x00, 0x01, 0x7F, 0x80, 0xFE, 0xFF];

    /// <summary>One to three mutations, one after the other.</summary>
    public static Gen<FuzzBytes> Any(FuzzBytes input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return Gen.Int[1, 3].SelectMany(count => Chain(input, count));
    }

    /// <summary>One mutation, chosen with the weights below.</summary>
    public static Gen<FuzzBytes> One(FuzzBytes input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return Gen.Frequency(
            (4, Flip(input)),
            (3, Truncate(input)),
            (1, Append(input)),
            (2, Overwrite(input)),
            (1, DropSlice(input)),
            (1, RepeatSlice(input)));
    }

    /// <summary>One to eight bytes XORed with a non-zero mask.</summary>
    public static Gen<FuzzBytes> Flip(FuzzBytes input)
    {
        ArgumentNullException.ThrowIfNull(input);
        int length = input.Bytes.Length;
        if (length == 0)
        {
            return Append(input);
        }
        return Gen.Select(Gen.Int[0, length - 1], Gen.Byte[1, 255]).Array[1, 8].Select(flips =>
        {
            byte[] bytes = (byte[])input.Bytes.Clone();
            foreach ((int at, byte mask) in flips)
            {
                bytes[at] ^= mask;
            }
            return input.Then($"flipped bytes at {string.Join(",", flips.Select(f => f.Item1))}", bytes);
        });
    }

    /// <summary>The first 0 to length - 1 bytes.</summary>
    public static Gen<FuzzBytes> Truncate(FuzzBytes input)
    {
        ArgumentNullException.ThrowIfNull(input);
        int length = input.Bytes.Length;
        if (length == 0)
        {
            return Append(input);
        }
        return Gen.Int[0, length - 1].Select(kept => input.Then($"truncated to {kept}", input.Bytes[..kept]));
    }

    /// <summary>1 to 64 random bytes after the end.</summary>
    public static Gen<FuzzBytes> Append(FuzzBytes input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return Gen.Byte.Array[1, 64].Select(garbage => input.Then($"{garbage.Length} bytes appended", [.. input.Bytes, .. garbage]));
    }

    /// <summary>A run of 1 to 16 extreme bytes written over the input, anywhere.</summary>
    public static Gen<FuzzBytes> Overwrite(FuzzBytes input)
    {
        ArgumentNullException.ThrowIfNull(input);
        int length = input.Bytes.Length;
        if (length == 0)
        {
            return Append(input);
        }
        return Gen.Select(Gen.Int[0, length - 1], Gen.OneOf(s_extremes).Array[1, 16]).Select((at, run) =>
        {
            byte[] bytes = (byte[])input.Bytes.Clone();
            int count = Math.Min(run.Length, length - at);
            run.AsSpan(0, count).CopyTo(bytes.AsSpan(at));
            return input.Then($"{count} bytes overwritten at {at} with {Convert.ToHexString(run, 0, count)}", bytes);
        });
    }

    /// <summary>A slice of 1 to 64 bytes cut out.</summary>
    public static Gen<FuzzBytes> DropSlice(FuzzBytes input)
    {
        ArgumentNullException.ThrowIfNull(input);
        int length = input.Bytes.Length;
        if (length < 2)
        {
            return Truncate(input);
        }
        return Gen.Select(Gen.Int[0, length - 1], Gen.Int[1, 64]).Select((at, count) =>
        {
            int cut = Math.Min(count, length - at);
            return input.Then($"{cut} bytes cut at {at}", [.. input.Bytes.AsSpan(0, at), .. input.Bytes.AsSpan(at + cut)]);
        });
    }

    /// <summary>A slice of 1 to 64 bytes written twice.</summary>
    public static Gen<FuzzBytes> RepeatSlice(FuzzBytes input)
    {
        ArgumentNullException.ThrowIfNull(input);
        int length = input.Bytes.Length;
        if (length == 0)
        {
            return Append(input);
        }
        return Gen.Select(Gen.Int[0, length - 1], Gen.Int[1, 64]).Select((at, count) =>
        {
            int slice = Math.Min(count, length - at);
            return input.Then($"{slice} bytes at {at} repeated", [.. input.Bytes.AsSpan(0, at + slice), .. input.Bytes.AsSpan(at)]);
        });
    }

    /// <summary>Random bytes, 0 to <paramref name="maxLength"/> of them, after one of <paramref name="prefixes"/> (or none).</summary>
    public static Gen<FuzzBytes> RandomAfter(int maxLength, params (string Name, byte[] Bytes)[] prefixes)
    {
        ArgumentNullException.ThrowIfNull(prefixes);
        Gen<(string Name, byte[] Bytes)> prefix = prefixes.Length == 0
            ? Gen.Const(("nothing", Array.Empty<byte>()))
            : Gen.OneOf(prefixes.Prepend(("nothing", Array.Empty<byte>())).ToArray());
        return Gen.Select(prefix, Gen.Byte.Array[0, maxLength]).Select((p, random) =>
            new FuzzBytes($"{random.Length} random bytes after {p.Name}", [.. p.Bytes, .. random]));
    }

    /// <summary>Whole numbers that break header checks: 0, 1, -1, the int limits, 2^31 read as int, and a few near 28.</summary>
    public static Gen<int> AbsurdInt { get; } = Gen.Frequency(
        (3, Gen.OneOf(0, 1, -1, 27, 29, 65535, 65536, 100_000, int.MaxValue, int.MinValue, int.MinValue + 1, 1 << 24)),
        (1, Gen.Int));

    private static Gen<FuzzBytes> Chain(FuzzBytes input, int count) =>
        count == 0 ? Gen.Const(input) : One(input).SelectMany(next => Chain(next, count - 1));
}
