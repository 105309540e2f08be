using System.CommandLine;
using SmartDoorplate.Cli;

namespace SmartDoorplate.Gis.Import;

// REVIEW: being written (issue 1/6): import {grids|buildings|cases} FILE [--crs gcj02].
public static class ImportCommands
{
    public static Command Import(IServiceProvider services)
    {
        var command = new Command("import", "Import grids, buildings or cases from GeoJSON, ESRI Shapefile or GeoPackage.");
        command.SetAction((_, _) => Task.FromException<int>(new CommandFailedException("import is not available yet")));
        return command;
    }
}
