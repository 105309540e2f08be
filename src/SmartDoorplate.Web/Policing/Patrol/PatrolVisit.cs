using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using NetTopologySuite.Geometries;
using SmartDoorplate.Accounts;
using SmartDoorplate.Gis;

namespace SmartDoorplate.Policing.Patrol;

// 巡查签到: an officer at a building scanned its plate and checked in. The position is what the
// officer's browser reported, if it did; the distance to the building is measured in PostGIS on
// geography (metres), and a check-in too far from the building is flagged for the supervisor, not
// refused: a phone indoors may report a poor fix, and the visit itself is still worth recording.
public sealed class PatrolVisit
{
    public long Id { get; set; }
    public long BuildingId { get; set; }
    public Building? Building { get; set; }
    public long OfficerId { get; set; }
    public User? Officer { get; set; }
    // The building's station at the time of the visit (grids may move between stations later).
    public long StationId { get; set; }
    public PoliceStation? Station { get; set; }
    public required string DoorplateCode { get; set; }
    public DateTimeOffset VisitedAt { get; set; }
    public Point? Position { get; set; }
    public double? AccuracyMetres { get; set; }
    // From the position to the building's footprint (0 inside it); null without a position.
    public double? DistanceMetres { get; set; }
    public bool Far { get; set; }
}

public sealed class PatrolOptions
{
    public const string Section = "Patrol";
    // A check-in farther than this from the footprint is flagged (plus the fix's reported accuracy,
    // credited up to MaxAccuracyCreditMetres, so a poor indoor fix is not flagged for being poor).
    public double FarAfterMetres { get; set; } = 200;
    public double MaxAccuracyCreditMetres { get; set; } = 100;
    // A second tap (or a reloaded form) by the same officer at the same building within this time
    // returns the first check-in instead of recording another.
    public int RepeatWithinMinutes { get; set; } = 5;
}

public sealed class PatrolVisitConfiguration : IEntityTypeConfiguration<PatrolVisit>
{
    public void Configure(EntityTypeBuilder<PatrolVisit> e)
    {
        e.ToTable("patrol_visits");
        e.Property(x => x.DoorplateCode).HasMaxLength(32);
        e.Property(x => x.VisitedAt).HasDefaultValueSql("now()");
        e.Property(x => x.Position).HasColumnType("geometry(Point,4326)");
        e.HasIndex(x => x.Position).HasMethod("gist");
        // The last visit of a building (tiles, the unvisited list) is one backward index scan.
        e.HasIndex(x => new { x.BuildingId, x.VisitedAt }).IsDescending(false, true);
        e.HasIndex(x => new { x.StationId, x.VisitedAt });
        e.HasIndex(x => new { x.OfficerId, x.VisitedAt });
        e.HasOne(x => x.Building).WithMany().HasForeignKey(x => x.BuildingId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne(x => x.Officer).WithMany().HasForeignKey(x => x.OfficerId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne(x => x.Station).WithMany().HasForeignKey(x => x.StationId).OnDelete(DeleteBehavior.Restrict);
        e.ToTable(t =>
        {
            t.HasCheckConstraint("ck_patrol_visits_accuracy", "accuracy_metres is null or (accuracy_metres >= 0 and position is not null)");
            t.HasCheckConstraint("ck_patrol_visits_distance", "(distance_metres is null) = (position is null)");
        });
    }
}

// The one definition of "not patrolled lately", shared by the tiles and the officer's list.
public static class PatrolRules
{
    public const int UnvisitedAfterDays = 30;

    // A lateral join giving each building `b` its last visit (`last_visit.visited_at`, null if never),
    // served by the (building_id, visited_at desc) index. Raw SQL, like the tiles: the caller scopes `b`.
    public const string LastVisitLateralSql = """
        left join lateral (
            select v.visited_at from patrol_visits v where v.building_id = b.id order by v.visited_at desc limit 1
        ) last_visit on true
        """;
}
