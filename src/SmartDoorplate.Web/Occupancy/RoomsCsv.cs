using System.Globalization;
using Npgsql;
using SmartDoorplate.Data;
using SmartDoorplate.Loading.Import;
using SmartDoorplate.Loading.Tables;

namespace SmartDoorplate.Occupancy;

// rooms.csv of a data set: `buildingCode,floor,number,areaM2,beds`, for buildings already stored.
// Every row is checked before one binary COPY; runs inside the caller's transaction.
public static class RoomsCsv
{
    private const int LowestFloor = -5; // basements are let too

    private sealed record RoomRow(int Line, string BuildingCode, int Floor, string Number, decimal? AreaM2, int Beds);

    public static async Task<CsvImportResult> ImportAsync(NpgsqlConnection connection, string path, IProgress<ImportProgress>? progress, CancellationToken cancellationToken)
    {
        using var file = CsvFile.Open(path, "buildingCode", "floor", "number", "areaM2", "beds");
        var rows = new List<RoomRow>();
        while (file.Read())
        {
            var buildingCode = file.Required("buildingCode", 40);
            var floor = file.Integer("floor", LowestFloor, 200);
            var number = file.Required("number", 20);
            var beds = file.Integer("beds", 0, 100);
            decimal? area = null;
            if (file.Text("areaM2") is { } areaText)
            {
                if (decimal.TryParse(areaText, NumberStyles.Number, CultureInfo.InvariantCulture, out var parsed) && parsed > 0 && parsed < 1_000_000) area = parsed;
                else file.Problem($"'areaM2' must be a positive number of square metres, not '{areaText}'");
            }

            if (buildingCode is not null && floor is not null && number is not null && beds is not null)
            {
                rows.Add(new RoomRow(file.Line, buildingCode, floor.Value, number, area, beds.Value));
            }
        }

        var buildings = await OccupancySql.BuildingsWithRoomsAsync(connection, rows.Select(r => r.BuildingCode).Distinct().ToArray(), cancellationToken);
        var seen = new Dictionary<(string, string), int>();
        foreach (var row in rows)
        {
            if (!buildings.TryGetValue(row.BuildingCode, out var building))
            {
                file.Problem(row.Line, $"buildingCode '{row.BuildingCode}' is not a known building");
                continue;
            }

            if (row.Floor > building.Floors) file.Problem(row.Line, $"floor {row.Floor} is above the building's {building.Floors} floors");
            if (building.ExistingRooms.Contains(row.Number)) file.Problem(row.Line, $"room {row.Number} of {row.BuildingCode} already exists in the database");
            if (!seen.TryAdd((row.BuildingCode, row.Number), row.Line)) file.Problem(row.Line, $"room {row.Number} of {row.BuildingCode} is also on line {seen[(row.BuildingCode, row.Number)]}");
        }

        if (file.ProblemCount > 0) return new CsvImportResult(0, file.Problems);

        var written = await BulkCopy.CopyAsync(connection, new RoomsCopy(explicitIds: false),
            rows.Select(row => new RoomsCopy.Row(buildings[row.BuildingCode].Id, row.Floor, row.Number, row.AreaM2, row.Beds)),
            rows.Count, "writing rooms", progress, cancellationToken);
        return new CsvImportResult((int)written, []);
    }
}
