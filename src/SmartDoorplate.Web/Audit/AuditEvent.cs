using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace SmartDoorplate.Audit;

// 数据铁笼: append-only and hash-chained. Each row stores the hash of the previous row, so
// changing or deleting any row breaks the chain from there on (`sdp audit verify`).
//
// Appending and chaining are two steps, so that requests never queue behind one lock: a request
// inserts its row with ContentHash (a digest of every field, computed by the app) in its own
// transaction; the sealer (`audit_seal()`, run by AuditSealer every half second and by `audit
// verify`) then gives unsealed rows, in commit order, the next ChainSeq and Hash =
// SHA-256(PreviousHash ‖ ContentHash). Until sealed a row is already append-only for the app's role;
// sealing only adds the link that makes a superuser's edit detectable.
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

public static class AuditActions
{
    public const string SignIn = "sign_in";
    public const string SignInFailed = "sign_in_failed";
    public const string PersonView = "person_view";
    public const string PersonReveal = "person_reveal";          // an ID number or phone shown unmasked
    public const string PersonSearch = "person_search";
    public const string RegistrationChange = "registration_change";
    public const string BuildingChange = "building_change";
    public const string DoorplateChange = "doorplate_change";
    public const string AccountChange = "account_change";
    public const string AuditSearch = "audit_search";            // supervisors reading this log are logged too
    public const string AccessLogView = "access_log_view";       // a resident reading who viewed their record
    public const string RetentionAnonymise = "retention_anonymise";
    public const string PatrolCheckIn = "patrol_check_in";       // an officer's visit at a building (Policing/PatrolCheckIn)
    public const string CaseChange = "case_change";              // a case recorded, edited or imported
    public const string ReportExport = "report_export";          // the pilot report downloaded as PDF or PNG
    public const string StatisticsExport = "statistics_export";  // counts only, no person: Details say which area
    public const string WatchListUpload = "watch_list_upload";      // Details: counts and the alerts raised, never an ID number
    public const string WatchListRemove = "watch_list_remove";
    public const string WatchAlertRaised = "watch_alert_raised";    // a new registration matched the list
    public const string WatchAlertProposed = "watch_alert_proposed";
    public const string WatchAlertDecided = "watch_alert_decided";  // the second officer of the four eyes
    public const string SignInThrottled = "sign_in_throttled";      // refused unchecked: this name from this address must wait
    public const string SignInBlocked = "sign_in_blocked";          // a name from one address reached the block (SignInThrottle)
    public const string AccountUnlocked = "account_unlocked";       // an admin cleared an account's failed sign-ins
    public const string ReceiptLookUpBlocked = "receipt_look_up_blocked"; // a receipt had its wrong phones for the hour

    // What a resident's access log lists: someone looked at their personal data.
    public static readonly string[] PersonReads = [PersonView, PersonReveal];
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
