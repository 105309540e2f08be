using Npgsql;

namespace SmartDoorplate.Loading.Tables;

// Binary COPY into one table, as a new COPY statement every RowsPerStatement rows. Foreign keys are
// checked by after-row triggers queued until the end of each statement: millions of them queued by a
// single COPY would hold a lot of server memory and leave the progress bar at 100 % for a long while.
internal sealed class ChunkedBinaryCopy(NpgsqlConnection connection, string copyCommand) : IAsyncDisposable
{
    private const int RowsPerStatement = 250_000;

    private NpgsqlBinaryImporter? importer;
    private int rowsInStatement;

    public long Rows { get; private set; }

    public async ValueTask<NpgsqlBinaryImporter> StartRowAsync(CancellationToken cancellationToken)
    {
        if (importer is not null && rowsInStatement == RowsPerStatement) await CompleteAsync(cancellationToken);
        if (importer is null)
        {
            importer = await BulkCopy.BeginAsync(connection, copyCommand, cancellationToken);
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

// The same, for a table that has its TableCopy: the seed streams its rows through the writer the
// importer and the CSV loaders use.
internal sealed class ChunkedBinaryCopy<TRow>(NpgsqlConnection connection, TableCopy<TRow> table) : IAsyncDisposable
{
    private readonly ChunkedBinaryCopy copy = new(connection, table.Command);

    public async Task WriteAsync(TRow row, CancellationToken cancellationToken) =>
        await table.WriteAsync(await copy.StartRowAsync(cancellationToken), row, cancellationToken);

    public Task CompleteAsync(CancellationToken cancellationToken) => copy.CompleteAsync(cancellationToken);

    public ValueTask DisposeAsync() => copy.DisposeAsync();
}
