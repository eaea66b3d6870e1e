using System.Runtime.CompilerServices;

namespace Flow;

public static partial class Tasks
{
    /// <summary>The running Flow task (its id, name and kill token), or null outside one.</summary>
    public static TaskInfo? Current => Ambient.CurrentTask?.Info;

    /// <summary>
    /// Raised once for a failed task whose failure nobody observed — no join, await, try, monitor
    /// or scope — by the time its handle became unreachable (so after a garbage collection).
    /// Handlers run on the thread pool. Killed tasks are not reported.
    /// </summary>
    public static event EventHandler<TaskFailureEventArgs>? UnobservedFailure;

    /// <summary>Lets other work run on this thread; a killed task stops here with <see cref="TaskKilledException"/>.</summary>
    /// <exception cref="TaskKilledException">The calling Flow task was killed.</exception>
    public static void Yield()
    {
        Ambient.ThrowIfKilled(Ambient.CurrentTask);
        Thread.Yield();
    }

    /// <summary>Lets other work run: the rest of the caller continues as a new work item; a killed task stops here.</summary>
    /// <returns>An awaitable that resumes through Flow's runtime, or on the task's scheduler when it has its own.</returns>
    /// <exception cref="TaskKilledException">The calling Flow task was killed.</exception>
    public static YieldAwaitable YieldAsync()
    {
        Ambient.ThrowIfKilled(Ambient.CurrentTask);
        return default;
    }

    internal static void RaiseUnobserved(TaskFailure failure) => UnobservedFailure?.Invoke(null, new TaskFailureEventArgs(failure));

    /// <summary>The awaitable of <see cref="YieldAsync"/>: always suspends, resumes through Flow's runtime, or on the caller's own task scheduler.</summary>
    public readonly struct YieldAwaitable
    {
        /// <summary>Gets the awaiter.</summary>
        /// <returns>The awaiter.</returns>
        public YieldAwaiter GetAwaiter() => default;
    }

    /// <summary>The awaiter of <see cref="YieldAsync"/>.</summary>
    public readonly struct YieldAwaiter : ICriticalNotifyCompletion
    {
        /// <summary>Always false: yielding always suspends.</summary>
        public bool IsCompleted => false;

        /// <summary>Ends the await; throws when the task was killed meanwhile.</summary>
        public void GetResult() => Ambient.ThrowIfKilled(Ambient.CurrentTask);

        /// <inheritdoc />
        public void OnCompleted(Action continuation)
        {
            ArgumentNullException.ThrowIfNull(continuation);
            if (!TryResumeOnTaskScheduler(continuation))
            {
                ExecutionContext? context = ExecutionContext.Capture();
                FlowRuntime.Current.Schedule(new Continuation(continuation, context));
            }
        }

        /// <inheritdoc />
        public void UnsafeOnCompleted(Action continuation)
        {
            ArgumentNullException.ThrowIfNull(continuation);
            if (!TryResumeOnTaskScheduler(continuation))
            {
                FlowRuntime.Current.Schedule(new Continuation(continuation, null));
            }
        }

        /// <summary>
        /// A body running on a <see cref="Scheduler.WithParallelism"/> or <see cref="Scheduler.Dedicated"/>
        /// scheduler resumes there, as after any other await: resuming on the thread pool would
        /// escape the bound or leave the dedicated threads.
        /// </summary>
        private static bool TryResumeOnTaskScheduler(Action continuation)
        {
            TaskScheduler scheduler = TaskScheduler.Current;
            if (scheduler == TaskScheduler.Default)
            {
                return false;
            }

            _ = Task.Factory.StartNew(continuation, CancellationToken.None, TaskCreationOptions.DenyChildAttach, scheduler);
            return true;
        }

        private sealed class Continuation(Action continuation, ExecutionContext? context) : IThreadPoolWorkItem
        {
            public void Execute()
            {
                if (context is null)
                {
                    continuation();
                }
                else
                {
                    ExecutionContext.Run(context, static c => ((Action)c!)(), continuation);
                }
            }
        }
    }
}
