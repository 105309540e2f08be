using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;
using SmartDoorplate.Analytics.Benchmarks;

// dotnet run -c Release -- --filter '*' [--artifacts DIR]; see scripts/bench/gistar-spdep.sh.
BenchmarkSwitcher.FromAssembly(typeof(HotspotBenchmarks).Assembly).Run(args, HotspotBenchmarks.Config());
