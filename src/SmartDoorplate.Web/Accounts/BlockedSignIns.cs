using Microsoft.EntityFrameworkCore;
using SmartDoorplate.Data;
using SmartDoorplate.Privacy;

namespace SmartDoorplate.Accounts;

// Which accounts are blocked from signing in from at least one address now (SignInThrottle): the
// console's list and /api/accounts both call them "locked", and an admin may unlock them.
public sealed class BlockedSignIns
{
    private readonly IReadOnlySet<string> userNameIndexes;
    private readonly PersonalDataProtector protector;
    private readonly DateTimeOffset now;

    private BlockedSignIns(IReadOnlySet<string> userNameIndexes, PersonalDataProtector protector, DateTimeOffset now) =>
        (this.userNameIndexes, this.protector, this.now) = (userNameIndexes, protector, now);

    public static async Task<BlockedSignIns> ReadAsync(
        SmartDoorplateDb db, SignInOptions options, PersonalDataProtector protector, DateTimeOffset now, CancellationToken ct)
    {
        var throttle = SignInThrottle.From(options);
        var blockedSince = now - throttle.BlockDuration;
        var indexes = (await db.SignInFailures.AsNoTracking()
                .Where(f => f.Failures >= throttle.FailuresBeforeBlock && f.LastFailedAt > blockedSince)
                .Select(f => f.UserNameIndex).ToListAsync(ct))
            .Select(Convert.ToHexString).ToHashSet();
        return new BlockedSignIns(indexes, protector, now);
    }

    public bool IsLocked(string userName, DateTimeOffset? lockedUntil) =>
        lockedUntil > now || userNameIndexes.Contains(Convert.ToHexString(PasswordSignIn.UserNameIndex(protector, userName)));
}
