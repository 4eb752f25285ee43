using TaskQueue.ModelTests.Scenarios;

namespace TaskQueue.ModelTests.Simulation;

/// <summary>What the suite does to one SQS call.</summary>
public enum CallFault
{
    None,
    ThrottledBefore,
    ServerErrorBefore,
    ThrottledAfter,
    ServerErrorAfter,
}

/// <summary>Draws a fault for each call from the scenario's rates, with a seeded random; off once the fault phase ends.</summary>
public sealed class CallFaultDice(int seed, CallFaultRates rates)
{
    private readonly object _lock = new();
    private readonly Random _random = new(seed);
    private volatile bool _enabled = rates.Any;

    public void Disable() => _enabled = false;

    public CallFault Next()
    {
        if (!_enabled)
        {
            return CallFault.None;
        }

        double roll;
        bool coin;
        lock (_lock)
        {
            roll = _random.NextDouble();
            coin = _random.Next(2) == 0;
        }

        if ((roll -= rates.ThrottledBefore) < 0)
        {
            return CallFault.ThrottledBefore;
        }

        if ((roll -= rates.ServerErrorBefore) < 0)
        {
            return CallFault.ServerErrorBefore;
        }

        return roll - rates.ResponseLost < 0 ? (coin ? CallFault.ThrottledAfter : CallFault.ServerErrorAfter) : CallFault.None;
    }
}
