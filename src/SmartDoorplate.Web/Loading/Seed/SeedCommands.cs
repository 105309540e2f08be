using System.CommandLine;
using SmartDoorplate.Loading.Pilot;

namespace SmartDoorplate.Loading.Seed;

public static class SeedCommands
{
    public static Command Seed(IServiceProvider services)
    {
        var scale = new Option<string>("--scale") { Description = "pilot: load gis-data/pilot; city: a Guiyang-sized synthetic data set", Required = true };
        scale.AcceptOnlyFromAmong("pilot", "city");
        var dataDirectory = new Option<DirectoryInfo>("--data") { Description = "folder of the pilot data (default: gis-data/pilot of the repository)" };
        var seed = new Option<int>("--seed")
        {
            Description = "city: seed of the random generator; the same seed gives the same city (dates end on the day it runs)",
            DefaultValueFactory = _ => CitySeedOptions.DefaultSeed,
        };
        var buildings = new Option<int>("--buildings")
        {
            Description = $"city: number of buildings ({CitySeedOptions.MinBuildings:N0}–{CitySeedOptions.MaxBuildings:N0}); persons are 10×, cases 5× that",
            DefaultValueFactory = _ => CitySeedOptions.DefaultBuildings,
        };
        buildings.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<int>();
            if (value is < CitySeedOptions.MinBuildings or > CitySeedOptions.MaxBuildings)
                result.AddError($"--buildings must be between {CitySeedOptions.MinBuildings:N0} and {CitySeedOptions.MaxBuildings:N0}.");
        });
        var command = new Command("seed", "Load the pilot data set, or generate a city-scale one.") { scale, dataDirectory, seed, buildings };
        command.Validators.Add(result =>
        {
            if (result.GetValue(scale) == "pilot" && (result.GetResult(seed) is { Implicit: false } || result.GetResult(buildings) is { Implicit: false }))
                result.AddError("--seed and --buildings apply to --scale city only.");
        });
        command.SetAction((parseResult, cancellationToken) => parseResult.GetValue(scale) switch
        {
            "city" => CitySeed.GenerateAsync(services, new CitySeedOptions(parseResult.GetValue(seed), parseResult.GetValue(buildings)), cancellationToken),
            _ => PilotDataLoader.LoadAsync(services, parseResult.GetValue(dataDirectory), cancellationToken),
        });
        return command;
    }
}
