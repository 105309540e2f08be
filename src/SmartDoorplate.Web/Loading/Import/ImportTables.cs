using Npgsql;
using SmartDoorplate.Loading.Tables;

namespace SmartDoorplate.Loading.Import;

// The importable tables (DistrictTable, StationTable, GridTable, BuildingTable, CaseTable; RoadTable and
// LandmarkTable for the map's base layer).
internal static class ImportTables
{
    public static string Plural(ImportKind kind) => kind switch
    {
        ImportKind.Districts => "districts",
        ImportKind.Stations => "stations",
        ImportKind.Grids => "grids",
        ImportKind.Buildings => "buildings",
        ImportKind.Cases => "cases",
        ImportKind.Roads => "roads",
        ImportKind.Landmarks => "landmarks",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public static IImportTable For(ImportKind kind, NpgsqlConnection connection) => kind switch
    {
        ImportKind.Districts => new DistrictTable(connection),
        ImportKind.Stations => new StationTable(connection),
        ImportKind.Grids => new GridTable(connection),
        ImportKind.Buildings => new BuildingTable(connection),
        ImportKind.Cases => new CaseTable(connection),
        ImportKind.Roads => new RoadTable(connection),
        ImportKind.Landmarks => new LandmarkTable(connection),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    // Parents are few (a city has a dozen districts, some hundred stations, a few thousand grids),
    // so code → id fits in memory; the children (200k buildings) are never loaded.
    public static async Task<Dictionary<string, long>> LoadCodesAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        var ids = new Dictionary<string, long>(StringComparer.Ordinal);
        await using var command = BulkCopy.Command(sql, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) ids[reader.GetString(0).TrimEnd()] = reader.GetInt64(1);
        return ids;
    }
}
