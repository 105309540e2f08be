using NetTopologySuite.Geometries;
using Npgsql;
using SmartDoorplate.Loading.Tables;

namespace SmartDoorplate.Loading;

// The loaders' statements other than their COPY (Loading/Tables): what the pilot load and the city seed look up,
// lock, move and tidy on the owner's connection, inside the load's own transaction. Like the COPY they run through
// BulkCopy, without the connection's command timeout: at city scale a read of every person takes longer than
// a request may. A table name goes into a statement's text only after a check against AllowedTables below; the
// names come from the loaders' code, never from input. The pilot and seed tests pin their results.
public static class LoadingSql
{
    // Pilot: one load at a time, and only once.
    public static async Task TakeTransactionLockAsync(NpgsqlConnection connection, long key, CancellationToken ct)
    {
        await using var command = BulkCopy.Command("select pg_advisory_xact_lock(@key)", connection);
        command.Parameters.AddWithValue("key", key);
        await command.ExecuteNonQueryAsync(ct);
    }

    public static async Task<bool> DistrictExistsAsync(NpgsqlConnection connection, string districtCode, CancellationToken ct)
    {
        await using var command = BulkCopy.Command("select exists (select 1 from districts where code = @code)", connection);
        command.Parameters.AddWithValue("code", districtCode);
        return (bool)(await command.ExecuteScalarAsync(ct))!;
    }

    public static async Task<bool> StationExistsAsync(NpgsqlConnection connection, string districtCode, string stationCode, CancellationToken ct)
    {
        await using var command = BulkCopy.Command("""
            select exists (
                select 1 from police_stations s join districts d on d.id = s.district_id
                where d.code = @district and s.code = @station)
            """, connection);
        command.Parameters.AddWithValue("district", districtCode);
        command.Parameters.AddWithValue("station", stationCode);
        return (bool)(await command.ExecuteScalarAsync(ct))!;
    }

    // What a load leaves, table by table, for the verb's summary.
    // Whether any road or landmark is stored: a database loaded before the pilot had a base map gets it once.
    public static async Task<bool> BaseMapExistsAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var command = BulkCopy.Command("select exists (select 1 from roads) or exists (select 1 from landmarks)", connection);
        return (bool)(await command.ExecuteScalarAsync(ct))!;
    }

    public static async Task<List<(string, long)>> CountRowsAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        var counts = new List<(string, long)>();
        await using var command = BulkCopy.Command("""
            select 'districts', count(*) from districts
            union all select 'police stations', count(*) from police_stations
            union all select 'grids', count(*) from community_grids
            union all select 'buildings', count(*) from buildings
            union all select 'standard addresses', count(*) from standard_addresses
            union all select 'doorplates', count(*) from doorplates
            union all select 'rooms', count(*) from rooms
            union all select 'persons', count(*) from persons
            union all select 'registrations', count(*) from residence_registrations
            union all select 'cases', count(*) from cases
            union all select 'users', count(*) from users
            union all select 'roads', count(*) from roads
            union all select 'landmarks', count(*) from landmarks
            """, connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) counts.Add((reader.GetString(0), reader.GetInt64(1)));
        return counts;
    }

    // City seed: writers wait (readers don't) until the seed commits.
    public static Task LockTablesAsync(NpgsqlConnection connection, IReadOnlyList<string> tables, CancellationToken ct) =>
        BulkCopy.ExecuteAsync(connection, $"lock table {string.Join(", ", Allowed(tables))} in share row exclusive mode", ct);

    // Rows of a seeded table whose code starts with the prefix (stations, buildings).
    public static async Task<long> CountCodesStartingAsync(NpgsqlConnection connection, string table, string prefix, CancellationToken ct)
    {
        await using var command = BulkCopy.Command($"select count(*) from {Allowed([table])[0]} where starts_with(code, @prefix)", connection);
        command.Parameters.AddWithValue("prefix", prefix);
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }

    // Extents of grids whose code does not start with the prefix (the pilot's ground).
    public static async Task<List<Envelope>> GridExtentsNotStartingAsync(NpgsqlConnection connection, string prefix, CancellationToken ct)
    {
        await using var command = BulkCopy.Command(
            "select st_xmin(boundary), st_xmax(boundary), st_ymin(boundary), st_ymax(boundary) from community_grids where not starts_with(code, @prefix)", connection);
        command.Parameters.AddWithValue("prefix", prefix);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var areas = new List<Envelope>();
        while (await reader.ReadAsync(ct))
            areas.Add(new Envelope(reader.GetDouble(0), reader.GetDouble(1), reader.GetDouble(2), reader.GetDouble(3)));
        return areas;
    }

    // The first eight bytes of every stored ID-number blind index.
    public static async Task<HashSet<long>> IdNumberIndexPrefixesAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var command = BulkCopy.Command("select id_number_index from persons", connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var taken = new HashSet<long>();
        while (await reader.ReadAsync(ct))
        {
            var index = (byte[])reader.GetValue(0);
            if (index.Length >= sizeof(long)) taken.Add(BitConverter.ToInt64(index));
        }
        return taken;
    }

    public static async Task<Dictionary<string, long>> DistrictIdsAsync(NpgsqlConnection connection, string[] codes, CancellationToken ct)
    {
        var existing = new Dictionary<string, long>();
        await using var command = BulkCopy.Command("select code, id from districts where code = any(@codes)", connection);
        command.Parameters.AddWithValue("codes", codes);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) existing[reader.GetString(0)] = reader.GetInt64(1);
        return existing;
    }

    // Takes `count` ids past both the identity sequence and any explicit id already in the table, and moves the
    // sequence past them. The caller's transaction holds the table lock, so nobody inserts in between.
    public static async Task<long> ReserveIdsAsync(NpgsqlConnection connection, string table, long count, CancellationToken ct)
    {
        var name = Allowed([table])[0];
        await using var next = BulkCopy.Command(
            $"select greatest(nextval(pg_get_serial_sequence('{name}', 'id')), (select coalesce(max(id), 0) + 1 from {name}))", connection);
        var first = (long)(await next.ExecuteScalarAsync(ct))!;
        await using var set = BulkCopy.Command($"select setval(pg_get_serial_sequence('{name}', 'id'), @last)", connection);
        set.Parameters.AddWithValue("last", first + Math.Max(count, 1) - 1);
        await set.ExecuteScalarAsync(ct);
        return first;
    }

    // Fresh statistics and a set visibility map after a bulk load (VACUUM cannot run in a transaction).
    public static Task VacuumAnalyzeAsync(NpgsqlConnection connection, IReadOnlyList<string> tables, CancellationToken ct) =>
        BulkCopy.ExecuteAsync(connection, $"vacuum (analyze) {string.Join(", ", Allowed(tables))}", ct);

    public static Task VacuumFullAsync(NpgsqlConnection connection, string table, CancellationToken ct) =>
        BulkCopy.ExecuteAsync(connection, $"vacuum (full, analyze) {Allowed([table])[0]}", ct);

    public static async Task<string> DatabaseSizeAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var command = BulkCopy.Command("select pg_size_pretty(pg_database_size(current_database()))", connection);
        return (string)(await command.ExecuteScalarAsync(ct))!;
    }

    // The tables a loader may name in a statement's text.
    private static readonly HashSet<string> AllowedTables = new(StringComparer.Ordinal)
    {
        "districts", "police_stations", "community_grids", "users", "standard_addresses", "buildings", "doorplates",
        "rooms", "persons", "residence_registrations", "cases", "building_counts",
    };

    private static IReadOnlyList<string> Allowed(IReadOnlyList<string> tables) =>
        tables.All(AllowedTables.Contains) ? tables : throw new ArgumentOutOfRangeException(nameof(tables), string.Join(", ", tables), "Not a loaded table.");
}
