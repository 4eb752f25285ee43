#if !NET9_0_OR_GREATER
namespace System.Threading;

/// <summary>
/// Stands in for .NET 9's <c>System.Threading.Lock</c> on older frameworks, so the worker's locks are declared once: on
/// .NET 9 and later a <c>lock</c> statement on a <c>Lock</c> takes it without the object monitor's native helpers (a
/// measurable share of a busy worker's CPU); here the statement calls <see cref="EnterScope"/>, which is what it compiles
/// to on a <c>Lock</c>, and that takes a monitor as a lock on any object does.
/// </summary>
internal sealed class Lock
{
    /// <summary>The object whose monitor is the lock (not this one: the compiler warns of a monitor taken on a Lock).</summary>
    private readonly object _monitor = new();

    /// <summary>Takes the lock until the scope is disposed.</summary>
    public Scope EnterScope()
    {
        Monitor.Enter(_monitor);
        return new Scope(_monitor);
    }

    /// <summary>The lock held, until disposed.</summary>
    public readonly ref struct Scope(object monitor)
    {
        /// <summary>Lets the lock go.</summary>
        public void Dispose() => Monitor.Exit(monitor);
    }
}
#endif
