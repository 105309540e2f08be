using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SmartDoorplate.Gis;

namespace SmartDoorplate.Doorplates;

// One current plate per building. Reissuing revokes the old code (so a stolen or copied plate
// stops working) and bumps the version; old rows stay so that scans of old plates can be explained.
public sealed class Doorplate
{
    public long Id { get; set; }
    public long BuildingId { get; set; }
    public Building? Building { get; set; }
    public required string Code { get; set; }
    public int Version { get; set; }
    public DateTimeOffset IssuedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
}

public sealed class DoorplateConfiguration : IEntityTypeConfiguration<Doorplate>
{
    public void Configure(EntityTypeBuilder<Doorplate> e)
    {
        e.ToTable("doorplates");
        e.Property(x => x.Code).HasMaxLength(32);
        e.HasIndex(x => x.Code).IsUnique();
        e.HasIndex(x => x.BuildingId).IsUnique().HasFilter("revoked_at is null").HasDatabaseName("ux_doorplates_current_per_building");
        e.HasIndex(x => new { x.BuildingId, x.Version }).IsUnique();
        e.Property(x => x.IssuedAt).HasDefaultValueSql("now()");
        e.HasOne(x => x.Building).WithMany().HasForeignKey(x => x.BuildingId).OnDelete(DeleteBehavior.Restrict);
    }
}
