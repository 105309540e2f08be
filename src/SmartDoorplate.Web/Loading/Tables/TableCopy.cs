using Npgsql;

namespace SmartDoorplate.Loading.Tables;

// One table's binary COPY: its name and column list, written once, and how a row becomes those columns.
// Tables that more than one loader writes (districts, police stations, grids, persons, registrations and
// rooms, among the city seed, the pilot loader, the importer and the CSV loaders) have one such writer
// here, so a column added to one of them is added here only; the other tables' COPY is written by their
// only loader. Optional columns (explicit ids, created_at) are chosen when the writer is made, since one
// COPY statement has one column list.
public abstract class TableCopy<TRow>(string table, params string[] columns)
{
    public string Command { get; } = $"copy {table} ({string.Join(", ", columns)}) from stdin (format binary)";

    public abstract Task WriteAsync(NpgsqlBinaryImporter writer, TRow row, CancellationToken cancellationToken);

    protected static string[] Optional(bool included, params string[] columns) => included ? columns : [];
}
