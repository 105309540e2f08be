using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SmartDoorplate.Gis;

namespace SmartDoorplate.Policing.Tips;

// 线索举报: an anonymous text clue sent from a doorplate's scan page to the station of that building.
// No photo and no contact details are asked for: a resident should be able to report without fear.
public sealed class Tip
{
    public long Id { get; set; }
    public long BuildingId { get; set; }
    public Building? Building { get; set; }
    public required string Text { get; set; }
    public DateTimeOffset SubmittedAt { get; set; }
    public DateTimeOffset? HandledAt { get; set; }
    public long? HandledById { get; set; }
}

public sealed class TipConfiguration : IEntityTypeConfiguration<Tip>
{
    public const int MaxTextLength = 1000;

    public void Configure(EntityTypeBuilder<Tip> e)
    {
        e.ToTable("tips");
        e.Property(x => x.Text).HasMaxLength(MaxTextLength);
        e.Property(x => x.SubmittedAt).HasDefaultValueSql("now()");
        e.HasOne(x => x.Building).WithMany().HasForeignKey(x => x.BuildingId).OnDelete(DeleteBehavior.Restrict);
        e.HasIndex(x => new { x.BuildingId, x.SubmittedAt });
    }
}
