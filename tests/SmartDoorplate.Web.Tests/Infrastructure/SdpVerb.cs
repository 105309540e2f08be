using System.Diagnostics;

namespace SmartDoorplate.Web.Tests.Infrastructure;

public sealed record VerbResult(int ExitCode, string Output, string Error);

// An `sdp` verb run as scripts/sdp runs it: the built app as a process of its own, with the
// environment the caller gives (its database, keys, anchor), and what it printed and its exit code.
public static class SdpVerb
{
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    public static async Task<VerbResult> RunAsync(IReadOnlyDictionary<string, string> environment, IEnumerable<string> arguments,
        string? workingDirectory = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory ?? AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (name, value) in environment) start.Environment[name] = value;
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "SmartDoorplate.Web.dll"));
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(Timeout);
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        return new VerbResult(process.ExitCode, await output, await error);
    }
}
