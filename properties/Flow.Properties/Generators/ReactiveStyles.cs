namespace Flow.Properties.Generators;

/// <summary>Where the observable of a Flow.Reactive law produces.</summary>
public enum SourceStyle
{
    /// <summary>A <c>Subject</c> whose <c>OnNext</c> calls run on a dedicated thread.</summary>
    SubjectOnThread,

    /// <summary>A cold <c>list.ToObservable(NewThreadScheduler.Default)</c>, ending with <c>Concat(Throw)</c> when it fails.</summary>
    ColdOnNewThread,
}

/// <summary>The policies under which a port may drop: the laws of dropping hold for both.</summary>
public enum DropPolicy
{
    /// <summary><see cref="Flow.Reactive.BackpressurePolicy.DropOldest"/>.</summary>
    DropOldest,

    /// <summary><see cref="Flow.Reactive.BackpressurePolicy.DropNewest"/>.</summary>
    DropNewest,
}
