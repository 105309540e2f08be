using Npgsql;
using NpgsqlTypes;
using SmartDoorplate.Loading.Import;

namespace SmartDoorplate.Loading.Tables;

// Binary COPY and the statements around it, for the seed, the pilot loader and the importers: one round
// trip per table instead of one INSERT per row. Callers pass fixed statements.
//
// A bulk statement runs as long as its rows need: 200,000 buildings fanned out of a staging table take
// tens of seconds, and the connection string's command timeout (30 s by default, a few seconds in some
// set-ups) is meant for the app's requests. So these commands have no timeout (0); a user stops them with
// Ctrl+C (the cancellation token). A COPY alone has a timer, StatementTimeout, generous enough that only a
// COPY stuck on its queued foreign-key checks or a dead server reaches it.
public static class BulkCopy
{
    public static readonly TimeSpan StatementTimeout = TimeSpan.FromHours(1);

    public static NpgsqlCommand Command(string sql, NpgsqlConnection connection) => new(sql, connection) { CommandTimeout = 0 };

    public static async Task<int> ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = Command(sql, connection);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public static async Task<NpgsqlBinaryImporter> BeginAsync(NpgsqlConnection connection, string copySql, CancellationToken cancellationToken)
    {
        var importer = await connection.BeginBinaryImportAsync(copySql, cancellationToken);
        importer.Timeout = StatementTimeout;
        return importer;
    }

    public static Task<ulong> CopyAsync<TRow>(
        NpgsqlConnection connection, TableCopy<TRow> table, IEnumerable<TRow> rows, int count, string stage,
        IProgress<ImportProgress>? progress, CancellationToken cancellationToken) =>
        CopyAsync(connection, table.Command, rows, count, stage, progress, table.WriteAsync, cancellationToken);

    public static async Task<ulong> CopyAsync<TRow>(
        NpgsqlConnection connection, string copySql, IEnumerable<TRow> rows, int count, string stage,
        IProgress<ImportProgress>? progress, Func<NpgsqlBinaryImporter, TRow, CancellationToken, Task> writeRow,
        CancellationToken cancellationToken)
    {
        await using var importer = await BeginAsync(connection, copySql, cancellationToken);
        var done = 0;
        progress?.Report(new ImportProgress(stage, 0, count));
        foreach (var row in rows)
        {
            await importer.StartRowAsync(cancellationToken);
            await writeRow(importer, row, cancellationToken);
            if (++done % 500 == 0) progress?.Report(new ImportProgress(stage, done, count));
        }

        var written = await importer.CompleteAsync(cancellationToken);
        progress?.Report(new ImportProgress(stage, done, count));
        return written;
    }

    public static Task WriteNullableAsync(this NpgsqlBinaryImporter importer, string? value, CancellationToken cancellationToken) =>
        value is null ? importer.WriteNullAsync(cancellationToken) : importer.WriteAsync(value, NpgsqlDbType.Text, cancellationToken);

    public static Task WriteNullableAsync(this NpgsqlBinaryImporter importer, long? value, CancellationToken cancellationToken) =>
        value is null ? importer.WriteNullAsync(cancellationToken) : importer.WriteAsync(value.Value, NpgsqlDbType.Bigint, cancellationToken);

    public static Task WriteNullableAsync<T>(this NpgsqlBinaryImporter importer, T? value, NpgsqlDbType type, CancellationToken cancellationToken)
        where T : struct =>
        value is { } v ? importer.WriteAsync(v, type, cancellationToken) : importer.WriteNullAsync(cancellationToken);

    public static Task WriteNullableAsync(this NpgsqlBinaryImporter importer, string? value, NpgsqlDbType type, CancellationToken cancellationToken) =>
        value is not null ? importer.WriteAsync(value, type, cancellationToken) : importer.WriteNullAsync(cancellationToken);
}
