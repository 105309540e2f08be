using Npgsql;

namespace SmartDoorplate.Loading.Tables;

// One table's binary COPY: its name and column list, written once, and how a row becomes those columns.
// The city seed, the pilot loader, the importer and the CSV loaders write a table through the same one,
// so a column added to a table is added here only. Optional columns (explicit ids, created_at) are
// chosen when the writer is made, since one COPY statement has one column list.
public abstract class TableCopy<TRow>(string table, params string[] columns)
{
    public string Command { get; } = $"copy {table} ({string.Join(", ", columns)}) from stdin (format binary)";

    public abstract Task WriteAsync(NpgsqlBinaryImporter writer, TRow row, CancellationToken cancellationToken);

    protected static string[] Optional(bool included, params string[] columns) => included ? columns : [];
}
