using System.Diagnostics;

namespace SmartDoorplate.Web.Tests.Infrastructure;

public sealed record VerbResult(int ExitCode, string Output, string Error);

// An `sdp` verb run as scripts/sdp runs it: the built app as a process of its own, with the
// environment the caller gives (its database, keys, anchor), and what it printed and its exit code.
// Its standard input is closed at once, as a verb run from a script's pipe finds it. A cold start of
// the app on a loaded machine has taken over a minute and a half, hence the generous limit.
public static class SdpVerb
{
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    public static async Task<VerbResult> RunAsync(IReadOnlyDictionary<string, string> environment, IEnumerable<string> arguments,
        string? workingDirectory = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory ?? AppContext.BaseDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (name, value) in environment) start.Environment[name] = value;
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "SmartDoorplate.Web.dll"));
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            throw new TimeoutException($"sdp {string.Join(' ', start.ArgumentList.Skip(1))} ran longer than {Timeout}; it wrote: {await error}");
        }
        return new VerbResult(process.ExitCode, await output, await error);
    }
}
