using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using NetTopologySuite.Geometries;

namespace SmartDoorplate.Gis;

// 区 → 派出所 → 社区/网格. Every police query is scoped by this tree (see docs/ARCHITECTURE.md).
public sealed class District
{
    public long Id { get; set; }
    public required string Code { get; set; }          // 6-digit administrative division code, e.g. 520103
    public required string Name { get; set; }
    public required MultiPolygon Boundary { get; set; }
    public List<PoliceStation> Stations { get; set; } = [];
}

public sealed class PoliceStation
{
    public long Id { get; set; }
    public long DistrictId { get; set; }
    public District? District { get; set; }
    public required string Code { get; set; }
    public required string Name { get; set; }
    public required string Hotline { get; set; }
    // The community officer's public work contact, shown on the scan page: never a private number.
    public string? OfficerName { get; set; }
    public string? OfficerPhone { get; set; }
    public required MultiPolygon Boundary { get; set; }
    public List<CommunityGrid> Grids { get; set; } = [];
}

public sealed class CommunityGrid
{
    public long Id { get; set; }
    public long StationId { get; set; }
    public PoliceStation? Station { get; set; }
    public required string Code { get; set; }
    public required string Name { get; set; }
    public string? VillageCode { get; set; }             // 12-digit statistical code of the 村/社区, when known
    public required MultiPolygon Boundary { get; set; }
}

public sealed class DistrictConfiguration : IEntityTypeConfiguration<District>
{
    public void Configure(EntityTypeBuilder<District> e)
    {
        e.ToTable("districts");
        e.Property(x => x.Code).HasMaxLength(6).IsFixedLength();
        e.HasIndex(x => x.Code).IsUnique();
        e.Property(x => x.Name).HasMaxLength(100);
        e.Property(x => x.Boundary).HasColumnType("geometry(MultiPolygon,4326)");
        e.HasIndex(x => x.Boundary).HasMethod("gist");
    }
}

public sealed class PoliceStationConfiguration : IEntityTypeConfiguration<PoliceStation>
{
    public void Configure(EntityTypeBuilder<PoliceStation> e)
    {
        e.ToTable("police_stations");
        e.Property(x => x.Code).HasMaxLength(40);
        e.HasIndex(x => x.Code).IsUnique();
        e.Property(x => x.Name).HasMaxLength(100);
        e.Property(x => x.Hotline).HasMaxLength(40);
        e.Property(x => x.OfficerName).HasMaxLength(40);
        e.Property(x => x.OfficerPhone).HasMaxLength(40);
        e.Property(x => x.Boundary).HasColumnType("geometry(MultiPolygon,4326)");
        e.HasIndex(x => x.Boundary).HasMethod("gist");
        e.HasOne(x => x.District).WithMany(d => d.Stations).HasForeignKey(x => x.DistrictId).OnDelete(DeleteBehavior.Restrict);
    }
}

public sealed class CommunityGridConfiguration : IEntityTypeConfiguration<CommunityGrid>
{
    public void Configure(EntityTypeBuilder<CommunityGrid> e)
    {
        e.ToTable("community_grids");
        e.Property(x => x.Code).HasMaxLength(40);
        e.HasIndex(x => x.Code).IsUnique();
        e.Property(x => x.Name).HasMaxLength(100);
        e.Property(x => x.VillageCode).HasMaxLength(12);
        e.Property(x => x.Boundary).HasColumnType("geometry(MultiPolygon,4326)");
        e.HasIndex(x => x.Boundary).HasMethod("gist");
        e.HasOne(x => x.Station).WithMany(s => s.Grids).HasForeignKey(x => x.StationId).OnDelete(DeleteBehavior.Restrict);
    }
}
