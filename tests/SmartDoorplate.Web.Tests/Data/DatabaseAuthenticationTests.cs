using System.Net;
using System.Net.Sockets;
using Npgsql;
using SmartDoorplate.Web.Tests.Infrastructure;

namespace SmartDoorplate.Web.Tests.Data;

// Nobody gets into the database without its password. The cluster these tests run on is made by
// scripts/lib/common.sh, as run.sh's and the benchmarks' are, so what holds here holds there; the
// door is tried from outside with psql, a client nobody here wrote.
public sealed class DatabaseAuthenticationTests
{
    private const string Psql = "/usr/lib/postgresql/15/bin/psql";

    private static readonly NpgsqlConnectionStringBuilder Server = new(TestDatabase.ServerConnectionString);

    [Theory]
    [InlineData("postgres")]
    [InlineData(TestDatabase.AppRole)]
    public async Task PsqlWithoutAPasswordIsRefused(string role)
    {
        var result = await RunPsqlAsync(Server.Port, role, password: "", "select 1");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("no password supplied", result.Error);
    }

    [Theory]
    [InlineData("postgres")]
    [InlineData(TestDatabase.AppRole)]
    public async Task AWrongPasswordIsRefused(string role)
    {
        var psql = await RunPsqlAsync(Server.Port, role, password: "not-the-password", "select 1");
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(TestDatabase.ServerConnectionString)
        {
            Username = role, Password = "not-the-password", Pooling = false,
        }.ConnectionString);

        var refused = await Assert.ThrowsAsync<PostgresException>(() => connection.OpenAsync());

        Assert.NotEqual(0, psql.ExitCode);
        Assert.Contains($"password authentication failed for user \"{role}\"", psql.Error);
        Assert.Equal(PostgresErrorCodes.InvalidPassword, refused.SqlState);
    }

    [Fact]
    public async Task PsqlWithTheAppRolesPasswordGetsInAsTheAppRole()
    {
        var app = new NpgsqlConnectionStringBuilder(TestDatabase.AppConnectionStringFor("postgres"));

        var result = await RunPsqlAsync(Server.Port, TestDatabase.AppRole, app.Password!, "select current_user");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal(TestDatabase.AppRole, result.Text.Trim());
    }

    [Fact]
    public async Task EveryAuthenticationRuleAsksLoopbackTcpForAScramPassword()
    {
        await using var connection = new NpgsqlConnection(TestDatabase.ServerConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select type, address, auth_method, error from pg_hba_file_rules", connection);
        var rules = new List<(string Type, string? Address, string? Method, string? Error)>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                rules.Add((reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1),
                    reader.IsDBNull(2) ? null : reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3)));
            }
        }

        Assert.NotEmpty(rules);
        Assert.All(rules, rule =>
        {
            Assert.Null(rule.Error);
            Assert.Equal("host", rule.Type);
            Assert.Contains(rule.Address, new[] { "127.0.0.1", "::1" });
            Assert.Equal("scram-sha-256", rule.Method);
        });
    }

    // A developer whose .data/pg was made before passwords (initdb --auth=trust, sd_app without a
    // password, running) runs run.sh again: the same cluster then asks both roles for their passwords.
    [Fact]
    public async Task AClusterThatTrustedEveryoneIsGivenPasswordsOnTheNextStart()
    {
        var root = Environment.GetEnvironmentVariable("SD_REPO_ROOT")
            ?? throw new InvalidOperationException("SD_REPO_ROOT is not set: run the tests with scripts/test.sh");
        var dir = Path.Combine(root, ".data", "trusting-" + Guid.NewGuid().ToString("N")[..12]);
        var port = FreePort();
        const string script = """
            set -euo pipefail
            source "$SD_REPO_ROOT/scripts/lib/common.sh"
            dir="$1"; port="$2"
            mkdir -p "$dir"; chown postgres "$dir"
            runuser -u postgres -- "$PG_BIN/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
            runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$dir/data" -w -l "$dir/postgres.log" \
              -o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c fsync=off" start >/dev/null
            "$PG_BIN/psql" -w -h 127.0.0.1 -p "$port" -U postgres -d postgres -qAt -c "create role sd_app login"
            SD_PG_FSYNC=off sd_cluster_start "$dir" "$port"
            """;
        try
        {
            var upgrade = await ExternalTool.RunAsync("bash", ["-c", script, "bash", dir, port.ToString()]);
            Assert.True(upgrade.ExitCode == 0, upgrade.Error);

            var passwords = Path.Combine(dir, "passwords");
            var mode = await ExternalTool.RunAsync("stat", ["-c", "%U %a", passwords]);
            var owner = await RunPsqlAsync(port, "postgres", password: "", "select 1");
            var app = await RunPsqlAsync(port, TestDatabase.AppRole, password: "", "select 1");
            var withFile = new Dictionary<string, string> { ["PGPASSFILE"] = passwords, ["PGPASSWORD"] = "" };
            var appWithFile = await ExternalTool.RunAsync(Psql,
                ["-w", "-h", "127.0.0.1", "-p", port.ToString(), "-U", TestDatabase.AppRole, "-d", "postgres", "-qAt", "-c", "select current_user"], environment: withFile);
            var rules = await ExternalTool.RunAsync(Psql,
                ["-w", "-h", "127.0.0.1", "-p", port.ToString(), "-U", "postgres", "-d", "postgres", "-qAt", "-c",
                 "select count(*) filter (where auth_method <> 'scram-sha-256'), count(*) from pg_hba_file_rules"], environment: withFile);

            Assert.Equal("root 600", mode.Text.Trim());
            Assert.Contains("no password supplied", owner.Error);
            Assert.Contains("no password supplied", app.Error);
            Assert.True(appWithFile.ExitCode == 0, appWithFile.Error);
            Assert.Equal(TestDatabase.AppRole, appWithFile.Text.Trim());
            Assert.Equal("0|2", rules.Text.Trim());
        }
        finally
        {
            await ExternalTool.RunAsync("bash", ["-c", """source "$SD_REPO_ROOT/scripts/lib/common.sh"; sd_cluster_stop "$1"; rm -rf "$1" """, "bash", dir]);
        }
    }

    // PGPASSFILE names no file, so that no .pgpass of the account running the tests can answer for psql.
    private static Task<ToolResult> RunPsqlAsync(int port, string role, string password, string sql) =>
        ExternalTool.RunAsync(Psql, ["-w", "-h", "127.0.0.1", "-p", port.ToString(), "-U", role, "-d", "postgres", "-qAt", "-c", sql],
            environment: new Dictionary<string, string> { ["PGPASSWORD"] = password, ["PGPASSFILE"] = "/nonexistent/pgpass" });

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
