using Npgsql;

namespace SmartDoorplate.Loading.Seed;

// Binary COPY into one table, as a new COPY statement every RowsPerStatement rows. Foreign keys are
// checked by after-row triggers queued until the end of each statement: millions of them queued by a
// single COPY would hold a lot of server memory and leave the progress bar at 100 % for a long while.
internal sealed class ChunkedBinaryCopy(NpgsqlConnection connection, string copyCommand) : IAsyncDisposable
{
    private const int RowsPerStatement = 250_000;

    // Completing a statement waits for its queued foreign-key checks, far beyond the command timeout.
    private static readonly TimeSpan StatementTimeout = TimeSpan.FromMinutes(30);

    private NpgsqlBinaryImporter? importer;
    private int rowsInStatement;

    public long Rows { get; private set; }

    public async ValueTask<NpgsqlBinaryImporter> StartRowAsync(CancellationToken cancellationToken)
    {
        if (importer is not null && rowsInStatement == RowsPerStatement) await CompleteAsync(cancellationToken);
        if (importer is null)
        {
            importer = await connection.BeginBinaryImportAsync(copyCommand, cancellationToken);
            importer.Timeout = StatementTimeout;
            rowsInStatement = 0;
        }
        await importer.StartRowAsync(cancellationToken);
        rowsInStatement++;
        Rows++;
        return importer;
    }

    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        if (importer is null) return;
        await importer.CompleteAsync(cancellationToken);
        await importer.DisposeAsync();
        importer = null;
    }

    // Disposing an import that was not completed cancels it; the transaction then fails as a whole.
    public async ValueTask DisposeAsync()
    {
        if (importer is not null) await importer.DisposeAsync();
    }
}

internal static class BinaryImporterExtensions
{
    public static Task WriteNullableAsync<T>(this NpgsqlBinaryImporter importer, T? value, NpgsqlTypes.NpgsqlDbType type, CancellationToken cancellationToken)
        where T : struct =>
        value is { } v ? importer.WriteAsync(v, type, cancellationToken) : importer.WriteNullAsync(cancellationToken);

    public static Task WriteNullableAsync(this NpgsqlBinaryImporter importer, string? value, NpgsqlTypes.NpgsqlDbType type, CancellationToken cancellationToken) =>
        value is not null ? importer.WriteAsync(value, type, cancellationToken) : importer.WriteNullAsync(cancellationToken);
}
