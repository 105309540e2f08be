using System.Diagnostics;
using System.Globalization;
using Spectre.Console;

namespace SmartDoorplate.Loading.Seed;

internal sealed record SeedStepTiming(string Name, long Rows, TimeSpan Elapsed);

// Progress of the seed: live bars on a terminal, plain lines in logs and CI (where redrawn bars
// would only be noise), and the timing of every step for the summary.
internal sealed class SeedProgress(ProgressContext? bars, TextWriter lines)
{
    public List<SeedStepTiming> Timings { get; } = [];

    public static bool IsInteractive => AnsiConsole.Profile.Capabilities.Interactive && !Console.IsOutputRedirected;

    public SeedStep Begin(string name, long expectedRows) =>
        new(this, name, expectedRows, bars?.AddTask(name, autoStart: true, maxValue: Math.Max(1, expectedRows)), bars is null ? lines : null);

    internal void Record(SeedStepTiming timing) => Timings.Add(timing);
}

internal sealed class SeedStep(SeedProgress progress, string name, long expectedRows, ProgressTask? bar, TextWriter? lines)
{
    private const int BarUpdateEvery = 4096;
    private readonly Stopwatch stopwatch = Stopwatch.StartNew();
    private long rows;
    private long rowsShownOnBar;
    private int quartersReported;

    // Called from one thread.
    public void Advance(long count = 1)
    {
        rows += count;
        if (bar is not null && rows - rowsShownOnBar >= BarUpdateEvery)
        {
            bar.Increment(rows - rowsShownOnBar);
            rowsShownOnBar = rows;
        }
        if (lines is not null && expectedRows >= 100_000 && rows * 4 >= expectedRows * (quartersReported + 1) && quartersReported < 3)
        {
            quartersReported++;
            lines.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {name}: {rows:N0} of ~{expectedRows:N0} rows, {stopwatch.Elapsed.TotalSeconds:F1} s"));
        }
    }

    // For steps that take turns with another: only the time spent on this one counts.
    public void Pause() => stopwatch.Stop();
    public void Resume() => stopwatch.Start();

    public void Finish()
    {
        stopwatch.Stop();
        progress.Record(new SeedStepTiming(name, rows, stopwatch.Elapsed));
        if (bar is not null)
        {
            bar.MaxValue = Math.Max(1, rows);
            bar.Value = bar.MaxValue;
            bar.StopTask();
        }
        lines?.WriteLine(rows > 0
            ? string.Create(CultureInfo.InvariantCulture, $"{name}: {rows:N0} rows in {stopwatch.Elapsed.TotalSeconds:F1} s ({rows / Math.Max(stopwatch.Elapsed.TotalSeconds, 0.001):N0} rows/s)")
            : string.Create(CultureInfo.InvariantCulture, $"{name}: {stopwatch.Elapsed.TotalSeconds:F1} s"));
    }
}
