using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace SmartDoorplate.Policing.WatchList;

// 布控名单: a wanted person's ID number, kept only as the HMAC blind index of its normalised form
// (Privacy/PersonalDataProtector.BlindIndex) — never the clear number, never its ciphertext. The
// list is city-wide; an alert goes to the station of the building where the person registers.
// Entries are removed softly (removed_at), so an alert can always say which entry raised it.
public sealed class WatchEntry
{
    public long Id { get; set; }
    public required byte[] IdNumberIndex { get; set; }
    public string? Reference { get; set; }          // the case or warrant number of the requesting unit
    public string? Reason { get; set; }
    public Guid UploadId { get; set; }              // the file it came in with
    public long AddedById { get; set; }
    public DateTimeOffset AddedAt { get; set; }
    public DateTimeOffset? RemovedAt { get; set; }
    public long? RemovedById { get; set; }
}

public sealed class WatchEntryConfiguration : IEntityTypeConfiguration<WatchEntry>
{
    public const int MaxReferenceLength = 50;
    public const int MaxReasonLength = 200;

    public void Configure(EntityTypeBuilder<WatchEntry> e)
    {
        e.ToTable("watch_entries");
        e.Property(x => x.Reference).HasMaxLength(MaxReferenceLength);
        e.Property(x => x.Reason).HasMaxLength(MaxReasonLength);
        e.Property(x => x.AddedAt).HasDefaultValueSql("now()");
        // One live entry per ID number: uploading the same number again changes nothing.
        e.HasIndex(x => x.IdNumberIndex).IsUnique().HasFilter("removed_at is null");
        e.HasIndex(x => x.UploadId);
        e.HasOne<Accounts.User>().WithMany().HasForeignKey(x => x.AddedById).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<Accounts.User>().WithMany().HasForeignKey(x => x.RemovedById).OnDelete(DeleteBehavior.Restrict);
    }
}
