// A clean consumer of the Flow packages: spawn, a chan, a shared chan, a future, a pipeline and
// an Rx subscription. Prints one line per check and "consumer ok" only when all passed. The
// package's analyzers run on this file too (with warnings as errors): it uses the async forms in
// async code, as FLOW003 asks.
using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using Flow;
using Flow.Reactive;
using static Flow.Tasks;

var checks = new List<(string Name, bool Passed)>();

var (port, chan) = Chan.New<int>();
// In async code a handle you do not keep is discarded with `_ =`, as with Task.Run.
_ = Spawn(chan, static chan => chan.Send(42));
checks.Add(("spawn and chan", await port.RecvAsync() == 42));

var (results, shared) = SharedChan.New<int>();
for (int i = 1; i <= 3; i++)
{
    _ = Spawn((shared.Clone(), i), static s => s.Item1.Send(s.Item2 * 10));
}

shared.Close();
int total10 = 0;
await foreach (int result in results)
{
    total10 += result;
}

checks.Add(("shared chan", total10 == 60));

Future<int> answer = Future.Spawn(() => 6 * 7);
checks.Add(("future", await answer.GetAsync() == 42 && await answer == 42));

long total = 0;
Pipeline<string> sum = Pipeline.Create<string>()
    .Select(int.Parse, new StageOptions { Parallelism = 2, OnError = ErrorPolicy.Skip })
    .ForEach(x => total += x);
foreach (string line in new[] { "1", "2", "x", "3" })
{
    await sum.SendAsync(line);
}

sum.Complete();
await sum.Completion;
checks.Add(("pipeline", total == 6));

var (numbers, numberChan) = Chan.New<int>();
Task<IList<int>> doubled = numbers.ToObservable().Select(n => n * 2).ToList().ToTask();
for (int i = 1; i <= 3; i++)
{
    numberChan.Send(i);
}

numberChan.Close();
checks.Add(("rx subscription", (await doubled.WaitAsync(TimeSpan.FromSeconds(30))).SequenceEqual([2, 4, 6])));

foreach ((string name, bool passed) in checks)
{
    Console.WriteLine($"{(passed ? "ok  " : "FAIL")} {name}");
}

bool all = checks.TrueForAll(c => c.Passed);
Console.WriteLine(all ? "consumer ok" : "consumer FAILED");
return all ? 0 : 1;
