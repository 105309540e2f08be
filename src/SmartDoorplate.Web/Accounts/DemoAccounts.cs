using Microsoft.AspNetCore.Identity;
using Npgsql;
using SmartDoorplate.Data;
using SmartDoorplate.Privacy;

namespace SmartDoorplate.Accounts;

// The demo log-ins of the pilot data set, as README lists them. Pilot data only: the loader
// refuses to run in Production.
public static class DemoAccounts
{
    public const string PasswordVariable = "SD_DEMO_PASSWORD";
    public const string DefaultPassword = "Demo-2026!";

    public static string Password =>
        Environment.GetEnvironmentVariable(PasswordVariable) is { Length: > 0 } password ? password : DefaultPassword;

    private sealed record Account(string UserName, string DisplayName, Role Role, string? StationCode, string? Phone = null);

    // landlord.demo and landlord.other own buildings through the pilot files' `landlord` property;
    // the building import has created them without a password by the time this runs.
    // The landlords' phones are made up (the 1380013xxxx test block) but pass the mobile rule, so the
    // map's building panel has one to show; encrypted like every phone.
    public static async Task<int> CreateAsync(NpgsqlConnection connection, PersonalDataProtector protector, string pilotStationCode,
        string otherStationCode, string password, CancellationToken cancellationToken)
    {
        Account[] accounts =
        [
            new("admin", "系统管理员", Role.Admin, null),
            new("police.gaicha", "改茶警务区民警", Role.PoliceOfficer, pilotStationCode),
            new("police.other", "新华警务区民警", Role.PoliceOfficer, otherStationCode),
            new("landlord.demo", "演示房东", Role.Landlord, null, "13800138001"),
            new("landlord.other", "另一位房东", Role.Landlord, null, "13800138002"),
        ];

        var hasher = new PasswordHasher<User>();
        var created = 0;
        foreach (var account in accounts)
        {
            var user = new User { UserName = account.UserName, DisplayName = account.DisplayName, Role = account.Role };
            // A password already set is never overwritten; a landlord created by the import
            // (same name, same role, no password) gets the demo one.
            created += await AccountsSql.UpsertDemoAccountAsync(connection, account.UserName, account.DisplayName, account.Role,
                hasher.HashPassword(user, password), account.StationCode,
                account.Phone is null ? null : protector.Encrypt(account.Phone), cancellationToken);
        }

        return created;
    }
}
