using Spectre.Console;
using SmartDoorplate.Loading.Import;

namespace SmartDoorplate.Cli;

// Progress of long verbs: live bars on a terminal, and plain lines when the output goes to a
// file or CI log, where redrawn bars would turn into thousands of lines of escape codes.
public static class ConsoleProgress
{
    public static async Task<T> RunAsync<T>(Func<IProgress<ImportProgress>, Task<T>> work)
    {
        if (Console.IsOutputRedirected || !AnsiConsole.Profile.Capabilities.Interactive)
        {
            return await work(new PlainProgress());
        }

        return await AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(context => work(new BarProgress(context)));
    }

    // Reported synchronously from the importer's own flow: Progress<T> would post to the thread
    // pool and could print stages out of order.
    private sealed class BarProgress(ProgressContext context) : IProgress<ImportProgress>
    {
        private readonly Dictionary<string, ProgressTask> tasks = [];

        public void Report(ImportProgress value)
        {
            if (!tasks.TryGetValue(value.Stage, out var task))
            {
                task = context.AddTask(Markup.Escape(value.Stage), maxValue: Math.Max(1, value.Total ?? 1));
                tasks[value.Stage] = task;
            }

            task.IsIndeterminate = value.Total is null;
            if (value.Total is { } total) task.MaxValue = Math.Max(1, total);
            task.Value = value.Total == 0 ? 1 : value.Done;
        }
    }

    private sealed class PlainProgress : IProgress<ImportProgress>
    {
        private const int LineEvery = 10_000;
        private readonly Dictionary<string, int> lastPrinted = [];

        public void Report(ImportProgress value)
        {
            if (value.Done == 0) return;
            var known = lastPrinted.TryGetValue(value.Stage, out var last);
            var finished = value.Total is { } total && value.Done >= total;
            if (known && !finished && value.Done - last < LineEvery) return;
            if (known && finished && last == value.Done) return;
            lastPrinted[value.Stage] = value.Done;
            Console.WriteLine(value.Total is { } t ? $"{value.Stage}: {value.Done} of {t}" : $"{value.Stage}: {value.Done}");
        }
    }
}
