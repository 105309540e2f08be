using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SmartDoorplate.Data;
using SmartDoorplate.Gis;
using SmartDoorplate.Registrations;

namespace SmartDoorplate.Policing.WatchList;

// raised → proposed_confirm | proposed_dismiss (one officer) → confirmed | dismissed (a second one);
// a second officer who disagrees sends it back to raised. Four eyes: the decider is never the proposer.
public enum WatchAlertStatus { Raised, ProposedConfirm, ProposedDismiss, Confirmed, Dismissed }

public sealed class WatchAlert
{
    public long Id { get; set; }
    public long EntryId { get; set; }
    public WatchEntry? Entry { get; set; }
    public Guid RegistrationId { get; set; }
    public ResidenceRegistration? Registration { get; set; }
    public Guid PersonId { get; set; }
    public long BuildingId { get; set; }
    public Building? Building { get; set; }
    // The station of the building's grid when the alert was raised: who must act on it.
    public long StationId { get; set; }
    public PoliceStation? Station { get; set; }
    public DateTimeOffset RaisedAt { get; set; }
    public WatchAlertStatus Status { get; set; }
    public long? ProposedById { get; set; }
    public DateTimeOffset? ProposedAt { get; set; }
    public string? ProposalNote { get; set; }
    public long? DecidedById { get; set; }
    public DateTimeOffset? DecidedAt { get; set; }
    public string? DecisionNote { get; set; }
    public uint Version { get; set; }

    public bool IsProposed => Status is WatchAlertStatus.ProposedConfirm or WatchAlertStatus.ProposedDismiss;
}

public sealed class WatchAlertConfiguration : IEntityTypeConfiguration<WatchAlert>
{
    public const int MaxNoteLength = 500;

    public void Configure(EntityTypeBuilder<WatchAlert> e)
    {
        e.ToTable("watch_alerts");
        e.Property(x => x.Status).HasConversion<SnakeCaseEnumConverter<WatchAlertStatus>>().HasMaxLength(20);
        e.Property(x => x.ProposalNote).HasMaxLength(MaxNoteLength);
        e.Property(x => x.DecisionNote).HasMaxLength(MaxNoteLength);
        e.Property(x => x.Version).IsRowVersion();
        // A match raises one alert, however often it is found again (insert … on conflict do nothing).
        e.HasIndex(x => new { x.EntryId, x.RegistrationId }).IsUnique();
        e.HasIndex(x => new { x.StationId, x.Status });
        e.HasIndex(x => x.RegistrationId);
        e.HasOne(x => x.Entry).WithMany().HasForeignKey(x => x.EntryId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne(x => x.Registration).WithMany().HasForeignKey(x => x.RegistrationId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<Person>().WithMany().HasForeignKey(x => x.PersonId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne(x => x.Building).WithMany().HasForeignKey(x => x.BuildingId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne(x => x.Station).WithMany().HasForeignKey(x => x.StationId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<Accounts.User>().WithMany().HasForeignKey(x => x.ProposedById).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<Accounts.User>().WithMany().HasForeignKey(x => x.DecidedById).OnDelete(DeleteBehavior.Restrict);
    }
}
