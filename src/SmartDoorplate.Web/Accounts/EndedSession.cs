using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace SmartDoorplate.Accounts;

// A session (one sign-in: its cookie and its token share the id, AuthServices.SessionIdClaim) that
// was signed out. Its token or cookie, or any copy of them, is refused from then on (AccountAccess),
// though they would otherwise be good until they expire. Kept until no copy can still be in use:
// ExpiresAt is the sign-out plus a whole session lifetime, since a copy renewed by sliding
// expiration just before the sign-out lives that long; signing out deletes the rows past it.
public sealed class EndedSession
{
    public required string SessionId { get; set; }
    public long UserId { get; set; }
    public DateTimeOffset EndedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
}

public sealed class EndedSessionConfiguration : IEntityTypeConfiguration<EndedSession>
{
    public void Configure(EntityTypeBuilder<EndedSession> e)
    {
        e.ToTable("ended_sessions");
        e.HasKey(x => x.SessionId);
        e.Property(x => x.SessionId).HasMaxLength(64);
        e.HasIndex(x => x.ExpiresAt);
        e.HasOne<User>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
