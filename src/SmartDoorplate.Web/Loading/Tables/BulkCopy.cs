using Npgsql;
using NpgsqlTypes;
using SmartDoorplate.Loading.Import;

namespace SmartDoorplate.Loading.Tables;

// Binary COPY for the importers: one round trip per table instead of one INSERT per row, which
// is what makes a 200k-building import take seconds. Callers pass fixed COPY statements.
public static class BulkCopy
{
    public static async Task<int> ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public static async Task<ulong> CopyAsync<TRow>(
        NpgsqlConnection connection, string copySql, IEnumerable<TRow> rows, int count, string stage,
        IProgress<ImportProgress>? progress, Func<NpgsqlBinaryImporter, TRow, CancellationToken, Task> writeRow,
        CancellationToken cancellationToken)
    {
        await using var importer = await connection.BeginBinaryImportAsync(copySql, cancellationToken);
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
}
