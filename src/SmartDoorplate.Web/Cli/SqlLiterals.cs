using System.Globalization;
using NetTopologySuite.Geometries;
using Npgsql;
using NpgsqlTypes;

namespace SmartDoorplate.Cli;

// A command's text with its parameters written in as literals, for the `… sql` verbs that let the
// benchmarks time PostgreSQL alone on the very statement the app sends.
public static class SqlLiterals
{
    // Longest names first, so @scope_station is not mistaken for a parameter @scope.
    public static string Inline(NpgsqlCommand command)
    {
        var sql = command.CommandText;
        foreach (var parameter in command.Parameters.OrderByDescending(p => p.ParameterName.Length))
            sql = sql.Replace("@" + parameter.ParameterName, Literal(parameter), StringComparison.Ordinal);
        return sql;
    }

    private static string Literal(NpgsqlParameter parameter) => parameter.Value switch
    {
        DBNull => $"null::{(parameter.NpgsqlDbType == NpgsqlDbType.Bigint ? "bigint" : "text")}",
        bool b => b ? "true" : "false",
        int or long => Convert.ToString(parameter.Value, CultureInfo.InvariantCulture)!,
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        DateTimeOffset t => $"'{t.UtcDateTime:yyyy-MM-dd HH:mm:ss}+00'::timestamptz",
        string[] a => a.Length == 0 ? "'{}'::text[]" : $"array[{string.Join(", ", a.Select(v => $"'{v.Replace("'", "''")}'"))}]",
        // WKT in full precision (NTS writes round-trip doubles), as EWKT so the SRID comes along.
        Geometry g => $"ST_GeomFromEWKT('SRID={g.SRID};{g.AsText()}')",
        _ => throw new CommandFailedException($"cannot inline parameter {parameter.ParameterName}"),
    };
}
