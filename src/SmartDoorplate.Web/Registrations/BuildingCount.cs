using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SmartDoorplate.Gis;

namespace SmartDoorplate.Registrations;

// A building's CurrentResidents counts, kept by PostgreSQL itself: statement-level triggers on
// residence_registrations (insert, update, delete, truncate; so COPY in the seed, the pilot load and
// the importer too) and on persons (origin_region_code) add each statement's change to the rows of
// the buildings it touched, in the same transaction (migration BuildingCounts). Counting at request
// time instead made a z14 tile of the densest city area take seconds. The app may only read it: the
// trigger functions are SECURITY DEFINER, and sd_app has SELECT alone. A building without a row has
// no registration at all, i.e. zero everywhere. Each row also carries a copy of its building's
// entrance_cell and grid_id, kept by the same functions and a trigger on buildings, for the
// population cell tiles (migration BuildingCountCells); EF Core does not map them.
public sealed class BuildingCount
{
    public long BuildingId { get; set; }
    public Building? Building { get; set; }
    public int Residents { get; set; }
    public int Floating { get; set; }
    public int Pending { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

public sealed class BuildingCountConfiguration : IEntityTypeConfiguration<BuildingCount>
{
    public void Configure(EntityTypeBuilder<BuildingCount> e)
    {
        e.ToTable("building_counts");
        e.HasKey(x => x.BuildingId);
        e.Property(x => x.BuildingId).ValueGeneratedNever();
        e.Property(x => x.UpdatedAt).HasDefaultValueSql("now()");
        e.HasOne(x => x.Building).WithOne().HasForeignKey<BuildingCount>(x => x.BuildingId).OnDelete(DeleteBehavior.Cascade);
    }
}
