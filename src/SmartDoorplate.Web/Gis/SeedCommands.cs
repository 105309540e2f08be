using System.CommandLine;

namespace SmartDoorplate.Gis;

public static class SeedCommands
{
    public static Command Seed(IServiceProvider services)
    {
        var scale = new Option<string>("--scale") { Description = "pilot: load gis-data/pilot; city: a Guiyang-sized synthetic data set", Required = true };
        scale.AcceptOnlyFromAmong("pilot", "city");
        var dataDirectory = new Option<DirectoryInfo>("--data") { Description = "folder of the pilot data (default: gis-data/pilot of the repository)" };
        var command = new Command("seed", "Load the pilot data set, or generate a city-scale one.") { scale, dataDirectory };
        command.SetAction((parseResult, cancellationToken) => parseResult.GetValue(scale) switch
        {
            "city" => CitySeed.GenerateAsync(services, cancellationToken),
            _ => PilotDataLoader.LoadAsync(services, parseResult.GetValue(dataDirectory), cancellationToken),
        });
        return command;
    }
}
