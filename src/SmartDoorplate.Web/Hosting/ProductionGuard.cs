using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using SmartDoorplate.Audit;
using SmartDoorplate.Data;
using SmartDoorplate.Privacy;

namespace SmartDoorplate.Hosting;

// The pilot's demo accounts and the development keys are public (they are in this repository), and a
// connection string without a password works only against a server that lets anyone in.
// In Production the app refuses to start with any of them, rather than run quietly unprotected.
public static class ProductionGuard
{
    public static readonly string[] DemoUserNames = ["admin", "police.gaicha", "police.other", "landlord.demo", "landlord.other"];

    public const string DevelopmentEncryptionKey = "ZGV2ZWxvcG1lbnQta2V5LW5vdC1mb3ItcHJvZHVjdGk=";
    public const string DevelopmentBlindIndexKey = "ZGV2ZWxvcG1lbnQtYmxpbmQtaW5kZXgta2V5LW5vdC0=";
    public const string DevelopmentAuditLinkKey = "ZGV2ZWxvcG1lbnQtYXVkaXQtbGluay1rZXktbm90LWY=";
    // The public half of the development checkpoint signing key: whichever way the key is configured
    // (inline or as a file), it is recognised by this.
    public const string DevelopmentCheckpointPublicKey = "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEckBqftrPvM3ss8n/z2EP1uclksx5TU+RZGQktI0qrxgjVLKjRzXAkLY/0BunzdWiJQ8AmFckkpti9yNeypL7ug==";

    public static async Task<IReadOnlyList<string>> ProblemsAsync(IServiceProvider services, IConfiguration configuration)
    {
        var problems = new List<string>();
        var privacy = services.GetRequiredService<IOptions<PrivacyOptions>>().Value;
        if (privacy.EncryptionKeys.Values.Contains(DevelopmentEncryptionKey) || privacy.BlindIndexKey == DevelopmentBlindIndexKey)
            problems.Add("the development encryption or blind-index key is configured");
        var audit = services.GetRequiredService<AuditKeys>();
        if (services.GetRequiredService<IOptions<AuditKeyOptions>>().Value.LinkKeys.Values.Contains(DevelopmentAuditLinkKey)
            || Convert.ToBase64String(audit.PublicKeys[audit.SigningKeyId]) == DevelopmentCheckpointPublicKey)
            problems.Add("the development audit link key or checkpoint signing key is configured");
        if (!string.IsNullOrEmpty(configuration["SD_DEMO_PASSWORD"]))
            problems.Add("SD_DEMO_PASSWORD is set");
        var passwordless = PasswordlessConnectionStrings(configuration);
        if (passwordless.Count > 0)
        {
            // The demo-account check below needs the database, which without a password either refuses it
            // or lets anyone in: the connection is the first thing to mend.
            problems.Add(string.Join(", ", passwordless) + " carries no password (set Password=…, from the environment or SD_SECRETS_FILE)");
            return problems;
        }
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SmartDoorplateDb>();
        var demo = await db.Users.Where(u => DemoUserNames.Contains(u.UserName) && u.DisabledAt == null).Select(u => u.UserName).ToListAsync();
        if (demo.Count > 0) problems.Add("demo accounts exist and are enabled: " + string.Join(", ", demo));
        return problems;
    }

    // The connection strings that give no password (a Passfile, libpq's pgpass format, counts as one).
    public static IReadOnlyList<string> PasswordlessConnectionStrings(IConfiguration configuration)
    {
        var names = new List<string>();
        foreach (var name in new[] { DataServices.ConnectionStringName, DataServices.OwnerConnectionStringName })
        {
            if (configuration.GetConnectionString(name) is not { } value) continue;
            var settings = new NpgsqlConnectionStringBuilder(value);
            if (string.IsNullOrEmpty(settings.Password) && string.IsNullOrEmpty(settings.Passfile)) names.Add("ConnectionStrings:" + name);
        }
        return names;
    }

    public static async Task EnsureSafeAsync(WebApplication app)
    {
        if (!app.Environment.IsProduction()) return;
        var problems = await ProblemsAsync(app.Services, app.Configuration);
        if (problems.Count > 0)
            throw new InvalidOperationException("Refusing to start in Production: " + string.Join("; ", problems) + ".");
    }
}
