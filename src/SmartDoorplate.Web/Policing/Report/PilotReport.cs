using NetTopologySuite.Geometries;
using SmartDoorplate.Analytics.Hotspots;
using SmartDoorplate.Data;
using SmartDoorplate.Policing.Hotspots;

namespace SmartDoorplate.Policing.Report;

public sealed class PilotReportOptions
{
    public const string Section = "Report";

    // The day the smart doorplates went up in the pilot (改茶村).
    public DateOnly PlateDate { get; set; } = new(2025, 11, 1);

    // Months compared on each side of the plate date (equal windows).
    public int Months { get; set; } = 12;

    // The station an admin's report shows unless they choose another (the pilot's, 改茶警务区).
    public string Station { get; set; } = "QL-GC";
}

public sealed record MonthCount(DateOnly Month, int Count, bool AfterPlates);

public sealed record GridOutline(string Code, string Name, Geometry Boundary);

public sealed record HotBuilding(long Id, string Code, string Address, string GridCode, int Cases, int Residents, double? RatePer1000, string CellClass);

// Everything the report page and its PDF/PNG show, computed once per request. Geometry for drawing
// (cells, grid outlines, the area) is in UTM 48N metres, the hot-spot cells' own CRS.
public sealed record PilotReport(
    string AreaName,
    string? Grid,
    string? Station,
    DateOnly PlateDate,
    int Months,
    DateOnly BeforeFrom,
    DateOnly AfterTo,
    IReadOnlyList<MonthCount> Monthly,
    int Before,
    int After,
    double PercentChange,
    HotspotAnalysisResult Hotspots,
    IReadOnlyList<GridOutline> Grids,
    IReadOnlyList<HotBuilding> HotBuildings,
    DateTimeOffset GeneratedAt)
{
    public const double CellSize = 100;
    public const double Band = 150;
    public const int TopBuildings = 10;

    // A case belongs to the nearest building entrance within this distance; farther ones to none.
    public const double BuildingCaseMetres = 50;

    public DateOnly AfterFrom => PlateDate;
    public DateOnly BeforeTo => PlateDate.AddDays(-1);

    public int HotCells => Hotspots.Cells.Count(c => c.IsHot);
}
