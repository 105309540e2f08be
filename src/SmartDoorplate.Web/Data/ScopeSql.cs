using Npgsql;
using NpgsqlTypes;
using SmartDoorplate.Accounts;

namespace SmartDoorplate.Data;

// The raw-SQL twin of SmartDoorplateDb.Scope.cs. Tile and GeoJSON queries bypass EF, and with it
// the query filters, so every one of them adds its scope predicate from here and binds the caller's
// scope with AddParameters. Column names passed in are constants of our own queries, never input.
// Police and admins only: a landlord or anonymous caller gets a predicate that is always false.
public static class ScopeSql
{
    public const string SeesEverything = "@scope_all";
    public const string StationId = "@scope_station";
    public const string DistrictId = "@scope_district";

    // Rows that belong to a station and a district (a station itself, a grid through its station).
    // Pass null for a level the row does not have: a district row has no station.
    public static string Predicate(string? stationIdColumn, string? districtIdColumn)
    {
        var terms = new List<string> { SeesEverything };
        if (stationIdColumn is not null) terms.Add($"{stationIdColumn} = {StationId}");
        if (districtIdColumn is not null) terms.Add($"{districtIdColumn} = {DistrictId}");
        return "(" + string.Join(" or ", terms) + ")";
    }

    // Rows placed in a community grid (buildings, cases): the grid's station and district decide.
    // A row with no grid (a case outside every grid) is for those who see everything.
    public static string GridInScope(string gridIdColumn) => $"""
        ({SeesEverything} or exists (
            select 1 from community_grids scope_g join police_stations scope_s on scope_s.id = scope_g.station_id
            where scope_g.id = {gridIdColumn} and {Predicate("scope_g.station_id", "scope_s.district_id")}))
        """;

    public static void AddParameters(NpgsqlParameterCollection parameters, CallerScope scope)
    {
        parameters.Add(new NpgsqlParameter("scope_all", NpgsqlDbType.Boolean) { Value = scope.SeesEverything });
        parameters.Add(new NpgsqlParameter("scope_station", NpgsqlDbType.Bigint)
        {
            Value = scope.Kind == ScopeKind.Station && scope.StationId is { } station ? station : DBNull.Value,
        });
        parameters.Add(new NpgsqlParameter("scope_district", NpgsqlDbType.Bigint)
        {
            Value = scope.Kind == ScopeKind.District && scope.DistrictId is { } district ? district : DBNull.Value,
        });
    }
}
