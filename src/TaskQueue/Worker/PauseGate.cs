namespace TaskQueue;

/// <summary>
/// The paused state of a worker: while paused no receive and no task starts; a pause that lasts longer than its bound
/// signals <see cref="ReleaseToken"/>, so the messages held and not started are released for other workers. A resume
/// lets receives and starts go on, with a fresh release token once the old one was signalled.
/// </summary>
internal sealed class PauseGate(TimeProvider timeProvider, TimeSpan releaseAfter, Action onReleased) : IDisposable
{
    private readonly Lock _lock = new();
    private TaskCompletionSource _resumed = Resumed();
    private CancellationTokenSource _release = new();
    private ITimer? _releaseTimer;
    private int _epoch;
    private bool _paused;
    private bool _releasing;

    /// <summary>True between <see cref="Pause"/> and <see cref="Resume"/>.</summary>
    public bool IsPaused
    {
        get
        {
            lock (_lock)
            {
                return _paused;
            }
        }
    }

    /// <summary>Signalled when a pause outlasts its bound; a wait that captured it gives its message up.</summary>
    public CancellationToken ReleaseToken
    {
        get
        {
            lock (_lock)
            {
                return _release.Token;
            }
        }
    }

    /// <summary>Pauses; false when already paused.</summary>
    public bool Pause()
    {
        lock (_lock)
        {
            if (_paused)
            {
                return false;
            }

            _paused = true;
            _resumed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var epoch = ++_epoch;
            _releaseTimer = timeProvider.CreateTimer(_ => Release(epoch), null, releaseAfter, Timeout.InfiniteTimeSpan);
            return true;
        }
    }

    /// <summary>Resumes; false when not paused.</summary>
    public bool Resume()
    {
        TaskCompletionSource resumed;
        lock (_lock)
        {
            if (!_paused)
            {
                return false;
            }

            _paused = false;
            _epoch++;
            _releaseTimer?.Dispose();
            _releaseTimer = null;
            if (_releasing)
            {
                // Not disposed: waits that captured the old token may still link to it; a signalled source holds no timer.
                _release = new CancellationTokenSource();
                _releasing = false;
            }

            resumed = _resumed;
        }

        resumed.TrySetResult();
        return true;
    }

    /// <summary>Completes at once when not paused, else when resumed.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was signalled first.</exception>
    public Task WhenResumedAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return _resumed.Task.WaitAsync(cancellationToken);
        }
    }

    private void Release(int epoch)
    {
        CancellationTokenSource release;
        lock (_lock)
        {
            if (epoch != _epoch)
            {
                return;
            }

            release = _release;
            _releasing = true;
        }

        // Outside the lock: the waits it cancels go on to release their messages.
        onReleased();
        release.Cancel();
    }

    private static TaskCompletionSource Resumed()
    {
        var resumed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        resumed.SetResult();
        return resumed;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_lock)
        {
            _releaseTimer?.Dispose();
            _release.Dispose();
        }
    }
}
