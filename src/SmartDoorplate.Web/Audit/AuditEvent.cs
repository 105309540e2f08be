using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace SmartDoorplate.Audit;

// 数据铁笼: append-only and hash-chained. Each row stores the hash of the previous row, so
// changing or deleting any row breaks the chain from there on (`sdp audit verify`).
public sealed class AuditEvent
{
    public long Id { get; set; }
    public DateTimeOffset At { get; set; }
    public long? ActorUserId { get; set; }
    public string? ActorName { get; set; }
    public string? ActorRole { get; set; }
    public string? ActorOrganisation { get; set; }
    public required string Action { get; set; }
    public string? TargetType { get; set; }
    public string? TargetId { get; set; }
    public string? Purpose { get; set; }
    public string? ClientAddress { get; set; }
    public string? Details { get; set; }
    public required byte[] PreviousHash { get; set; }
    public required byte[] Hash { get; set; }
}

public sealed class AuditEventConfiguration : IEntityTypeConfiguration<AuditEvent>
{
    public void Configure(EntityTypeBuilder<AuditEvent> e)
    {
        e.ToTable("audit_events");
        e.Property(x => x.Id).UseIdentityAlwaysColumn();
        e.Property(x => x.ActorName).HasMaxLength(64);
        e.Property(x => x.ActorRole).HasMaxLength(20);
        e.Property(x => x.ActorOrganisation).HasMaxLength(100);
        e.Property(x => x.Action).HasMaxLength(60);
        e.Property(x => x.TargetType).HasMaxLength(40);
        e.Property(x => x.TargetId).HasMaxLength(64);
        e.Property(x => x.Purpose).HasMaxLength(500);
        e.Property(x => x.ClientAddress).HasMaxLength(64);
        e.Property(x => x.Details).HasColumnType("jsonb");
        e.HasIndex(x => x.At);
        e.HasIndex(x => new { x.TargetType, x.TargetId });
        e.HasIndex(x => x.ActorUserId);
    }
}
