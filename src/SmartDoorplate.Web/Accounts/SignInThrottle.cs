using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace SmartDoorplate.Accounts;

// Failed sign-ins of one typed user name from one client address. Counting per pair, not per
// account, is what keeps a stranger who knows a landlord's user name from locking the landlord
// out: the stranger's address is slowed and blocked, the landlord's own is not. The user name is
// kept only as its blind index (keyed hash), because what people type there is sometimes a
// password; unknown names are counted like known ones, so the answers tell no names apart.
// In the database, not in memory, so that every instance of the app counts the same failures.
public sealed class SignInFailure
{
    public required byte[] UserNameIndex { get; set; }
    public required string ClientAddress { get; set; }
    public int Failures { get; set; }
    public DateTimeOffset LastFailedAt { get; set; }
}

public sealed class SignInFailureConfiguration : IEntityTypeConfiguration<SignInFailure>
{
    public void Configure(EntityTypeBuilder<SignInFailure> e)
    {
        e.ToTable("sign_in_failures");
        e.HasKey(x => new { x.UserNameIndex, x.ClientAddress });
        e.Property(x => x.ClientAddress).HasMaxLength(64);
        e.HasIndex(x => x.LastFailedAt);
    }
}

// The rule, without I/O: after FailuresBeforeDelay failures each further attempt must wait,
// FirstDelay, then twice as long after every failure; from FailuresBeforeBlock on the pair is
// blocked for BlockDuration after its last failure. Failures older than ForgetAfter start over.
public sealed record SignInThrottle(int FailuresBeforeDelay, int FailuresBeforeBlock, TimeSpan FirstDelay, TimeSpan BlockDuration, TimeSpan ForgetAfter)
{
    public static SignInThrottle From(SignInOptions o) =>
        new(o.FailuresBeforeDelay, o.FailuresBeforeBlock, o.FirstDelay, o.BlockDuration, o.ForgetFailuresAfter);

    public bool IsBlocking(int failures) => failures >= FailuresBeforeBlock;

    // How long after the last failure the next attempt is heard.
    public TimeSpan DelayAfter(int failures)
    {
        if (failures >= FailuresBeforeBlock) return BlockDuration;
        if (failures < FailuresBeforeDelay) return TimeSpan.Zero;
        var doublings = Math.Min(failures - FailuresBeforeDelay, 30);
        var delay = FirstDelay * Math.Pow(2, doublings);
        return delay < BlockDuration ? delay : BlockDuration;
    }

    // Zero when an attempt may be checked now, else how long the caller must still wait.
    public TimeSpan WaitBefore(int failures, DateTimeOffset lastFailedAt, DateTimeOffset now)
    {
        if (now - lastFailedAt >= ForgetAfter) return TimeSpan.Zero;
        var wait = lastFailedAt + DelayAfter(failures) - now;
        return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
    }
}
