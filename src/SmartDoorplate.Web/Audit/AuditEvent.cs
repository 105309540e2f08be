using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace SmartDoorplate.Audit;

// 数据铁笼: append-only and chained. Each row stores the link of the previous row, so changing or
// deleting any row breaks the chain from there on (`sdp audit verify`).
//
// Appending and chaining are two steps, so that requests never queue behind one lock: a request
// inserts its row with ContentHash (a SHA-256 digest of every field) in its own transaction; the
// sealer (AuditChain, every half second and before `audit verify`) then gives unsealed rows, in
// commit order, the next ChainSeq and Hash = HMAC-SHA-256(link key, ChainSeq ‖ PreviousHash ‖
// ContentHash). The link key lives in the app's configuration only (LinkKeyId names it), so the
// database, and a superuser of it, can check nothing and forge nothing. Signed checkpoints of the
// chain's head (AuditCheckpoint), copied to an anchor outside the database, show a shortened chain.
// Until sealed a row is already append-only for the app's role.
//
// Conventions, so that the log can be filtered and a resident shown who looked at their record:
// - Action is a snake_case verb from AuditActions (add yours there).
// - TargetType/TargetId name the record acted on, from AuditTargets. A person is ("person", the
//   person's Guid in "D" form: Person.Id.ToString("D")) — the resident's access log
//   (/api/registrations/receipt/{receipt}/access-log) finds views of their record by exactly that.
//   A search that returns several persons targets nothing and keeps its criteria in Details,
//   never a clear ID number or phone.
// - Purpose is what the officer typed as the reason; police person searches require one.
// - ActorOrganisation (the sd:org claim: the station or office) is what a resident may see;
//   ActorName and ActorRole are for supervisors only.
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
    // Null until sealed. Rows written before sealing existed (ContentHash null) carry the old
    // one-step hash over PreviousHash and the fields; the verifier checks both forms.
    public byte[]? ContentHash { get; set; }
    public long? ChainSeq { get; set; }
    public byte[]? PreviousHash { get; set; }
    public byte[]? Hash { get; set; }
    // The link key Hash was computed with; null for rows linked with plain SHA-256 before keyed links.
    public short? LinkKeyId { get; set; }
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
        e.HasIndex(x => x.ChainSeq).IsUnique();
        // The sealer's work queue: small, because rows leave it within a second.
        e.HasIndex(x => x.Id).HasFilter("chain_seq is null").HasDatabaseName("ix_audit_events_unsealed");
    }
}

// The chain's head at ChainSeq, signed with the app's checkpoint key (ECDSA P-256), written at least
// once a minute while events arrive and at shutdown, and appended to the anchor file as well
// (AuditAnchor). Append-only like the events.
public sealed class AuditCheckpoint
{
    public long Id { get; set; }
    public long ChainSeq { get; set; }
    public required byte[] HeadHash { get; set; }
    public DateTimeOffset At { get; set; }
    public short? LinkKeyId { get; set; }
    public short SigningKeyId { get; set; }
    public required byte[] Signature { get; set; }
}

public sealed class AuditCheckpointConfiguration : IEntityTypeConfiguration<AuditCheckpoint>
{
    public void Configure(EntityTypeBuilder<AuditCheckpoint> e)
    {
        e.ToTable("audit_checkpoints");
        e.Property(x => x.Id).UseIdentityAlwaysColumn();
        e.HasIndex(x => x.ChainSeq).IsUnique();
    }
}

public static class AuditTargets
{
    public const string Person = "person";
    public const string Registration = "registration";
    public const string Building = "building";
    public const string Doorplate = "doorplate";
    public const string Account = "account";
    public const string Case = "case";
    public const string Report = "report";
    public const string WatchList = "watch_list";                   // an upload, by its id
    public const string WatchEntry = "watch_entry";
    public const string WatchAlert = "watch_alert";
}
