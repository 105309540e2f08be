using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using NetTopologySuite.Geometries;
using SmartDoorplate.Data;

namespace SmartDoorplate.Policing.Hotspots;

// `counts`: Gi* of case counts in one period; `change`: Gi* of the per-cell difference between two
// periods (Analytics PeriodChange), whose cells carry `before` and `after` too.
public enum HotspotRunKind { Counts, Change }

// One hot-spot analysis as it was shown: the study area, every parameter used (the automatic ones
// too: default band, dates, types, minimum residents, the windows of a before/after) and the cells.
// Runs are a record and never changed; a request with the same parameters over the same area reuses
// the latest run while the data stamp (cases and residents of the area) is unchanged.
public sealed class HotspotRun
{
    public long Id { get; set; }
    public HotspotRunKind Kind { get; set; }
    // "grid:CODE", "station:ID" or "district:ID": the resolved study area, whoever asked.
    public required string AreaKey { get; set; }
    // The station and district the area lies in: who may read the run (Data/ScopeSql).
    public long? StationId { get; set; }
    public long? DistrictId { get; set; }
    // The canonical JSON of the inputs (after defaults): what a later request is matched on.
    public required string InputsKey { get; set; }
    public required string DataStamp { get; set; }
    // jsonb: the inputs plus what the computation found (cells, events); returned with every result.
    public required string Parameters { get; set; }
    public long? CreatedById { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public int Cells { get; set; }
}

// One cell of a run. Cells are written in one COPY and read as GeoJSON by HotspotSql (and drawn by
// the `hotspots` tile layer); the entity is the table's schema, so migrations keep it.
public sealed class HotspotCell
{
    public long RunId { get; set; }
    public int Cell { get; set; }
    public required Polygon Geometry { get; set; }
    // The cell centre in UTM 48N metres (EPSG:32648).
    public double X { get; set; }
    public double Y { get; set; }
    // Cases in the cell; for a change run the difference after − before.
    public double Count { get; set; }
    public double Residents { get; set; }
    public double? Rate { get; set; }
    public double? Z { get; set; }
    public double? P { get; set; }
    public required string Class { get; set; }
    public int Bin { get; set; }
    public double? Before { get; set; }
    public double? After { get; set; }
}

public sealed class HotspotRunConfiguration : IEntityTypeConfiguration<HotspotRun>
{
    public void Configure(EntityTypeBuilder<HotspotRun> e)
    {
        e.ToTable("hotspot_runs");
        e.Property(x => x.Kind).HasConversion<SnakeCaseEnumConverter<HotspotRunKind>>().HasMaxLength(20);
        e.Property(x => x.AreaKey).HasMaxLength(80);
        e.Property(x => x.InputsKey).HasMaxLength(2000);
        e.Property(x => x.DataStamp).HasMaxLength(200);
        e.Property(x => x.Parameters).HasColumnType("jsonb");
        e.Property(x => x.CreatedAt).HasDefaultValueSql("now()");
        e.HasIndex(x => new { x.AreaKey, x.Kind, x.CreatedAt });
    }
}

public sealed class HotspotCellConfiguration : IEntityTypeConfiguration<HotspotCell>
{
    public void Configure(EntityTypeBuilder<HotspotCell> e)
    {
        e.ToTable("hotspot_cells");
        e.HasKey(x => new { x.RunId, x.Cell });
        e.Property(x => x.Geometry).HasColumnType("geometry(Polygon,4326)");
        e.HasIndex(x => x.Geometry).HasMethod("gist");
        e.Property(x => x.Class).HasMaxLength(20);
        e.HasOne<HotspotRun>().WithMany().HasForeignKey(x => x.RunId).OnDelete(DeleteBehavior.Restrict);
    }
}
