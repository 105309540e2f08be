using System.Text.RegularExpressions;
using NetTopologySuite.Geometries;
using Npgsql;
using NpgsqlTypes;
using SmartDoorplate.Accounts;
using SmartDoorplate.Data;
using SmartDoorplate.Doorplates;
using SmartDoorplate.Gis;
using SmartDoorplate.Loading.Tables;

namespace SmartDoorplate.Loading.Import;

internal sealed record BuildingRow(
    int Number, string Code, GridInfo Grid, BuildingUse Use, int Floors, Polygon Footprint, Point Entrance,
    string Street, string Community, string Road, string HouseNumber, string FullText, string? Postcode, string? Landlord);

internal sealed record GridInfo(long Id, string DistrictCode, string DistrictName);

internal sealed partial class BuildingTable(NpgsqlConnection connection) : FeatureTable<BuildingRow>(connection)
{
    private readonly Dictionary<string, int> landlordFirstUse = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> landlordIds = new(StringComparer.Ordinal);
    private Dictionary<string, GridInfo> grids = [];

    public override ImportKind Kind => ImportKind.Buildings;

    protected override string ExistingKeysSql => ImportSql.ExistingBuildings;

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
            street, community, road, houseNumber, fullText, postcode, landlord);
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
            await copy.WriteAsync(row.FullText, NpgsqlDbType.Text, cancellationToken);
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
        var (outside, outsideInAll) = await BuildingsOutsideTheirGridAsync(cancellationToken);
        if (outside.Count > 0) return new WriteOutcome(0, outside, [], outsideInAll - outside.Count);

        var created = await CreateMissingLandlordsAsync(cancellationToken);
        await BulkCopy.ExecuteAsync(Connection, ImportSql.SortInMemory, cancellationToken);
        (string Stage, string Sql)[] moves =
        [
            ("writing standard_addresses", ImportSql.MoveAddresses),
            ("writing buildings", ImportSql.MoveBuildings),
            ("writing doorplates", ImportSql.MoveDoorplates),
        ];
        var setAside = await SetAsideForBulkAsync(count, cancellationToken);
        foreach (var (stage, sql) in moves)
        {
            progress?.Report(new ImportProgress(stage, 0, count));
            var moved = await BulkCopy.ExecuteAsync(Connection, sql, cancellationToken);
            progress?.Report(new ImportProgress(stage, moved, count));
        }

        if (setAside.Count > 0)
        {
            var stage = "rebuilding indexes and keys";
            progress?.Report(new ImportProgress(stage, 0, setAside.Count));
            await BulkCopy.ExecuteAsync(Connection, ImportSql.IndexBuildMemory, cancellationToken);
            for (var i = 0; i < setAside.Count; i++)
            {
                await BulkCopy.ExecuteAsync(Connection, setAside[i], cancellationToken);
                progress?.Report(new ImportProgress(stage, i + 1, setAside.Count));
            }

            await BulkCopy.ExecuteAsync(Connection, ImportSql.AnalyzeBuildings, cancellationToken);
        }

        var notes = created > 0 ? new[] { $"created {created} landlord accounts without a password" } : [];
        return new WriteOutcome(count, [], notes);
    }

    // When the import at least doubles buildings, drops the secondary indexes and foreign keys of the
    // tables it fills (ImportSql.RebuiltIndexes, ReaddedForeignKeys) and returns the statements that
    // restore them: the indexes first, so that adding a key back checks its rows against built indexes.
    // The drops lock buildings, standard_addresses, doorplates and community_grids until the import
    // commits: readers of them wait for a first city import, which is when this applies.
    private async Task<List<string>> SetAsideForBulkAsync(int count, CancellationToken cancellationToken)
    {
        var restore = new List<string>();
        if (count < ImportSql.RebuildIndexesFrom) return restore;
        await using (var estimate = BulkCopy.Command(ImportSql.EstimatedBuildingsIfOwner, Connection))
        {
            if (await estimate.ExecuteScalarAsync(cancellationToken) is not long existing || existing > count) return restore;
        }

        var drops = new List<string>();
        var keys = new List<string>();
        await using (var command = BulkCopy.Command(ImportSql.ForeignKeyDefinitions, Connection))
        {
            command.Parameters.AddWithValue("names", ImportSql.ReaddedForeignKeys);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                drops.Add(ImportSql.DropForeignKey(reader.GetString(1), reader.GetString(0)));
                keys.Add(ImportSql.AddForeignKey(reader.GetString(1), reader.GetString(0), reader.GetString(2)));
            }
        }

        await using (var command = BulkCopy.Command(ImportSql.IndexDefinitions, Connection))
        {
            command.Parameters.AddWithValue("names", ImportSql.RebuiltIndexes);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                drops.Add(ImportSql.DropIndex(reader.GetString(0)));
                restore.Add(reader.GetString(1));
            }
        }

        foreach (var drop in drops) await BulkCopy.ExecuteAsync(Connection, drop, cancellationToken);
        restore.AddRange(keys);
        return restore;
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

    // The reported first buildings outside their grid, and how many there are in all.
    private async Task<(List<(int, string, string)> Listed, int InAll)> BuildingsOutsideTheirGridAsync(CancellationToken cancellationToken)
    {
        var outside = new List<(int, string, string)>();
        var inAll = 0;
        await using var command = BulkCopy.Command(ImportSql.BuildingsOutsideTheirGrid, Connection);
        command.Parameters.AddWithValue("limit", GeoImporter.MaxReportedFeatures);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            outside.Add((reader.GetInt32(0), reader.GetString(1), $"the footprint lies outside its grid '{reader.GetString(2)}'"));
            inAll = checked((int)reader.GetInt64(3));
        }

        return (outside, inAll);
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{1,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex UserNamePattern();
}
