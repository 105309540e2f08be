using System.Globalization;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using SmartDoorplate.Audit;
using SmartDoorplate.Data;
using SmartDoorplate.Privacy;

namespace SmartDoorplate.Accounts;

// Created: the new account. Otherwise the field-by-field errors (bilingual, "中文 / English"), and
// whether the user name is taken (the API answers that 409, the page as the user name's error).
public sealed record AccountCreation(User? Created, Dictionary<string, string[]> Errors, bool NameTaken);

// What an admin does to accounts, once for both callers: /api/accounts and the /accounts pages.
// Each change and its audit event are one transaction; a change that ends sessions tells
// AccountAccess after the commit, so this process refuses them at once and the others on the notice.
public static class AccountCommands
{
    public static readonly string NameTakenMessage = "用户名已存在 / The user name is taken";

    public static async Task<AccountCreation> CreateAsync(CreateAccountRequest request, SmartDoorplateDb db, IPasswordHasher<User> hasher,
        AuditTrail audit, PersonalDataProtector protector, CancellationToken ct)
    {
        var errors = AccountRules.Check(request, out var userName, out var role);
        AccountRules.CheckPhone(request.Phone, out var phone);

        long? stationId = null, districtId = null;
        if (role is Role.PoliceOfficer or Role.StationChief)
        {
            stationId = await db.PoliceStations.Where(s => s.Code == request.StationCode).Select(s => (long?)s.Id).FirstOrDefaultAsync(ct);
            if (stationId is null) errors["stationCode"] = ["派出所编码不存在 / Unknown police station code"];
        }
        else if (role is Role.DistrictOfficer)
        {
            districtId = await db.Districts.Where(d => d.Code == request.DistrictCode).Select(d => (long?)d.Id).FirstOrDefaultAsync(ct);
            if (districtId is null) errors["districtCode"] = ["区划代码不存在 / Unknown district code"];
        }
        var buildingCodes = request.BuildingCodes ?? [];
        if (buildingCodes.Length > 0 && role != Role.Landlord)
            errors["buildingCodes"] = ["只有房东账户可关联楼栋 / Only landlord accounts own buildings"];
        var buildingIds = await db.Buildings.Where(b => buildingCodes.Contains(b.Code)).Select(b => b.Id).ToListAsync(ct);
        if (buildingIds.Count != buildingCodes.Distinct().Count())
            errors["buildingCodes"] = ["有楼栋编码不存在 / Some building codes do not exist"];
        if (errors.Count > 0) return new(null, errors, false);

        if (await db.Users.AnyAsync(u => u.UserName == userName, ct))
            return new(null, new() { ["username"] = [NameTakenMessage] }, true);

        var user = new User { UserName = userName, DisplayName = request.DisplayName!.Trim(), Role = role, StationId = stationId, DistrictId = districtId,
            ContactPhoneCipher = phone is null ? null : protector.Encrypt(phone) };
        user.PasswordHash = hasher.HashPassword(user, request.Password!);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        db.Users.Add(user);
        await db.SaveChangesAsync(ct);
        if (buildingIds.Count > 0)
            await db.Buildings.Where(b => buildingIds.Contains(b.Id)).ExecuteUpdateAsync(s => s.SetProperty(b => b.OwnerId, user.Id), ct);
        await audit.AppendAsync(new AuditEntry(AuditActions.AccountCreated, "user", Id(user.Id),
            Details: new { userName, role = SnakeCaseEnum.ToCode(role), buildings = buildingIds.Count, phone = phone is not null }), ct);
        await transaction.CommitAsync(ct);
        return new(user, errors, false);
    }

    // A disabled account's sessions end with this request. False if there is no such account.
    public static async Task<bool> SetDisabledAsync(long id, DateTimeOffset? disabledAt, SmartDoorplateDb db, AuditTrail audit,
        AccountAccess access, CancellationToken ct)
    {
        await using (var transaction = await db.Database.BeginTransactionAsync(ct))
        {
            var changed = await db.Users.Where(u => u.Id == id).ExecuteUpdateAsync(s => s
                .SetProperty(u => u.DisabledAt, disabledAt)
                .SetProperty(u => u.FailedSignIns, 0)
                .SetProperty(u => u.LockedUntil, (DateTimeOffset?)null), ct);
            if (changed == 0) return false;
            await audit.AppendAsync(new AuditEntry(disabledAt is null ? AuditActions.AccountEnabled : AuditActions.AccountDisabled, "user", Id(id)), ct);
            await transaction.CommitAsync(ct);
        }
        access.Forget(id);
        return true;
    }

    // Sets (or, empty, clears) the account's contact phone. The audit event records that it changed and
    // whether one is set now, never the number. Null if there is no such account, else the errors (none when done).
    public static async Task<Dictionary<string, string[]>?> SetPhoneAsync(long id, string? phone, SmartDoorplateDb db, AuditTrail audit,
        PersonalDataProtector protector, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == id, ct);
        if (user is null) return null;
        if (AccountRules.CheckPhone(phone, out var number) is { } problem) return new() { ["phone"] = [problem] };
        user.ContactPhoneCipher = number is null ? null : protector.Encrypt(number);
        await db.SaveChangesAsync(ct);
        await audit.AppendAsync(new AuditEntry(AuditActions.AccountPhoneSet, "user", Id(id), Details: new { phoneSet = number is not null }), ct);
        await transaction.CommitAsync(ct);
        return [];
    }

    // Clears the account's failed sign-ins from every address (and any lock left from before they were
    // counted per address), for a user who is blocked from their own address. False if there is no such account.
    public static async Task<bool> UnlockAsync(long id, SmartDoorplateDb db, AuditTrail audit, PersonalDataProtector protector, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == id, ct);
        if (user is null) return false;
        var addresses = await ClearFailuresAsync(user, db, protector, ct);
        var wasLocked = user.LockedUntil is not null;
        user.FailedSignIns = 0;
        user.LockedUntil = null;
        await db.SaveChangesAsync(ct);
        await audit.AppendAsync(new AuditEntry(AuditActions.AccountUnlocked, "user", Id(id), Details: new { addresses, wasLocked }), ct);
        await transaction.CommitAsync(ct);
        return true;
    }

    // An admin sets a new password for a user who forgot theirs. Whoever held the old one may hold a
    // session too: every session of the account ends, and the failed sign-ins are forgotten so the
    // user can sign in at once. Null if there is no such account, else the errors (none when done).
    public static async Task<Dictionary<string, string[]>?> ResetPasswordAsync(long id, string? password, SmartDoorplateDb db,
        IPasswordHasher<User> hasher, AuditTrail audit, AccountAccess access, PersonalDataProtector protector, CancellationToken ct)
    {
        await using (var transaction = await db.Database.BeginTransactionAsync(ct))
        {
            var user = await db.Users.FirstOrDefaultAsync(u => u.Id == id, ct);
            if (user is null) return null;
            if (AccountRules.CheckPassword(password) is { } problem) return new() { ["password"] = [problem] };
            user.PasswordHash = hasher.HashPassword(user, password!);
            user.FailedSignIns = 0;
            user.LockedUntil = null;
            await db.SaveChangesAsync(ct);
            var addresses = await ClearFailuresAsync(user, db, protector, ct);
            await AccountsSql.StampSessionsSinceAsync(db, id, ct);
            // Never the password nor its hash: that a reset happened, and by whom (the event's actor).
            await audit.AppendAsync(new AuditEntry(AuditActions.PasswordReset, "user", Id(id), Details: new { addresses, sessionsEnded = true }), ct);
            await transaction.CommitAsync(ct);
        }
        access.Forget(id);
        return [];
    }

    private static Task<int> ClearFailuresAsync(User user, SmartDoorplateDb db, PersonalDataProtector protector, CancellationToken ct)
    {
        var nameIndex = PasswordSignIn.UserNameIndex(protector, user.UserName);
        return db.SignInFailures.Where(f => f.UserNameIndex == nameIndex).ExecuteDeleteAsync(ct);
    }

    private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);
}
