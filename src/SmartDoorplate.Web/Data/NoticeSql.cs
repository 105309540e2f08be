using Npgsql;

namespace SmartDoorplate.Data;

// The statements of the notice listener's own connection: LISTEN, which has no EF form, and the
// check that a quiet connection is still alive. AccountAccessTests and BoundaryTileCacheTests pin their
// result: a change is heard, and a connection dropped under the listener is noticed and made again.
public static class NoticeSql
{
    // Channels are constants of the followers, never input: LISTEN takes no parameter, so a name
    // that is not a plain identifier is refused rather than quoted.
    public static async Task ListenAsync(NpgsqlConnection connection, string channel, CancellationToken cancellationToken)
    {
        if (channel.Length == 0 || !channel.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_'))
            throw new ArgumentException($"not a channel name: {channel}", nameof(channel));
        await using var listen = new NpgsqlCommand($"LISTEN {channel}", connection);
        await listen.ExecuteNonQueryAsync(cancellationToken);
    }

    public static async Task PingAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var ping = new NpgsqlCommand("select 1", connection) { CommandTimeout = 10 };
        await ping.ExecuteScalarAsync(cancellationToken);
    }
}
