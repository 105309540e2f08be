using SmartDoorplate.Cli;

namespace SmartDoorplate.Gis;

// REVIEW: being written (issue 1/6): loads gis-data/pilot once, with the demo accounts.
public static class PilotDataLoader
{
    public static Task<int> LoadAsync(IServiceProvider services, DirectoryInfo? dataDirectory, CancellationToken cancellationToken) =>
        throw new CommandFailedException("seed --scale pilot is not available yet");
}
