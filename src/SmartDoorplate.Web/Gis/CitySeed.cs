using SmartDoorplate.Cli;

namespace SmartDoorplate.Gis;

// REVIEW: being written (issue 1/6): a Guiyang-sized synthetic data set for the benchmarks.
public static class CitySeed
{
    public static Task<int> GenerateAsync(IServiceProvider services, CancellationToken cancellationToken) =>
        throw new CommandFailedException("seed --scale city is not available yet");
}
