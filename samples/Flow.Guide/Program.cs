using Flow.Guide;

// The guide's examples, in the guide's order. `--list` lists them; naming some runs only those.
// The exit code is 0 only when every example that ran passed its own check.
Example[] examples = Catalog.All;

if (args is ["--list"])
{
    foreach (Example example in examples)
    {
        Console.WriteLine($"{example.Name,-22} {example.Title}");
    }

    return 0;
}

string[] unknown = args.Where(a => !examples.Any(e => e.Name == a)).ToArray();
if (unknown.Length > 0)
{
    Console.Error.WriteLine($"Unknown example(s): {string.Join(", ", unknown)}. Run with --list to see the names.");
    return 2;
}

IEnumerable<Example> chosen = args.Length == 0 ? examples : examples.Where(e => args.Contains(e.Name));
int failed = 0;
foreach (Example example in chosen)
{
    Console.WriteLine($"== {example.Title} ({example.Name})");
    bool passed;
    try
    {
        // An example that hangs is a failed example, not a hung run.
        passed = await example.Run(Console.Out).WaitAsync(TimeSpan.FromMinutes(2));
    }
    catch (Exception e)
    {
        Console.WriteLine($"   threw {e.GetType().Name}: {e.Message}");
        passed = false;
    }

    Console.WriteLine(passed ? "   ok" : "   FAILED");
    Console.WriteLine();
    failed += passed ? 0 : 1;
}

Console.WriteLine(failed == 0 ? "All examples passed." : $"{failed} example(s) failed.");
return failed == 0 ? 0 : 1;
