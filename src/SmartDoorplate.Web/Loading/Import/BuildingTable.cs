using System.Text.RegularExpressions;
using System.Threading.Channels;
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
            if (role != landlordRole) problems.Add(landlordFirstUse[name], null, $"landlord '{name}' is an existing user with role {role}, not a landlord");
        }
    }

    // A city's buildings (200,000 footprints, 100 MB of GeoJSON) are parsed once: the checking pass
    // hands every checked row to a stage, which writes it in chunks while the file is still being read.
    protected override async Task<IRowStage<BuildingRow>?> BeginStagingAsync(CancellationToken cancellationToken)
    {
        await BulkCopy.ExecuteAsync(Connection, ImportSql.CreateBuildingStage, cancellationToken);
        await BulkCopy.ExecuteAsync(Connection, ImportSql.SortInMemory, cancellationToken);
        return new BuildingStage(this, cancellationToken);
    }

    protected override async Task<WriteOutcome> WriteAsync(IEnumerable<BuildingRow> rows, int count, IProgress<ImportProgress>? progress, CancellationToken cancellationToken)
    {
        await using var stage = (await BeginStagingAsync(cancellationToken))!;
        foreach (var row in rows) await stage.AddAsync(row, cancellationToken);
        await stage.CompleteAsync(cancellationToken);
        return await stage.WriteAsync(count, progress, cancellationToken);
    }

    // Checked rows are gathered into chunks, and one chunk at a time is written on the import's
    // connection by a writer task while the checking pass reads on: the database inserts what the
    // client has parsed, on the other core. Each chunk is copied into the staging table, checked
    // there against the database (codes already stored, footprints outside their grid, landlords),
    // and moved set-based into standard_addresses, buildings and doorplates. After the first problem
    // nothing more is moved, but later chunks are still checked, so the answer lists every feature
    // as a single pass would have; the import's savepoint undoes what was moved. Memory holds at
    // most three chunks: the one being filled, one waiting, one being written.
    private sealed class BuildingStage : IRowStage<BuildingRow>
    {
        private const int ChunkRows = 5_000;

        private readonly BuildingTable table;
        private readonly Channel<List<BuildingRow>> chunks =
            Channel.CreateBounded<List<BuildingRow>>(new BoundedChannelOptions(1) { SingleReader = true, SingleWriter = true });
        private readonly Task writer;
        private List<BuildingRow> filling = new(ChunkRows);

        // Written by the writer task only; read once it has ended.
        private readonly List<(int Number, string Key)> existing = [];
        private readonly List<(int Number, string Key, string Problem)> outside = [];
        private readonly HashSet<string> resolvedLandlords = new(StringComparer.Ordinal);
        private int outsideInAll;
        private int checkedThrough;
        private int moved;
        private int createdLandlords;
        private bool stopped;
        private long? existingBuildings;
        private List<string>? restore;

        public BuildingStage(BuildingTable table, CancellationToken cancellationToken)
        {
            this.table = table;
            writer = Task.Run(() => WriteChunksAsync(cancellationToken), CancellationToken.None);
        }

        public async Task AddAsync(BuildingRow row, CancellationToken cancellationToken)
        {
            filling.Add(row);
            if (filling.Count < ChunkRows) return;
            await HandOffAsync(filling, cancellationToken);
            filling = new List<BuildingRow>(ChunkRows);
        }

        public async Task<StageChecks> CompleteAsync(CancellationToken cancellationToken)
        {
            if (filling.Count > 0) await HandOffAsync(filling, cancellationToken);
            filling = [];
            chunks.Writer.TryComplete();
            await writer;
            return new StageChecks(existing, checkedThrough);
        }

        public async Task<WriteOutcome> WriteAsync(int count, IProgress<ImportProgress>? progress, CancellationToken cancellationToken)
        {
            if (outside.Count > 0) return new WriteOutcome(0, outside, [], outsideInAll - outside.Count);
            if (moved != count) throw new InvalidOperationException($"{moved} of {count} checked buildings were written.");
            progress?.Report(new ImportProgress("writing buildings", moved, count));
            await table.RestoreAsync(restore, progress, cancellationToken);
            var notes = createdLandlords > 0 ? new[] { $"created {createdLandlords} landlord accounts without a password" } : [];
            return new WriteOutcome(count, [], notes);
        }

        // The file broke off or the import was cancelled: the writer finishes its chunk and stops, so
        // that the connection is free for the rollback to the import's savepoint, which undoes the rest.
        public async ValueTask DisposeAsync()
        {
            chunks.Writer.TryComplete();
            try
            {
                await writer;
            }
            catch (Exception)
            {
                // The reason the checking pass stopped is the one to report, not this consequence of it.
            }
        }

        private async Task HandOffAsync(List<BuildingRow> rows, CancellationToken cancellationToken)
        {
            try
            {
                await chunks.Writer.WriteAsync(rows, cancellationToken);
            }
            catch (ChannelClosedException)
            {
                // The writer failed: its exception (a database error, say) is the reason.
                await writer;
                throw;
            }
        }

        private async Task WriteChunksAsync(CancellationToken cancellationToken)
        {
            try
            {
                await foreach (var rows in chunks.Reader.ReadAllAsync(cancellationToken)) await WriteChunkAsync(rows, cancellationToken);
            }
            catch (Exception ex)
            {
                chunks.Writer.TryComplete(ex);
                throw;
            }
        }

        private async Task WriteChunkAsync(List<BuildingRow> rows, CancellationToken cancellationToken)
        {
            var connection = table.Connection;
            await BulkCopy.ExecuteAsync(connection, ImportSql.EmptyBuildingStage, cancellationToken);
            // Every imported building gets its first plate, so it can be printed and scanned at once.
            var plates = DoorplateCode.New(rows.Count);
            await using (var copy = await BulkCopy.BeginAsync(connection, ImportSql.CopyBuildingStage, cancellationToken))
            {
                // The writer task has the connection to itself: the synchronous writes spare an async
                // step per value, and wait only when the buffer goes out to the server.
                for (var i = 0; i < rows.Count; i++) WriteRow(copy, rows[i], plates[i]);
                await copy.CompleteAsync(cancellationToken);
            }

            checkedThrough = rows[^1].Number;
            await using (var command = BulkCopy.Command(ImportSql.StagedCodesAlreadyStored, connection))
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken)) existing.Add((reader.GetInt32(0), reader.GetString(1)));
            }

            await using (var command = BulkCopy.Command(ImportSql.BuildingsOutsideTheirGrid, connection))
            {
                // At least one row, for the count of them all even once the listed ones are read.
                command.Parameters.AddWithValue("limit", Math.Max(1, GeoImporter.MaxReportedFeatures - outside.Count));
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                var inChunk = 0;
                while (await reader.ReadAsync(cancellationToken))
                {
                    if (outside.Count < GeoImporter.MaxReportedFeatures) outside.Add((reader.GetInt32(0), reader.GetString(1), $"the footprint lies outside its grid '{reader.GetString(2)}'"));
                    inChunk = checked((int)reader.GetInt64(3));
                }

                outsideInAll += inChunk;
            }

            var landlordsUsable = await ResolveLandlordsAsync(rows, cancellationToken);
            stopped |= existing.Count > 0 || outsideInAll > 0 || !landlordsUsable;
            if (stopped) return;

            existingBuildings ??= await table.EstimatedBuildingsIfOwnerAsync(cancellationToken);
            var writtenAfter = moved + rows.Count;
            if (restore is null && writtenAfter >= ImportSql.RebuildIndexesFrom && existingBuildings <= writtenAfter)
            {
                restore = await table.SetAsideForBulkAsync(cancellationToken);
            }

            foreach (var move in (string[])[ImportSql.MoveAddresses, ImportSql.MoveBuildings, ImportSql.MoveDoorplates])
            {
                await BulkCopy.ExecuteAsync(connection, move, cancellationToken);
            }

            moved = writtenAfter;
        }

        // Landlords named in the chunk are linked to their user, or created without a password (an admin
        // activates the account). A name that belongs to another role stops the moves; the checks after
        // the pass (CheckAllAsync) report it.
        private async Task<bool> ResolveLandlordsAsync(List<BuildingRow> rows, CancellationToken cancellationToken)
        {
            var names = rows.Select(r => r.Landlord).OfType<string>().Where(n => !resolvedLandlords.Contains(n)).Distinct(StringComparer.Ordinal).ToArray();
            if (names.Length == 0) return true;
            var usable = true;
            var landlordRole = SnakeCaseEnum.ToCode(Role.Landlord);
            await using (var command = BulkCopy.Command(ImportSql.UsersByName, table.Connection))
            {
                command.Parameters.AddWithValue("names", names);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    resolvedLandlords.Add(reader.GetString(0));
                    usable &= reader.GetString(2) == landlordRole;
                }
            }

            var missing = names.Where(n => !resolvedLandlords.Contains(n)).ToArray();
            if (!usable || missing.Length == 0) return usable;
            await using (var command = BulkCopy.Command(ImportSql.CreateLandlords, table.Connection))
            {
                command.Parameters.AddWithValue("names", missing);
                command.Parameters.AddWithValue("role", landlordRole);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken)) resolvedLandlords.Add(reader.GetString(0));
            }

            createdLandlords += missing.Length;
            return true;
        }

        private static void WriteRow(NpgsqlBinaryImporter copy, BuildingRow row, string plate)
        {
            copy.StartRow();
            copy.Write(row.Number, NpgsqlDbType.Integer);
            copy.Write(row.Code, NpgsqlDbType.Text);
            copy.Write(row.Grid.Id, NpgsqlDbType.Bigint);
            copy.Write(row.Footprint, NpgsqlDbType.Geometry);
            copy.Write(row.Entrance, NpgsqlDbType.Geometry);
            copy.Write(row.Floors, NpgsqlDbType.Integer);
            copy.Write(SnakeCaseEnum.ToCode(row.Use), NpgsqlDbType.Text);
            WriteNullable(copy, row.Landlord);
            copy.Write(row.Grid.DistrictCode, NpgsqlDbType.Text);
            copy.Write(row.Street, NpgsqlDbType.Text);
            copy.Write(row.Community, NpgsqlDbType.Text);
            copy.Write(row.Road, NpgsqlDbType.Text);
            copy.Write(row.HouseNumber, NpgsqlDbType.Text);
            WriteNullable(copy, row.Postcode);
            copy.Write(row.FullText, NpgsqlDbType.Text);
            copy.Write(plate, NpgsqlDbType.Text);
        }

        private static void WriteNullable(NpgsqlBinaryImporter copy, string? value)
        {
            if (value is null) copy.WriteNull();
            else copy.Write(value, NpgsqlDbType.Text);
        }
    }

    private async Task RestoreAsync(List<string>? restore, IProgress<ImportProgress>? progress, CancellationToken cancellationToken)
    {
        if (restore is null) return;
        var stage = "rebuilding indexes and keys";
        progress?.Report(new ImportProgress(stage, 0, restore.Count));
        await BulkCopy.ExecuteAsync(Connection, ImportSql.IndexBuildMemory, cancellationToken);
        for (var i = 0; i < restore.Count; i++)
        {
            await BulkCopy.ExecuteAsync(Connection, restore[i], cancellationToken);
            progress?.Report(new ImportProgress(stage, i + 1, restore.Count));
        }

        await BulkCopy.ExecuteAsync(Connection, ImportSql.AnalyzeBuildings, cancellationToken);
    }

    // The planner's estimate of the rows buildings had before the import, or long.MaxValue when the
    // import may not drop its indexes and keys (it does not run as the table's owner).
    private async Task<long> EstimatedBuildingsIfOwnerAsync(CancellationToken cancellationToken)
    {
        await using var estimate = BulkCopy.Command(ImportSql.EstimatedBuildingsIfOwner, Connection);
        return await estimate.ExecuteScalarAsync(cancellationToken) is long existing ? existing : long.MaxValue;
    }

    // Once the import has written at least as many buildings as the table had (RebuildIndexesFrom or
    // more), drops the secondary indexes and foreign keys of the tables it fills (ImportSql.RebuiltIndexes,
    // ReaddedForeignKeys) and returns the statements that restore them after the last chunk: the indexes
    // first, so that adding a key back checks its rows against built indexes. The drops lock buildings,
    // standard_addresses, doorplates and community_grids until the import commits: readers of them wait
    // for a first city import, which is when this applies.
    private async Task<List<string>> SetAsideForBulkAsync(CancellationToken cancellationToken)
    {
        var restore = new List<string>();
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

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{1,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex UserNamePattern();
}
