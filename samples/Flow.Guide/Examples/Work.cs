namespace Flow.Guide;

/// <summary>The stand-ins for the guide's expensive computations.</summary>
internal static class Work
{
    public static int SomeExpensiveComputation() => 42;

    public static int SomeExpensiveComputation(int initValue) => 42 + initValue;

    public static void SomeOtherExpensiveComputation()
    {
    }

    public static int GenerateTaskNumber() => 0;
}
