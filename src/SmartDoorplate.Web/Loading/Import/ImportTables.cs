using System.Text.RegularExpressions;
using NetTopologySuite.Geometries;
using Npgsql;
using NpgsqlTypes;
using SmartDoorplate.Accounts;
using SmartDoorplate.Data;
using SmartDoorplate.Doorplates;
using SmartDoorplate.Gis;
using SmartDoorplate.Loading.Tables;
using SmartDoorplate.Policing;

namespace SmartDoorplate.Loading.Import;

// The five importable tables. Table and column names in the SQL below are fixed strings that
// match Data/Migrations; only values are parameters.
internal static class ImportTables
{
    public static string Plural(ImportKind kind) => kind switch
    {
        ImportKind.Districts => "districts",
        ImportKind.Stations => "stations",
        ImportKind.Grids => "grids",
        ImportKind.Buildings => "buildings",
        ImportKind.Cases => "cases",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public static IImportTable For(ImportKind kind, NpgsqlConnection connection) => kind switch
    {
        ImportKind.Districts => new DistrictTable(connection),
        ImportKind.Stations => new StationTable(connection),
        ImportKind.Grids => new GridTable(connection),
        ImportKind.Buildings => new BuildingTable(connection),
        ImportKind.Cases => new CaseTable(connection),
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

internal sealed record DistrictRow(string Code, string Name, MultiPolygon Boundary);

internal sealed class DistrictTable(NpgsqlConnection connection) : FeatureTable<DistrictRow>(connection)
{
    public override ImportKind Kind => ImportKind.Districts;

    protected override string ExistingKeysSql => "select code from districts where code = any(@keys)";

    protected override DistrictRow? Parse(SourceFeature feature, SourceCrs crs, List<string> problems)
    {
        var properties = new PropertyReader(feature.Properties, problems);
        var code = properties.Digits("code", 6, required: true);
        var name = properties.RequiredText("name", 100);
        var boundary = ImportGeometry.ToMultiPolygon(feature.Geometry, crs, "districts", problems);
        return code is null || name is null || boundary is null ? null : new DistrictRow(code, name, boundary);
    }

    protected override string KeyOf(DistrictRow row) => row.Code;

    protected override async Task<WriteOutcome> WriteAsync(IEnumerable<DistrictRow> rows, int count, IProgress<ImportProgress>? progress, CancellationToken cancellationToken)
    {
        var written = await BulkCopy.CopyAsync(Connection,
            "copy districts (code, name, boundary) from stdin (format binary)", rows, count, "writing districts", progress,
            async (w, row, ct) =>
            {
                await w.WriteAsync(row.Code, NpgsqlDbType.Text, ct);
                await w.WriteAsync(row.Name, NpgsqlDbType.Text, ct);
                await w.WriteAsync(row.Boundary, NpgsqlDbType.Geometry, ct);
            }, cancellationToken);
        return WriteOutcome.Written((int)written);
    }
}

internal sealed record StationRow(string Code, string Name, long DistrictId, string Hotline, string? OfficerName, string? OfficerPhone, MultiPolygon Boundary);

internal sealed class StationTable(NpgsqlConnection connection) : FeatureTable<StationRow>(connection)
{
    private Dictionary<string, long> districtIds = [];

    public override ImportKind Kind => ImportKind.Stations;

    protected override string ExistingKeysSql => "select code from police_stations where code = any(@keys)";

    protected override async Task LoadReferencesAsync(CancellationToken cancellationToken) =>
        districtIds = await ImportTables.LoadCodesAsync(Connection, ImportSql.DistrictCodes, cancellationToken);

    protected override StationRow? Parse(SourceFeature feature, SourceCrs crs, List<string> problems)
    {
        var properties = new PropertyReader(feature.Properties, problems);
        var code = properties.RequiredText("code", 40);
        var name = properties.RequiredText("name", 100);
        var districtCode = properties.Digits("districtCode", 6, required: true);
        var hotline = properties.RequiredText("hotline", 40);
        var officerName = properties.OptionalText("officerName", 40);
        var officerPhone = properties.OptionalText("officerPhone", 40);
        var boundary = ImportGeometry.ToMultiPolygon(feature.Geometry, crs, "police stations", problems);
        long? districtId = null;
        if (districtCode is not null)
        {
            if (districtIds.TryGetValue(districtCode, out var id)) districtId = id;
            else problems.Add($"districtCode '{districtCode}' is not a known district (import districts first)");
        }

        return code is null || name is null || districtId is null || hotline is null || boundary is null
            ? null
            : new StationRow(code, name, districtId.Value, hotline, officerName, officerPhone, boundary);
    }

    protected override string KeyOf(StationRow row) => row.Code;

    protected override async Task<WriteOutcome> WriteAsync(IEnumerable<StationRow> rows, int count, IProgress<ImportProgress>? progress, CancellationToken cancellationToken)
    {
        var written = await BulkCopy.CopyAsync(Connection,
            "copy police_stations (district_id, code, name, hotline, officer_name, officer_phone, boundary) from stdin (format binary)",
            rows, count, "writing police stations", progress,
            async (w, row, ct) =>
            {
                await w.WriteAsync(row.DistrictId, NpgsqlDbType.Bigint, ct);
                await w.WriteAsync(row.Code, NpgsqlDbType.Text, ct);
                await w.WriteAsync(row.Name, NpgsqlDbType.Text, ct);
                await w.WriteAsync(row.Hotline, NpgsqlDbType.Text, ct);
                await w.WriteNullableAsync(row.OfficerName, ct);
                await w.WriteNullableAsync(row.OfficerPhone, ct);
                await w.WriteAsync(row.Boundary, NpgsqlDbType.Geometry, ct);
            }, cancellationToken);
        return WriteOutcome.Written((int)written);
    }
}

internal sealed record GridRow(string Code, string Name, long StationId, string? VillageCode, MultiPolygon Boundary);

internal sealed class GridTable(NpgsqlConnection connection) : FeatureTable<GridRow>(connection)
{
    private Dictionary<string, long> stationIds = [];

    public override ImportKind Kind => ImportKind.Grids;

    protected override string ExistingKeysSql => "select code from community_grids where code = any(@keys)";

    protected override async Task LoadReferencesAsync(CancellationToken cancellationToken) =>
        stationIds = await ImportTables.LoadCodesAsync(Connection, ImportSql.StationCodes, cancellationToken);

    protected override GridRow? Parse(SourceFeature feature, SourceCrs crs, List<string> problems)
    {
        var properties = new PropertyReader(feature.Properties, problems);
        var code = properties.RequiredText("code", 40);
        var name = properties.RequiredText("name", 100);
        var stationCode = properties.RequiredText("stationCode", 40);
        var villageCode = properties.Digits("villageCode", 12, required: false);
        var boundary = ImportGeometry.ToMultiPolygon(feature.Geometry, crs, "grids", problems);
        long? stationId = null;
        if (stationCode is not null)
        {
            if (stationIds.TryGetValue(stationCode, out var id)) stationId = id;
            else problems.Add($"stationCode '{stationCode}' is not a known police station (import stations first)");
        }

        return code is null || name is null || stationId is null || boundary is null
            ? null
            : new GridRow(code, name, stationId.Value, villageCode, boundary);
    }

    protected override string KeyOf(GridRow row) => row.Code;

    protected override async Task<WriteOutcome> WriteAsync(IEnumerable<GridRow> rows, int count, IProgress<ImportProgress>? progress, CancellationToken cancellationToken)
    {
        var written = await BulkCopy.CopyAsync(Connection,
            "copy community_grids (station_id, code, name, village_code, boundary) from stdin (format binary)",
            rows, count, "writing grids", progress,
            async (w, row, ct) =>
            {
                await w.WriteAsync(row.StationId, NpgsqlDbType.Bigint, ct);
                await w.WriteAsync(row.Code, NpgsqlDbType.Text, ct);
                await w.WriteAsync(row.Name, NpgsqlDbType.Text, ct);
                await w.WriteNullableAsync(row.VillageCode, ct);
                await w.WriteAsync(row.Boundary, NpgsqlDbType.Geometry, ct);
            }, cancellationToken);
        return WriteOutcome.Written((int)written);
    }
}

internal sealed record BuildingRow(
    int Number, string Code, GridInfo Grid, BuildingUse Use, int Floors, Polygon Footprint, Point Entrance,
    string Street, string Community, string Road, string HouseNumber, string? Postcode, string? Landlord);

internal sealed record GridInfo(long Id, string DistrictCode, string DistrictName);

internal sealed partial class BuildingTable(NpgsqlConnection connection) : FeatureTable<BuildingRow>(connection)
{
    private readonly Dictionary<string, int> landlordFirstUse = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> landlordIds = new(StringComparer.Ordinal);
    private Dictionary<string, GridInfo> grids = [];

    public override ImportKind Kind => ImportKind.Buildings;

    protected override string ExistingKeysSql => "select code from buildings where code = any(@keys)";

    protected override async Task LoadReferencesAsync(CancellationToken cancellationToken)
    {
        grids = new Dictionary<string, GridInfo>(StringComparer.Ordinal);
        await using var command = BulkCopy.Command(ImportSql.GridsWithDistricts, Connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            grids[reader.GetString(0)] = new GridInfo(reader.GetInt64(1), reader.GetString(2).TrimEnd(), reader.GetString(3));
        }
    }

    protected override BuildingRow? Parse(SourceFeature feature, SourceCrs crs, List<string> problems)
    {
        var properties = new PropertyReader(feature.Properties, problems);
        var code = properties.RequiredText("code", 40);
        var gridCode = properties.RequiredText("gridCode", 40);
        var use = properties.RequiredCode<BuildingUse>("use");
        var floors = properties.RequiredInteger("floors", 1, 200);
        var street = properties.RequiredText("street", 60);
        var community = properties.RequiredText("community", 60);
        var road = properties.RequiredText("road", 60);
        var houseNumber = properties.RequiredText("number", 30);
        var postcode = properties.Digits("postcode", 6, required: false);
        var landlord = properties.OptionalText("landlord", 64);
        var entranceLon = properties.OptionalNumber("entranceLon");
        var entranceLat = properties.OptionalNumber("entranceLat");
        var footprint = ImportGeometry.ToPolygon(feature.Geometry, crs, problems);

        Point? entrance = null;
        if (entranceLon is not null && entranceLat is not null)
        {
            entrance = ImportGeometry.ToPoint(entranceLon.Value, entranceLat.Value, crs, "entrance", problems);
        }
        else if (entranceLon is not null || entranceLat is not null)
        {
            problems.Add("'entranceLon' and 'entranceLat' must be given together");
        }
        else if (footprint is not null)
        {
            // No surveyed entrance: a point guaranteed to lie inside the footprint stands in.
            entrance = Geo.Factory.CreatePoint(footprint.InteriorPoint.Coordinate);
        }

        GridInfo? grid = null;
        if (gridCode is not null && !grids.TryGetValue(gridCode, out grid))
        {
            problems.Add($"gridCode '{gridCode}' is not a known grid (import grids first)");
        }

        if (landlord is not null)
        {
            if (!UserNamePattern().IsMatch(landlord))
            {
                problems.Add($"'landlord' must be a user name (lower-case letters, digits, '.', '_' or '-'), not '{landlord}'");
                landlord = null;
            }
            else
            {
                landlordFirstUse.TryAdd(landlord, feature.Number);
            }
        }

        if (code is null || grid is null || use is null || floors is null || footprint is null || entrance is null
            || street is null || community is null || road is null || houseNumber is null || problems.Count > 0)
        {
            return null;
        }

        var fullText = StandardAddress.Compose(grid.DistrictName, street, community, road, houseNumber);
        if (fullText.Length > 300)
        {
            problems.Add("the address is longer than 300 characters");
            return null;
        }

        return new BuildingRow(feature.Number, code, grid, use.Value, floors.Value, footprint, entrance,
            street, community, road, houseNumber, postcode, landlord);
    }

    protected override string KeyOf(BuildingRow row) => row.Code;

    // A landlord named in the file is linked to the user of that name, or created without a
    // password (an admin activates the account); a non-landlord user of that name is an error.
    protected override async Task CheckAllAsync(IReadOnlyDictionary<string, int> numbersByKey, ProblemLog problems, ImportOptions options, CancellationToken cancellationToken)
    {
        if (landlordFirstUse.Count == 0) return;
        await using var command = BulkCopy.Command(ImportSql.UsersByName, Connection);
        command.Parameters.AddWithValue("names", landlordFirstUse.Keys.ToArray());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var landlordRole = SnakeCaseEnum.ToCode(Role.Landlord);
        while (await reader.ReadAsync(cancellationToken))
        {
            var name = reader.GetString(0);
            var role = reader.GetString(2);
            if (role == landlordRole) landlordIds[name] = reader.GetInt64(1);
            else problems.Add(landlordFirstUse[name], null, $"landlord '{name}' is an existing user with role {role}, not a landlord");
        }
    }

    // A city's buildings (200,000 footprints, 100 MB of GeoJSON) are staged while the file is checked,
    // so the file is parsed once.
    protected override async Task<IRowStage<BuildingRow>?> BeginStagingAsync(CancellationToken cancellationToken)
    {
        await BulkCopy.ExecuteAsync(Connection, ImportSql.CreateBuildingStage, cancellationToken);
        return new BuildingStage(this, await BulkCopy.BeginAsync(Connection, ImportSql.CopyBuildingStage, cancellationToken));
    }

    protected override async Task<WriteOutcome> WriteAsync(IEnumerable<BuildingRow> rows, int count, IProgress<ImportProgress>? progress, CancellationToken cancellationToken)
    {
        await using var stage = (await BeginStagingAsync(cancellationToken))!;
        foreach (var row in rows) await stage.AddAsync(row, cancellationToken);
        return await stage.WriteAsync(count, progress, cancellationToken);
    }

    private sealed class BuildingStage(BuildingTable table, NpgsqlBinaryImporter copy) : IRowStage<BuildingRow>
    {
        private bool completed;

        public async Task AddAsync(BuildingRow row, CancellationToken cancellationToken)
        {
            await copy.StartRowAsync(cancellationToken);
            await copy.WriteAsync(row.Number, NpgsqlDbType.Integer, cancellationToken);
            await copy.WriteAsync(row.Code, NpgsqlDbType.Text, cancellationToken);
            await copy.WriteAsync(row.Grid.Id, NpgsqlDbType.Bigint, cancellationToken);
            await copy.WriteAsync(row.Footprint, NpgsqlDbType.Geometry, cancellationToken);
            await copy.WriteAsync(row.Entrance, NpgsqlDbType.Geometry, cancellationToken);
            await copy.WriteAsync(row.Floors, NpgsqlDbType.Integer, cancellationToken);
            await copy.WriteAsync(SnakeCaseEnum.ToCode(row.Use), NpgsqlDbType.Text, cancellationToken);
            await copy.WriteNullableAsync(row.Landlord, cancellationToken);
            await copy.WriteAsync(row.Grid.DistrictCode, NpgsqlDbType.Text, cancellationToken);
            await copy.WriteAsync(row.Street, NpgsqlDbType.Text, cancellationToken);
            await copy.WriteAsync(row.Community, NpgsqlDbType.Text, cancellationToken);
            await copy.WriteAsync(row.Road, NpgsqlDbType.Text, cancellationToken);
            await copy.WriteAsync(row.HouseNumber, NpgsqlDbType.Text, cancellationToken);
            await copy.WriteNullableAsync(row.Postcode, cancellationToken);
            await copy.WriteAsync(StandardAddress.Compose(row.Grid.DistrictName, row.Street, row.Community, row.Road, row.HouseNumber), NpgsqlDbType.Text, cancellationToken);
            // Every imported building gets its first plate, so it can be printed and scanned at once.
            await copy.WriteAsync(DoorplateCode.New(), NpgsqlDbType.Text, cancellationToken);
        }

        public async Task CompleteAsync(CancellationToken cancellationToken)
        {
            if (completed) return;
            await copy.CompleteAsync(cancellationToken);
            completed = true;
            await copy.DisposeAsync();
        }

        public async Task<WriteOutcome> WriteAsync(int count, IProgress<ImportProgress>? progress, CancellationToken cancellationToken)
        {
            await CompleteAsync(cancellationToken);
            return await table.MoveStagedAsync(count, progress, cancellationToken);
        }

        // A stage left open (the file broke off, or the import was cancelled) is cancelled; the import's
        // savepoint undoes the rest.
        public async ValueTask DisposeAsync()
        {
            if (!completed) await copy.DisposeAsync();
        }
    }

    private async Task<WriteOutcome> MoveStagedAsync(int count, IProgress<ImportProgress>? progress, CancellationToken cancellationToken)
    {
        await BulkCopy.ExecuteAsync(Connection, ImportSql.AnalyzeBuildingStage, cancellationToken);
        var outside = await BuildingsOutsideTheirGridAsync(cancellationToken);
        if (outside.Count > 0) return new WriteOutcome(0, outside, []);

        var created = await CreateMissingLandlordsAsync(cancellationToken);
        await BulkCopy.ExecuteAsync(Connection, ImportSql.SortInMemory, cancellationToken);
        (string Stage, string Sql)[] moves =
        [
            ("writing standard_addresses", ImportSql.MoveAddresses),
            ("writing buildings", ImportSql.MoveBuildings),
            ("writing doorplates", ImportSql.MoveDoorplates),
        ];
        var rebuilt = await DropIndexesForBulkAsync(count, cancellationToken);
        foreach (var (stage, sql) in moves)
        {
            progress?.Report(new ImportProgress(stage, 0, count));
            var moved = await BulkCopy.ExecuteAsync(Connection, sql, cancellationToken);
            progress?.Report(new ImportProgress(stage, moved, count));
        }

        if (rebuilt.Count > 0)
        {
            var stage = "indexing buildings";
            progress?.Report(new ImportProgress(stage, 0, rebuilt.Count));
            await BulkCopy.ExecuteAsync(Connection, ImportSql.IndexBuildMemory, cancellationToken);
            for (var i = 0; i < rebuilt.Count; i++)
            {
                await BulkCopy.ExecuteAsync(Connection, rebuilt[i], cancellationToken);
                progress?.Report(new ImportProgress(stage, i + 1, rebuilt.Count));
            }

            await BulkCopy.ExecuteAsync(Connection, ImportSql.AnalyzeBuildings, cancellationToken);
        }

        var notes = created > 0 ? new[] { $"created {created} landlord accounts without a password" } : [];
        return new WriteOutcome(count, [], notes);
    }

    // Drops the secondary indexes of buildings when the import at least doubles the table, and returns
    // the statements that recreate them. The drop locks buildings until the import commits: readers
    // of buildings wait for a first city import, which is when this applies.
    private async Task<List<string>> DropIndexesForBulkAsync(int count, CancellationToken cancellationToken)
    {
        var definitions = new List<string>();
        if (count < ImportSql.RebuildIndexesFrom) return definitions;
        await using (var estimate = BulkCopy.Command(ImportSql.EstimatedBuildingsIfOwner, Connection))
        {
            if (await estimate.ExecuteScalarAsync(cancellationToken) is not long existing || existing > count) return definitions;
        }

        var names = new List<string>();
        await using (var command = BulkCopy.Command(ImportSql.BuildingIndexDefinitions, Connection))
        {
            command.Parameters.AddWithValue("names", ImportSql.RebuiltBuildingIndexes);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                names.Add(reader.GetString(0));
                definitions.Add(reader.GetString(1));
            }
        }

        foreach (var name in names) await BulkCopy.ExecuteAsync(Connection, ImportSql.DropIndex(name), cancellationToken);
        return definitions;
    }

    private async Task<int> CreateMissingLandlordsAsync(CancellationToken cancellationToken)
    {
        var missing = landlordFirstUse.Keys.Where(name => !landlordIds.ContainsKey(name)).ToArray();
        if (missing.Length == 0) return 0;
        await using var command = BulkCopy.Command(ImportSql.CreateLandlords, Connection);
        command.Parameters.AddWithValue("names", missing);
        command.Parameters.AddWithValue("role", SnakeCaseEnum.ToCode(Role.Landlord));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) landlordIds[reader.GetString(0)] = reader.GetInt64(1);
        return missing.Length;
    }

    private async Task<List<(int, string, string)>> BuildingsOutsideTheirGridAsync(CancellationToken cancellationToken)
    {
        var outside = new List<(int, string, string)>();
        await using var command = BulkCopy.Command(ImportSql.BuildingsOutsideTheirGrid, Connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            outside.Add((reader.GetInt32(0), reader.GetString(1), $"the footprint lies outside its grid '{reader.GetString(2)}'"));
        }

        return outside;
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{1,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex UserNamePattern();
}

internal sealed record CaseRow(int Number, string CaseNumber, CaseType Type, DateTimeOffset OccurredAt, CaseStatus Status, string? Summary, Point Location);

internal sealed class CaseTable(NpgsqlConnection connection) : FeatureTable<CaseRow>(connection)
{
    public override ImportKind Kind => ImportKind.Cases;

    protected override string KeyProperty => "caseNumber";

    protected override string ExistingKeysSql => "select case_number from cases where case_number = any(@keys)";

    protected override bool AcceptsCsv => true;

    // Where every parsed case lies, kept during the checking pass when the importer acts for an
    // officer: each must fall in a grid of their jurisdiction. 24 bytes a case.
    private readonly List<(int Number, string Key, double X, double Y)> locations = [];

    protected override void Checked(CaseRow row) => locations.Add((row.Number, row.CaseNumber, row.Location.X, row.Location.Y));

    protected override async Task CheckAllAsync(IReadOnlyDictionary<string, int> numbersByKey, ProblemLog problems, ImportOptions options, CancellationToken cancellationToken)
    {
        if (options.Scope is not { SeesEverything: false } scope || locations.Count == 0) return;
        // The same grid the write below assigns (the lowest id that contains the point) must be in scope,
        // so that every imported case is one the officer can see afterwards.
        await using var command = BulkCopy.Command($$"""
            select t.n from unnest(@numbers, @lons, @lats) as t(n, x, y)
            left join lateral (
                select g.id from community_grids g
                where ST_Intersects(g.boundary, ST_SetSRID(ST_MakePoint(t.x, t.y), 4326)) order by g.id limit 1) as g on true
            where g.id is null or not {{ScopeSql.GridInScope("g.id")}}
            order by t.n
            """, Connection);
        command.Parameters.AddWithValue("numbers", locations.Select(l => l.Number).ToArray());
        command.Parameters.AddWithValue("lons", locations.Select(l => l.X).ToArray());
        command.Parameters.AddWithValue("lats", locations.Select(l => l.Y).ToArray());
        ScopeSql.AddParameters(command.Parameters, scope);
        var keys = locations.ToDictionary(l => l.Number, l => l.Key);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var number = reader.GetInt32(0);
            problems.Add(number, keys[number], "the location lies outside your jurisdiction (no grid of yours contains it)");
        }
    }

    protected override CaseRow? Parse(SourceFeature feature, SourceCrs crs, List<string> problems)
    {
        var properties = new PropertyReader(feature.Properties, problems);
        var caseNumber = properties.RequiredText("caseNumber", 40);
        var type = properties.RequiredCode("type", CaseTypes.ChineseNames);
        var occurredAt = properties.RequiredInstant("occurredAt");
        var status = properties.RequiredCode("status", CaseTypes.StatusChineseNames);
        var summary = properties.OptionalText("summary", 1000);
        var location = ImportGeometry.ToPoint(feature.Geometry, crs, problems);
        return caseNumber is null || type is null || occurredAt is null || status is null || location is null
            ? null
            : new CaseRow(feature.Number, caseNumber, type.Value, occurredAt.Value, status.Value, summary, location);
    }

    protected override string KeyOf(CaseRow row) => row.CaseNumber;

    protected override async Task<WriteOutcome> WriteAsync(IEnumerable<CaseRow> rows, int count, IProgress<ImportProgress>? progress, CancellationToken cancellationToken)
    {
        await BulkCopy.ExecuteAsync(Connection, """
            drop table if exists import_cases;
            create temp table import_cases (
                feature_number int not null,
                case_number varchar(40) not null,
                type varchar(20) not null,
                occurred_at timestamptz not null,
                location geometry(Point, 4326) not null,
                status varchar(20) not null,
                summary varchar(1000)
            ) on commit drop
            """, cancellationToken);

        await BulkCopy.CopyAsync(Connection,
            "copy import_cases (feature_number, case_number, type, occurred_at, location, status, summary) from stdin (format binary)",
            rows, count, "writing cases", progress,
            async (w, row, ct) =>
            {
                await w.WriteAsync(row.Number, NpgsqlDbType.Integer, ct);
                await w.WriteAsync(row.CaseNumber, NpgsqlDbType.Text, ct);
                await w.WriteAsync(SnakeCaseEnum.ToCode(row.Type), NpgsqlDbType.Text, ct);
                await w.WriteAsync(row.OccurredAt.ToUniversalTime(), NpgsqlDbType.TimestampTz, ct);
                await w.WriteAsync(row.Location, NpgsqlDbType.Geometry, ct);
                await w.WriteAsync(SnakeCaseEnum.ToCode(row.Status), NpgsqlDbType.Text, ct);
                await w.WriteNullableAsync(row.Summary, ct);
            }, cancellationToken);

        // Each case is placed in the grid it lies in (the lowest id where grids overlap on a border);
        // cases outside every grid are kept, without one, for the city-wide statistics.
        await using var command = BulkCopy.Command("""
            with inserted as (
                insert into cases (case_number, type, occurred_at, location, status, summary, grid_id)
                select c.case_number, c.type, c.occurred_at, c.location, c.status, c.summary,
                       (select g.id from community_grids g where ST_Intersects(g.boundary, c.location) order by g.id limit 1)
                from import_cases c
                order by c.feature_number
                returning grid_id
            )
            select count(*)::int, count(*) filter (where grid_id is null)::int from inserted
            """, Connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var imported = reader.GetInt32(0);
        var outsideGrids = reader.GetInt32(1);
        return outsideGrids > 0
            ? WriteOutcome.Written(imported, $"{outsideGrids} cases lie outside every grid and were stored without one")
            : WriteOutcome.Written(imported);
    }
}
