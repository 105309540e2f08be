using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SmartDoorplate.Accounts;
using SmartDoorplate.Data;
using SmartDoorplate.Gis;
using SmartDoorplate.Localization;
using SmartDoorplate.Occupancy;

namespace SmartDoorplate.Registrations;

// The lifecycle (docs/ARCHITECTURE.md is the source of truth):
//   submitted ─confirm (landlord)→ confirmed ─verify (police)→ verified
//   submitted ─reject→ rejected
//   submitted | confirmed | verified ─move-out / superseded→ ended
public enum RegistrationStatus { Submitted, Confirmed, Verified, Rejected, Ended }

public enum ResidenceReason { Work, Study, Business, Family, Other }

public enum RegistrationChannel { Scan, Api, Landlord, Import }

// Why a landlord (or officer) turned a submission down; the receipt shows it to the tenant.
public enum RejectionCode { NotATenant, WrongRoom, WrongPerson, WrongMoveInDate, Duplicate, AlreadyLeft, Other }

public enum EndReason { MovedOut, Superseded }

public sealed class ResidenceRegistration
{
    public Guid Id { get; set; }
    public required string Receipt { get; set; }
    public Guid PersonId { get; set; }
    public Person? Person { get; set; }
    public long BuildingId { get; set; }
    public Building? Building { get; set; }
    public long? RoomId { get; set; }
    public Room? Room { get; set; }
    public string? RoomLabel { get; set; }                // what the tenant typed when the building has no room list
    public DateOnly MoveInDate { get; set; }
    public DateOnly? MoveOutDate { get; set; }
    public ResidenceReason Reason { get; set; }
    public string? Employer { get; set; }
    public RegistrationStatus Status { get; set; }
    public RegistrationChannel Channel { get; set; }
    public bool Late { get; set; }                         // submitted more than N days after move-in (24 hours for a foreigner)
    // A foreigner's stay must be registered with the police within 24 hours of moving in
    // (出境入境管理法 第三十九条): the end of that window, set on foreigners' registrations only;
    // the station's queue lists them until an officer verifies them.
    public DateTimeOffset? PoliceReportDueAt { get; set; }
    public DateTimeOffset SubmittedAt { get; set; }
    public DateTimeOffset? ConfirmedAt { get; set; }
    public long? ConfirmedById { get; set; }
    public User? ConfirmedBy { get; set; }
    public DateTimeOffset? VerifiedAt { get; set; }
    public long? VerifiedById { get; set; }
    public DateTimeOffset? RejectedAt { get; set; }
    public RejectionCode? RejectionCode { get; set; }
    public string? RejectionReason { get; set; }          // the free text given with the code
    public DateTimeOffset? EndedAt { get; set; }
    public EndReason? EndReason { get; set; }
    public string? IdempotencyKey { get; set; }
    // The phone given with this registration (encrypted + blind index): with the receipt it lets the
    // tenant look up their own status. The person's stored phone changes only when a landlord confirms.
    public byte[]? ContactPhoneCipher { get; set; }
    public byte[]? ContactPhoneIndex { get; set; }
    // The name as given with this registration. The person's stored name, like their phone, changes
    // only when a landlord or officer confirms: an anonymous submission must not rename anyone.
    public string? SubmittedName { get; set; }
    // Set when a landlord entered the registration on the tenant's behalf.
    public long? EnteredById { get; set; }
    public uint Version { get; set; }

    // A current occupant: confirmed or verified and no move-out date. Occupancy counts, exports and the
    // police queue all use this one definition.
    public static readonly Expression<Func<ResidenceRegistration, bool>> IsOccupying = r =>
        (r.Status == RegistrationStatus.Confirmed || r.Status == RegistrationStatus.Verified) && r.MoveOutDate == null;

    public bool IsOpen => Status is RegistrationStatus.Submitted or RegistrationStatus.Confirmed or RegistrationStatus.Verified;

    // Why it was refused, in the reader's language: the reason from the list, then the landlord's words.
    public string? RejectionText(Language language)
    {
        if (RejectionCode is not { } code) return RejectionReason;
        var reason = RegistrationText.RejectionCodes[code].In(language);
        return RejectionReason is null ? reason : reason + (language == Language.En ? ": " : "：") + RejectionReason;
    }

    // The transitions of the lifecycle above. Each answers false, changing nothing, when the current
    // status does not allow it; the caller turns that into a 409.
    public bool TryConfirm(long byUserId, DateTimeOffset at)
    {
        if (Status != RegistrationStatus.Submitted) return false;
        Status = RegistrationStatus.Confirmed;
        ConfirmedById = byUserId;
        ConfirmedAt = at;
        return true;
    }

    public bool TryReject(RejectionCode code, string? text, DateTimeOffset at)
    {
        if (Status != RegistrationStatus.Submitted) return false;
        Status = RegistrationStatus.Rejected;
        RejectionCode = code;
        RejectionReason = text;
        RejectedAt = at;
        return true;
    }

    public bool TryVerify(long byUserId, DateTimeOffset at)
    {
        if (Status != RegistrationStatus.Confirmed) return false;
        Status = RegistrationStatus.Verified;
        VerifiedById = byUserId;
        VerifiedAt = at;
        return true;
    }

    public bool TryMoveOut(DateOnly date, DateTimeOffset at)
    {
        if (!IsOpen) return false;
        Status = RegistrationStatus.Ended;
        EndReason = Registrations.EndReason.MovedOut;
        MoveOutDate = date;
        EndedAt = at;
        return true;
    }

    // The person's newer registration elsewhere was confirmed. Their move-in there is taken as the
    // move-out here when it can be (a move-out never precedes the move-in); otherwise no date is invented.
    public bool TrySupersede(DateOnly newMoveIn, DateTimeOffset at)
    {
        if (!IsOpen) return false;
        Status = RegistrationStatus.Ended;
        EndReason = Registrations.EndReason.Superseded;
        if (newMoveIn >= MoveInDate) MoveOutDate = newMoveIn;
        EndedAt = at;
        return true;
    }
}

public sealed class ResidenceRegistrationConfiguration : IEntityTypeConfiguration<ResidenceRegistration>
{
    public void Configure(EntityTypeBuilder<ResidenceRegistration> e)
    {
        e.ToTable("residence_registrations", t =>
            t.HasCheckConstraint("ck_registrations_move_out_after_move_in", "move_out_date is null or move_out_date >= move_in_date"));
        e.Property(x => x.Receipt).HasMaxLength(20);
        e.HasIndex(x => x.Receipt).IsUnique();
        e.Property(x => x.RoomLabel).HasMaxLength(20);
        e.Property(x => x.Employer).HasMaxLength(100);
        e.Property(x => x.RejectionReason).HasMaxLength(500);
        e.Property(x => x.RejectionCode).HasConversion<SnakeCaseEnumConverter<RejectionCode>>().HasMaxLength(30);
        e.Property(x => x.EndReason).HasConversion<SnakeCaseEnumConverter<EndReason>>().HasMaxLength(20);
        e.Property(x => x.SubmittedName).HasMaxLength(50);
        e.Property(x => x.IdempotencyKey).HasMaxLength(100);
        e.HasIndex(x => x.IdempotencyKey).IsUnique().HasFilter("idempotency_key is not null");
        e.Property(x => x.Status).HasConversion<SnakeCaseEnumConverter<RegistrationStatus>>().HasMaxLength(20);
        e.Property(x => x.Reason).HasConversion<SnakeCaseEnumConverter<ResidenceReason>>().HasMaxLength(20);
        e.Property(x => x.Channel).HasConversion<SnakeCaseEnumConverter<RegistrationChannel>>().HasMaxLength(20);
        e.Property(x => x.SubmittedAt).HasDefaultValueSql("now()");
        e.Property(x => x.Version).IsRowVersion();
        e.HasOne(x => x.Person).WithMany().HasForeignKey(x => x.PersonId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne(x => x.Building).WithMany().HasForeignKey(x => x.BuildingId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne(x => x.Room).WithMany().HasForeignKey(x => x.RoomId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne(x => x.ConfirmedBy).WithMany().HasForeignKey(x => x.ConfirmedById).OnDelete(DeleteBehavior.Restrict);
        e.HasIndex(x => new { x.BuildingId, x.Status });
        e.HasIndex(x => new { x.PersonId, x.Status });
        e.HasIndex(x => x.RoomId);
        // The station's queue of foreigners' stays reads the few rows that have a deadline.
        e.HasIndex(x => x.PoliceReportDueAt).HasFilter("police_report_due_at is not null");
    }
}
