using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using SmartDoorplate.Accounts;
using SmartDoorplate.Analytics.Hotspots;
using SmartDoorplate.Data;
using SmartDoorplate.Hosting;
using SmartDoorplate.Localization;

namespace SmartDoorplate.Policing.Hotspots;

// Getis-Ord Gi* hot spots of cases over the officer's own jurisdiction (or one grid / station of it),
// with the registered residents of each cell so that a hot spot can be read as a rate, not just a
// count (HotspotAnalysis). Every result is a stored run (HotspotRuns): its id and every parameter
// used, automatic ones included, come back with the cells, and the `hotspots` tile layer draws it.
public static class HotspotsApi
{
    // The pilot's doorplates went up in 改茶村 on 1 November 2025: the default before/after split.
    public static readonly DateOnly DefaultSplit = new(2025, 11, 1);
    public const int DefaultWindowDays = 365;
    public const int MinWindowDays = 7;
    public const int MaxWindowDays = 1096;

    public static readonly Bilingual SplitInvalid = new("分界日期格式须为 yyyy-MM-dd，且之后至少有 7 天数据", "split is yyyy-MM-dd with at least 7 days after it up to today");
    public static readonly Bilingual DaysInvalid = new("窗口天数须为 7–1096", "days must be 7–1096");
    public static readonly Bilingual RunInvalid = new("分析编号 run 须为正整数", "run must be a positive whole number");

    public static IEndpointRouteBuilder MapHotspots(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/hotspots").WithTags("Hotspots").RequireAuthorization(Policies.PoliceOrAdmin);
        group.MapGet("", GetHotspots);
        group.MapGet("/change", GetChange);
        group.MapGet("/runs/{id:long}", GetRun);
        group.MapGet("/runs/{id:long}/buildings", GetHotBuildings);
        return app;
    }

    private static async Task<Results<Ok<HotspotFeatureCollection<HotspotCellProperties>>, ValidationProblem, NotFound>> GetHotspots(
        [AsParameters] HotspotQuery query, SmartDoorplateDb db, TimeProvider clock, CancellationToken ct)
    {
        var errors = new Dictionary<string, Bilingual>();
        var today = HotspotAnalysis.Today(clock);
        var fromDate = HotspotAnalysis.ParseDate("from", query.From, today.AddYears(-1), errors);
        var toDate = HotspotAnalysis.ParseDate("to", query.To, today, errors);
        if (fromDate > toDate) errors["from"] = HotspotAnalysis.DateInvalid;
        var scope = db.Scope;
        var options = HotspotAnalysis.ParseOptions(query, scope, errors);
        if (errors.Count > 0 || options is null) return ValidationProblems.For(errors);
        var period = new HotspotAnalysis.Period(fromDate, toDate);

        var connection = await HotspotAnalysis.OpenConnectionAsync(db, ct);
        var area = await HotspotAnalysis.StudyAreaAsync(connection, scope, query.Grid, query.Station, ct);
        if (area is null) return TypedResults.NotFound();
        var cells = HotspotAnalysis.LayOutCells(area.ProjectedArea, options.CellSize);
        if (cells is null) return ValidationProblems.For("cellSize", HotspotAnalysis.TooManyCells);

        var run = await CountsRunAsync(db, connection, area, cells, options, period, scope.UserId, ct);
        // The map draws the cells as tiles of the run and asks for none here (features=false).
        var features = query.Features == false ? [] : await HotspotRuns.CountFeaturesAsync(connection, run.Id, ct);
        return TypedResults.Ok(new HotspotFeatureCollection<HotspotCellProperties>(run.AsDto(), run.Parameters, features));
    }

    private static Task<HotspotRunInfo> CountsRunAsync(SmartDoorplateDb db, NpgsqlConnection connection, HotspotAnalysis.StudyArea area, SquareGrid cells,
        HotspotAnalysis.Options options, HotspotAnalysis.Period period, long? userId, CancellationToken ct)
    {
        var inputs = options.ToJson();
        inputs["from"] = HotspotAnalysis.Format(period.From);
        inputs["to"] = HotspotAnalysis.Format(period.To);
        return HotspotRuns.GetOrCreateAsync(db, area, HotspotRunKind.Counts, inputs, userId, async () =>
        {
            var counted = await HotspotAnalysis.CountCasesAsync(connection, area, cells, period, options.Types, ct);
            var residents = await HotspotAnalysis.ResidentsPerCellAsync(connection, area, cells, ct);
            var found = new JsonObject
            {
                ["cells"] = cells.Cells.Length,
                ["events"] = counted.Events,
                ["eventsInCells"] = (int)counted.Counts.Sum(),
            };
            return (found, HotspotRuns.CountCells(cells, counted.Counts, residents, options));
        }, ct);
    }

    // Two equal windows either side of `split` (default: the plates date), each a stored counts run
    // (the map toggles between them), and the change between them as a third run: Gi* of the
    // per-cell difference (Analytics PeriodChange). Windows reaching past today are shortened, both
    // alike, and the days actually used are returned.
    private static async Task<Results<Ok<HotspotChangeCollection>, ValidationProblem, NotFound>> GetChange(
        [AsParameters] HotspotChangeQuery query, SmartDoorplateDb db, TimeProvider clock, CancellationToken ct)
    {
        var errors = new Dictionary<string, Bilingual>();
        var today = HotspotAnalysis.Today(clock);
        var splitDate = HotspotAnalysis.ParseDate("split", query.Split, DefaultSplit, errors);
        if (errors.ContainsKey("split") || today.DayNumber - splitDate.DayNumber + 1 < MinWindowDays) errors["split"] = SplitInvalid;
        if (query.Days is < MinWindowDays or > MaxWindowDays) errors["days"] = DaysInvalid;
        var scope = db.Scope;
        var options = HotspotAnalysis.ParseOptions(query, scope, errors);
        if (errors.Count > 0 || options is null) return ValidationProblems.For(errors);
        var windowDays = Math.Min(query.Days ?? DefaultWindowDays, today.DayNumber - splitDate.DayNumber + 1);
        var before = new HotspotAnalysis.Period(splitDate.AddDays(-windowDays), splitDate.AddDays(-1));
        var after = new HotspotAnalysis.Period(splitDate, splitDate.AddDays(windowDays - 1));

        var connection = await HotspotAnalysis.OpenConnectionAsync(db, ct);
        var area = await HotspotAnalysis.StudyAreaAsync(connection, scope, query.Grid, query.Station, ct);
        if (area is null) return TypedResults.NotFound();
        var cells = HotspotAnalysis.LayOutCells(area.ProjectedArea, options.CellSize);
        if (cells is null) return ValidationProblems.For("cellSize", HotspotAnalysis.TooManyCells);

        var beforeRun = await CountsRunAsync(db, connection, area, cells, options, before, scope.UserId, ct);
        var afterRun = await CountsRunAsync(db, connection, area, cells, options, after, scope.UserId, ct);
        var inputs = options.ToJson();
        inputs["split"] = HotspotAnalysis.Format(splitDate);
        inputs["splitIsDefault"] = query.Split is null;
        inputs["days"] = windowDays;
        inputs["daysRequested"] = query.Days ?? DefaultWindowDays;
        inputs["before"] = before.ToJson();
        inputs["after"] = after.ToJson();
        var changeRun = await HotspotRuns.GetOrCreateAsync(db, area, HotspotRunKind.Change, inputs, scope.UserId, async () =>
        {
            var countedBefore = await HotspotAnalysis.CountCasesAsync(connection, area, cells, before, options.Types, ct);
            var countedAfter = await HotspotAnalysis.CountCasesAsync(connection, area, cells, after, options.Types, ct);
            var residents = await HotspotAnalysis.ResidentsPerCellAsync(connection, area, cells, ct);
            var found = new JsonObject
            {
                ["cells"] = cells.Cells.Length,
                ["eventsBefore"] = countedBefore.Events,
                ["eventsAfter"] = countedAfter.Events,
                ["beforeRun"] = beforeRun.Id,
                ["afterRun"] = afterRun.Id,
            };
            return (found, HotspotRuns.ChangeCells(cells, countedBefore.Counts, countedAfter.Counts, residents, options));
        }, ct);

        var eventsBefore = changeRun.Parameters["eventsBefore"]!.GetValue<int>();
        var eventsAfter = changeRun.Parameters["eventsAfter"]!.GetValue<int>();
        var summary = new HotspotChangeSummary(eventsBefore, eventsAfter, eventsBefore > 0 ? (eventsAfter - eventsBefore) / (double)eventsBefore : null);
        var features = query.Features == false ? [] : await HotspotRuns.ChangeFeaturesAsync(connection, changeRun.Id, ct);
        return TypedResults.Ok(new HotspotChangeCollection(changeRun.AsDto(), changeRun.Parameters, summary,
            new HotspotRunParameters(beforeRun.AsDto(), beforeRun.Parameters), new HotspotRunParameters(afterRun.AsDto(), afterRun.Parameters), features));
    }

    // A stored run as it was shown, for the caller's scope only (another station's run is not found).
    private static async Task<Results<Ok<HotspotFeatureCollection<HotspotChangeCellProperties>>, Ok<HotspotFeatureCollection<HotspotCellProperties>>, NotFound>> GetRun(
        long id, CallerScope scope, NpgsqlDataSource dataSource, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var run = await HotspotRuns.VisibleAsync(connection, scope, id, ct);
        if (run is null) return TypedResults.NotFound();
        if (run.Kind == HotspotRunKind.Change)
        {
            return TypedResults.Ok(new HotspotFeatureCollection<HotspotChangeCellProperties>(run.AsDto(), run.Parameters,
                await HotspotRuns.ChangeFeaturesAsync(connection, run.Id, ct)));
        }
        return TypedResults.Ok(new HotspotFeatureCollection<HotspotCellProperties>(run.AsDto(), run.Parameters,
            await HotspotRuns.CountFeaturesAsync(connection, run.Id, ct)));
    }

    private static async Task<Results<Ok<HotspotBuildings>, NotFound>> GetHotBuildings(long id, CallerScope scope, NpgsqlDataSource dataSource, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var run = await HotspotRuns.VisibleAsync(connection, scope, id, ct);
        if (run is null) return TypedResults.NotFound();
        var buildings = await HotspotRuns.HotBuildingsAsync(connection, scope, run.Id, ct);
        return TypedResults.Ok(new HotspotBuildings(run.AsDto(), buildings.Count >= HotspotRuns.MaxHotBuildings, buildings));
    }
}
