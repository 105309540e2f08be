using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using NetTopologySuite.Geometries;
using SmartDoorplate.Data;

namespace SmartDoorplate.Gis;

// What the police map's base layer draws besides our own jurisdictions and buildings: the road
// network with its names, and landmarks an officer finds their way by. Neither names a person; both
// come from `sdp import roads|landmarks` (a survey's or the city's GIS delivery) and are read only by
// the base-map tiles, as raw SQL, so they have no DbSet.
public enum RoadKind { Main, Branch, Lane }

public enum LandmarkKind { PoliceStation, VillageCommittee, Market, BusStop, School, Hospital, Other }

public static class BaseMapNames
{
    // The words an officer and a survey file use; the import takes either the code or these.
    public static readonly IReadOnlyDictionary<RoadKind, string> RoadKinds = new Dictionary<RoadKind, string>
    {
        [RoadKind.Main] = "主干道",
        [RoadKind.Branch] = "支路",
        [RoadKind.Lane] = "巷",
    };

    public static readonly IReadOnlyDictionary<LandmarkKind, string> LandmarkKinds = new Dictionary<LandmarkKind, string>
    {
        [LandmarkKind.PoliceStation] = "派出所",
        [LandmarkKind.VillageCommittee] = "村(居)委会",
        [LandmarkKind.Market] = "市场",
        [LandmarkKind.BusStop] = "公交站",
        [LandmarkKind.School] = "学校",
        [LandmarkKind.Hospital] = "医院",
        [LandmarkKind.Other] = "其他",
    };
}

public sealed class Road
{
    public long Id { get; set; }
    public required string Code { get; set; }
    // Null for a road the survey did not name: it is still drawn.
    public string? Name { get; set; }
    public RoadKind Kind { get; set; }
    public decimal? WidthMetres { get; set; }
    public required MultiLineString Geometry { get; set; }
}

public sealed class Landmark
{
    public long Id { get; set; }
    public required string Code { get; set; }
    public required string Name { get; set; }
    public LandmarkKind Kind { get; set; }
    public required Point Location { get; set; }
}

public sealed class RoadConfiguration : IEntityTypeConfiguration<Road>
{
    public void Configure(EntityTypeBuilder<Road> e)
    {
        e.ToTable("roads", t =>
        {
            t.HasCheckConstraint("ck_roads_geometry_valid", "ST_IsValid(geometry)");
            t.HasCheckConstraint("ck_roads_width", "width_metres is null or width_metres between 0.5 and 200");
        });
        e.Property(x => x.Code).HasMaxLength(40);
        e.HasIndex(x => x.Code).IsUnique();
        e.Property(x => x.Name).HasMaxLength(60);
        e.Property(x => x.Kind).HasConversion<SnakeCaseEnumConverter<RoadKind>>().HasMaxLength(20);
        e.Property(x => x.WidthMetres).HasPrecision(5, 1);
        e.Property(x => x.Geometry).HasColumnType("geometry(MultiLineString,4326)");
        e.HasIndex(x => x.Geometry).HasMethod("gist");
    }
}

public sealed class LandmarkConfiguration : IEntityTypeConfiguration<Landmark>
{
    public void Configure(EntityTypeBuilder<Landmark> e)
    {
        e.ToTable("landmarks");
        e.Property(x => x.Code).HasMaxLength(40);
        e.HasIndex(x => x.Code).IsUnique();
        e.Property(x => x.Name).HasMaxLength(100);
        e.Property(x => x.Kind).HasConversion<SnakeCaseEnumConverter<LandmarkKind>>().HasMaxLength(30);
        e.Property(x => x.Location).HasColumnType("geometry(Point,4326)");
        e.HasIndex(x => x.Location).HasMethod("gist");
    }
}
