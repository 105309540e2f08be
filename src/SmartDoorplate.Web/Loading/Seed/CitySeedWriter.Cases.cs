using NpgsqlTypes;
using SmartDoorplate.Policing.Cases;
using SmartDoorplate.Data;
using SmartDoorplate.Loading.Tables;

namespace SmartDoorplate.Loading.Seed;

// The cases of the generated city, written last: they refer to grids only.
internal sealed partial class CitySeedWriter
{
    private async Task WriteCasesAsync()
    {
        var step = progress.Begin("cases", options.Cases);
        var cases = new CitySeedCases(options.Seed, layout, now);
        var first = await ReserveIdsAsync("cases", options.Cases);
        await using var copy = new ChunkedBinaryCopy(connection,
            "copy cases (id, case_number, type, occurred_at, location, status, grid_id, summary, created_at) from stdin (format binary)");
        for (var i = 0; i < options.Cases; i++)
        {
            var c = cases.Generate(i);
            var w = await copy.StartRowAsync(cancellationToken);
            await w.WriteAsync(first + i, NpgsqlDbType.Bigint, cancellationToken);
            await w.WriteAsync(c.Number, NpgsqlDbType.Varchar, cancellationToken);
            await w.WriteAsync(SnakeCaseEnum.ToCode(c.Type), NpgsqlDbType.Varchar, cancellationToken);
            await w.WriteAsync(c.OccurredAt, NpgsqlDbType.TimestampTz, cancellationToken);
            await w.WriteAsync(Geo.Point(c.Longitude, c.Latitude), NpgsqlDbType.Geometry, cancellationToken);
            await w.WriteAsync(SnakeCaseEnum.ToCode(c.Status), NpgsqlDbType.Varchar, cancellationToken);
            await w.WriteAsync(gridIdBase + c.Grid, NpgsqlDbType.Bigint, cancellationToken);
            await w.WriteAsync($"{CaseTypes.ChineseNames[c.Type]}，{layout.Grids[c.Grid].Name}", NpgsqlDbType.Varchar, cancellationToken);
            await w.WriteAsync(c.CreatedAt, NpgsqlDbType.TimestampTz, cancellationToken);
            step.Advance();
        }
        await copy.CompleteAsync(cancellationToken);
        step.Finish();
    }
}
