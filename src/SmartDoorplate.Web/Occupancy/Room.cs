using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SmartDoorplate.Gis;

namespace SmartDoorplate.Occupancy;

public sealed class Room
{
    public long Id { get; set; }
    public long BuildingId { get; set; }
    public Building? Building { get; set; }
    public int Floor { get; set; }
    public required string Number { get; set; }
    public decimal? AreaM2 { get; set; }
    public int Beds { get; set; }
    // Rooms are retired, never deleted: past registrations still point at them.
    public DateTimeOffset? RetiredAt { get; set; }
    public uint Version { get; set; }
}

public sealed class RoomConfiguration : IEntityTypeConfiguration<Room>
{
    public void Configure(EntityTypeBuilder<Room> e)
    {
        e.ToTable("rooms", t =>
        {
            t.HasCheckConstraint("ck_rooms_beds", "beds between 0 and 100");
            t.HasCheckConstraint("ck_rooms_area", "area_m2 is null or area_m2 > 0");
        });
        e.Property(x => x.Number).HasMaxLength(20);
        e.Property(x => x.AreaM2).HasPrecision(7, 1);
        e.Property(x => x.Version).IsRowVersion();
        e.HasOne(x => x.Building).WithMany().HasForeignKey(x => x.BuildingId).OnDelete(DeleteBehavior.Restrict);
        e.HasIndex(x => new { x.BuildingId, x.Number }).IsUnique().HasFilter("retired_at is null");
    }
}
