using System.CommandLine;
using Npgsql;
using SmartDoorplate.Audit;
using SmartDoorplate.Data;
using SmartDoorplate.Doorplates.Printing;
using SmartDoorplate.Loading.Import;
using SmartDoorplate.Loading.Pilot;
using SmartDoorplate.Loading.Seed;

namespace SmartDoorplate.Cli;

// Verbs of `scripts/sdp` (README lists them). Each feature contributes its own commands;
// this class only assembles them. Exit code 0 on success, non-zero with a one-line reason.
public static class CommandLineVerbs
{
    private static readonly HashSet<string> Verbs = ["migrate", "seed", "import", "print", "audit", "retention", "rotate-keys", "gistar", "kde", "tiles", "area", "--help", "-h", "-?"];

    // Verbs that change the schema or load data in bulk connect as the database owner; every other
    // verb, like the web app, as the app role, so that it holds no more rights than the app does.
    private static readonly HashSet<string> OwnerVerbs = ["migrate", "seed", "import"];

    // The analysts' verbs read and write CSV only: they run without building the web host (no
    // configuration, database or keys to set up), which is most of a short run's time.
    private static readonly HashSet<string> StandaloneVerbs = ["gistar", "kde"];

    public static bool IsVerb(string[] args) => args.Length > 0 && Verbs.Contains(args[0]);

    public static bool IsStandaloneVerb(string[] args) => args.Length > 0 && StandaloneVerbs.Contains(args[0]);

    public static Task<int> RunStandaloneAsync(string[] args)
    {
        var root = new RootCommand("SmartDoorplate 智慧门牌 — command-line verbs");
        root.Subcommands.Add(Policing.Hotspots.HotspotCommands.GiStarCommand());
        root.Subcommands.Add(Policing.Hotspots.HotspotCommands.KdeCommand());
        return InvokeAsync(root, args);
    }

    public static DatabasePrincipal DatabasePrincipalFor(string[] args) =>
        args.Length > 0 && OwnerVerbs.Contains(args[0]) ? DatabasePrincipal.Owner : DatabasePrincipal.App;

    public static async Task<int> RunAsync(IServiceProvider services, string[] args) => await InvokeAsync(Root(services), args);

    // Every verb; Program.cs only knows a verb by the Verbs list above, which a test holds to this.
    public static RootCommand Root(IServiceProvider services)
    {
        var root = new RootCommand("SmartDoorplate 智慧门牌 — command-line verbs");
        root.Subcommands.Add(MigrationCommands.Migrate(services));
        root.Subcommands.Add(SeedCommands.Seed(services));
        root.Subcommands.Add(ImportCommands.Import(services));
        root.Subcommands.Add(AuditCommands.Audit(services));
        root.Subcommands.Add(RetentionCommands.Retention(services));
        root.Subcommands.Add(Privacy.KeyRotation.Command(services));
        root.Subcommands.Add(Policing.Hotspots.HotspotCommands.GiStarCommand());
        root.Subcommands.Add(Policing.Hotspots.HotspotCommands.KdeCommand());
        root.Subcommands.Add(PrintCommands.Print(services));
        root.Subcommands.Add(Map.TileCommands.Tiles(services));
        root.Subcommands.Add(Map.AreaCommands.Area(services));
        return root;
    }

    private static async Task<int> InvokeAsync(RootCommand root, string[] args)
    {
        var parseResult = root.Parse(args);
        try
        {
            // Our own handler below prints one line; the default one would print a stack trace.
            return await parseResult.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (CommandFailedException ex)
        {
            await Console.Error.WriteLineAsync($"error: {ex.Message}");
            return 1;
        }
        catch (NpgsqlException ex)
        {
            // Any verb's database failure ends the same way: the verb's transaction is rolled back with its
            // connection, so the reason is all there is to say.
            await Console.Error.WriteLineAsync($"error: the database failed ({CommandFailedException.DatabaseReason(ex)})");
            return 1;
        }
    }
}

// Thrown by a verb to end with a one-line reason and a non-zero exit code.
public sealed class CommandFailedException(string message) : Exception(message)
{
    // A database failure's reason on one line: the server's own text without its SQLSTATE prefix, else what
    // the client met (a refused connection, a timeout).
    public static string DatabaseReason(NpgsqlException ex) =>
        (ex is PostgresException pg ? pg.MessageText : ex.InnerException?.Message ?? ex.Message).ReplaceLineEndings(" ");
}
