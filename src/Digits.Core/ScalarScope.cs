using TorchSharp;

namespace Digits.Core;

/// <summary>
/// The numbers of a method's tensor arithmetic as explicit scalars, kept alive until the scope is disposed:
/// <c>using var scalars = new ScalarScope();</c> then <c>x.add(scalars.Of(1e-5))</c>.
/// </summary>
/// <remarks>
/// TorchSharp converts numbers to <see cref="Scalar"/> implicitly (<c>x.add(1e-5)</c>), but the temporary it makes has
/// a finalizer and no other reference once its handle is passed to libtorch, so a garbage collection during the
/// native call can free it while libtorch reads it (seen under concurrent web requests as "Unknown scalar type").
/// A scope holds every scalar it made until the method is done with them. Each <c>Of</c> keeps its argument's type,
/// as the implicit conversion did: <c>Of(2)</c> is an int scalar, <c>Of(0.5f)</c> a float one. Not thread-safe: one
/// per call, never shared.
/// </remarks>
public sealed class ScalarScope : IDisposable
{
    private readonly List<Scalar> _scalars = [];
    private bool _disposed;

    /// <summary>A double scalar, disposed with the scope.</summary>
    public Scalar Of(double value) => Keep(value.ToScalar());

    /// <summary>A float scalar, disposed with the scope.</summary>
    public Scalar Of(float value) => Keep(value.ToScalar());

    /// <summary>A long scalar, disposed with the scope.</summary>
    public Scalar Of(long value) => Keep(value.ToScalar());

    /// <summary>An int scalar, disposed with the scope.</summary>
    public Scalar Of(int value) => Keep(value.ToScalar());

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (Scalar scalar in _scalars)
        {
            scalar.Dispose();
        }
        _scalars.Clear();
        _disposed = true;
    }

    private Scalar Keep(Scalar scalar)
    {
        if (_disposed)
        {
            scalar.Dispose();
            throw new ObjectDisposedException(nameof(ScalarScope), "This scope's scalars are already freed; make scalars in a scope that is still open.");
        }
        _scalars.Add(scalar);
        return scalar;
    }
}
