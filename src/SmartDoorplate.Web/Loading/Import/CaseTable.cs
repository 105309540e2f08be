using NetTopologySuite.Geometries;
using Npgsql;
using NpgsqlTypes;
using SmartDoorplate.Policing.Cases;
using SmartDoorplate.Data;
using SmartDoorplate.Loading.Tables;

namespace SmartDoorplate.Loading.Import;

internal sealed record CaseRow(int Number, string CaseNumber, CaseType Type, DateTimeOffset OccurredAt, CaseStatus Status, string? Summary, Point Location);

internal sealed class CaseTable(NpgsqlConnection connection) : FeatureTable<CaseRow>(connection)
{
    public override ImportKind Kind => ImportKind.Cases;

    protected override string KeyProperty => "caseNumber";

    protected override string ExistingKeysSql => ImportSql.ExistingCases;

    protected override bool AcceptsCsv => true;

    // Where every parsed case lies, kept during the checking pass when the importer acts for an
    // officer: each must fall in a grid of their jurisdiction. 24 bytes a case.
    private readonly List<(int Number, string Key, double X, double Y)> locations = [];

    protected override void Checked(CaseRow row) => locations.Add((row.Number, row.CaseNumber, row.Location.X, row.Location.Y));

    protected override async Task CheckAllAsync(IReadOnlyDictionary<string, int> numbersByKey, ProblemLog problems, ImportOptions options, CancellationToken cancellationToken)
    {
        if (options.Scope is not { SeesEverything: false } scope || locations.Count == 0) return;
        await using var command = BulkCopy.Command(ImportSql.CasesOutsideScope, Connection);
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
        await BulkCopy.ExecuteAsync(Connection, ImportSql.CreateCaseStage, cancellationToken);

        await BulkCopy.CopyAsync(Connection, ImportSql.CopyCaseStage, rows, count, "writing cases", progress,
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

        await using var command = BulkCopy.Command(ImportSql.MoveCases, Connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var imported = reader.GetInt32(0);
        var outsideGrids = reader.GetInt32(1);
        return outsideGrids > 0
            ? WriteOutcome.Written(imported, $"{outsideGrids} cases lie outside every grid and were stored without one")
            : WriteOutcome.Written(imported);
    }
}
