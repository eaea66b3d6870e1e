using System.Reflection;
using Flow.Tests.Futures;
using static Flow.Tests.Futures.FuturesBounded;

namespace Flow.Tests.Sync;

/// <summary>
/// The lock under <see cref="MutexArc{T}"/>, for the one interleaving the public tests can only hit
/// by chance: the last queued waiter cancelled between the holder's failed fast exit and its taking
/// the gate. (<c>MutexArcTests.AccessAsync_WaiterCancelledJustAsTheHolderLeaves_TheLockStaysUsable</c>
/// races for it through the public API.)
/// </summary>
public class AsyncMutexTests
{
    [Fact]
    public async Task Exit_LastWaiterCancelledWhileTheHolderWaitsForTheGate_ReleasesTheLock()
    {
        var mutex = new AsyncMutex();
        mutex.Enter();
        using var cts = new CancellationTokenSource();
        ValueTask waiter = mutex.EnterAsync(cts.Token);
        Assert.False(waiter.IsCompleted);

        // The gate is private, and reaching it is the only way to hold the holder in that window:
        // this test owns it while the holder's exit (which counted one waiter) waits for it, and
        // cancels the waiter meanwhile. Lock is re-entrant, so the cancellation runs on this thread.
        var gate = (Lock)typeof(AsyncMutex).GetField("_gate", BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(mutex)!;
        Exception? exitFailure = null;
        await OnOwnThread(() =>
        {
            gate.Enter();
            Thread exiting;
            try
            {
                exiting = new Thread(() =>
                {
                    try
                    {
                        mutex.Exit();
                    }
                    catch (Exception e)
                    {
                        exitFailure = e;
                    }
                });
                exiting.Start();
                if (!SpinWait.SpinUntil(() => (exiting.ThreadState & ThreadState.WaitSleepJoin) != 0, FuturesBounded.Timeout))
                {
                    throw new TimeoutException("The holder's exit did not wait for the gate.");
                }

                cts.Cancel();
            }
            finally
            {
                gate.Exit();
            }

            if (!exiting.Join(FuturesBounded.Timeout))
            {
                throw new TimeoutException("The holder's exit did not end.");
            }
        }).Within();

        Assert.Null(exitFailure);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiter.AsTask().Within());
        await mutex.EnterAsync(CancellationToken.None).AsTask().Within();
        mutex.Exit();
    }
}
