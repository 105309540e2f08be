using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SmartDoorplate.Accounts;
using SmartDoorplate.Audit;
using SmartDoorplate.Data;
using SmartDoorplate.Doorplates;
using SmartDoorplate.Localization;

namespace SmartDoorplate.Policing.Patrol;

public sealed record PatrolCheckInInput(string? DoorplateCode, double? Lat, double? Lon, double? Accuracy);

public sealed record PatrolVisitDto(
    long Id, long BuildingId, string BuildingCode, string Address, string GridCode, string DoorplateCode, string Officer,
    DateTimeOffset VisitedAt, double? Lon, double? Lat, double? AccuracyMetres, double? DistanceMetres, bool Far, double FarAfterMetres);

public abstract record PatrolOutcome
{
    public sealed record Recorded(PatrolVisitDto Visit, bool Repeated) : PatrolOutcome;
    public sealed record Invalid(Dictionary<string, Bilingual> Errors) : PatrolOutcome;
    // Unknown or replaced plate, or a building outside the officer's scope: the same answer for all.
    public sealed record NotFound : PatrolOutcome;
}

public static class PatrolText
{
    public static readonly Bilingual CheckIn = new("巡查签到", "Patrol check-in");
    public static readonly Bilingual CheckedIn = new("签到成功", "Checked in");
    public static readonly Bilingual Repeated = new("您刚刚已在此签到，未重复记录", "You had just checked in here; no second record was made");
    public static readonly Bilingual NotFound = new("门牌不存在、已更换，或楼栋不在您的辖区，不能签到",
        "No such current plate, or the building is outside your jurisdiction: cannot check in");
    public static readonly Bilingual OutOfScope = new("此楼栋不在您的辖区，不能在此巡查签到", "This building is outside your jurisdiction: you cannot check in here");
    public static readonly Bilingual PlateRequired = new("请提供门牌码", "Give the doorplate code");
    public static readonly Bilingual LatInvalid = new("纬度须在 -90 到 90 之间", "Latitude must be between -90 and 90");
    public static readonly Bilingual LonInvalid = new("经度须在 -180 到 180 之间", "Longitude must be between -180 and 180");
    public static readonly Bilingual PositionIncomplete = new("经度和纬度须同时提供", "Give both latitude and longitude, or neither");
    public static readonly Bilingual AccuracyInvalid = new("定位精度须为 0 到 100000 米", "Accuracy must be between 0 and 100000 metres");
    public static readonly Bilingual AccuracyWithoutPosition = new("没有位置时不能提供定位精度", "Accuracy was given without a position");
    public static readonly Bilingual NotANumber = new("须为数字", "Must be a number");
    public static readonly Bilingual NoPosition = new("未获取到位置（浏览器未提供定位）", "No position (the browser gave none)");
    public static readonly Bilingual Distance = new("距楼栋 {0} 米", "{0} m from the building");
    public static readonly Bilingual Far = new("距离过远：超出 {0} 米，已标记为远距离签到", "Too far: more than {0} m away, flagged as a remote check-in");
    public static readonly Bilingual Locating = new("正在获取位置…", "Getting your position…");
    public static readonly Bilingual NoGrid = new("网格不存在或不在您的辖区", "No such grid in your jurisdiction");
}

// The one path of a check-in, for the API and the scan page's button: the plate is looked up through
// the scope filters (another station's building is not found), the distance is measured in PostGIS,
// and the visit and its audit row commit together.
public sealed class PatrolCheckIn(SmartDoorplateDb db, AuditTrail audit, TimeProvider clock, IOptions<PatrolOptions> options)
{
    public const double MaxAccuracyMetres = 100_000;

    public static Dictionary<string, Bilingual> Validate(PatrolCheckInInput input)
    {
        var errors = new Dictionary<string, Bilingual>();
        if (string.IsNullOrWhiteSpace(input.DoorplateCode)) errors["doorplateCode"] = PatrolText.PlateRequired;
        if (input.Lat is { } lat && !(double.IsFinite(lat) && lat is >= -90 and <= 90)) errors["lat"] = PatrolText.LatInvalid;
        if (input.Lon is { } lon && !(double.IsFinite(lon) && lon is >= -180 and <= 180)) errors["lon"] = PatrolText.LonInvalid;
        if (input.Lat.HasValue != input.Lon.HasValue) errors[input.Lat.HasValue ? "lon" : "lat"] = PatrolText.PositionIncomplete;
        if (input.Accuracy is { } accuracy)
        {
            if (!(double.IsFinite(accuracy) && accuracy is >= 0 and <= MaxAccuracyMetres)) errors["accuracy"] = PatrolText.AccuracyInvalid;
            else if (input.Lat is null && input.Lon is null) errors["accuracy"] = PatrolText.AccuracyWithoutPosition;
        }
        return errors;
    }

    // Can the caller check in at this plate's building? Police of its scope only.
    public static bool IsPolice(System.Security.Claims.ClaimsPrincipal user) => Roles.Police.Any(user.IsInRole);

    public Task<bool> InScopeAsync(string code, CancellationToken ct) =>
        db.Doorplates.AsNoTracking().AnyAsync(d => d.Code == code && d.RevokedAt == null, ct);

    public async Task<PatrolOutcome> CheckInAsync(PatrolCheckInInput input, CancellationToken ct)
    {
        var errors = Validate(input);
        if (errors.Count > 0) return new PatrolOutcome.Invalid(errors);
        if (db.Scope.Kind is not (ScopeKind.Station or ScopeKind.District) || db.Scope.UserId is not { } officerId)
            return new PatrolOutcome.NotFound();

        var code = DoorplateCode.Normalize(input.DoorplateCode);
        if (code is null) return new PatrolOutcome.NotFound();
        // Through the scope filters: a plate of another station's building does not exist here.
        var plate = await db.Doorplates.AsNoTracking()
            .Where(d => d.Code == code && d.RevokedAt == null)
            .Select(d => new { d.BuildingId, d.Building!.Grid!.StationId })
            .FirstOrDefaultAsync(ct);
        if (plate is null) return new PatrolOutcome.NotFound();

        var now = clock.GetUtcNow();
        var position = input.Lat is { } lat && input.Lon is { } lon ? Geo.Point(lon, lat) : null;
        double? distance = null;
        if (position is not null)
        {
            // On the spheroid, to the footprint (0 when standing inside it).
            distance = await db.Buildings.AsNoTracking().Where(b => b.Id == plate.BuildingId)
                .Select(b => EF.Functions.Distance(b.Footprint, position, true)).SingleAsync(ct);
        }
        var visit = new PatrolVisit
        {
            BuildingId = plate.BuildingId, OfficerId = officerId, StationId = plate.StationId, DoorplateCode = code,
            VisitedAt = now, Position = position, AccuracyMetres = position is null ? null : input.Accuracy,
            DistanceMetres = distance is { } d ? Math.Round(d, 1) : null,
            Far = distance is { } metres && IsFar(metres, input.Accuracy, options.Value),
        };

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        // Two taps at once must not both pass the repeat check: one officer at one building at a time
        // (taken before the audit chain's lock, like every row lock here).
        await PatrolSql.LockOfficerAtBuildingAsync(db, officerId, plate.BuildingId, ct);
        var repeatSince = now.AddMinutes(-options.Value.RepeatWithinMinutes);
        var earlier = await db.PatrolVisits.AsNoTracking()
            .Where(v => v.BuildingId == plate.BuildingId && v.OfficerId == officerId && v.VisitedAt >= repeatSince)
            .OrderByDescending(v => v.VisitedAt).Select(v => (long?)v.Id).FirstOrDefaultAsync(ct);
        if (earlier is { } earlierId)
        {
            await transaction.RollbackAsync(ct);
            return new PatrolOutcome.Recorded((await FindAsync(earlierId, ct))!, Repeated: true);
        }
        db.PatrolVisits.Add(visit);
        await db.SaveChangesAsync(ct);
        await audit.AppendAsync(new AuditEntry(AuditActions.PatrolCheckIn, AuditTargets.Building,
            plate.BuildingId.ToString(CultureInfo.InvariantCulture),
            Details: new { visit = visit.Id, code, distanceMetres = visit.DistanceMetres, visit.Far }), ct);
        await transaction.CommitAsync(ct);
        return new PatrolOutcome.Recorded((await FindAsync(visit.Id, ct))!, Repeated: false);
    }

    public static bool IsFar(double distanceMetres, double? accuracyMetres, PatrolOptions options) =>
        distanceMetres > options.FarAfterMetres + Math.Min(accuracyMetres ?? 0, options.MaxAccuracyCreditMetres);

    public Task<PatrolVisitDto?> FindAsync(long id, CancellationToken ct)
    {
        var farAfter = options.Value.FarAfterMetres;
        return db.PatrolVisits.AsNoTracking().Where(v => v.Id == id)
            .Select(v => new PatrolVisitDto(
                v.Id, v.BuildingId, v.Building!.Code, v.Building.Address!.FullText, v.Building.Grid!.Code, v.DoorplateCode,
                v.Officer!.DisplayName, v.VisitedAt, v.Position == null ? null : (double?)v.Position.X, v.Position == null ? null : (double?)v.Position.Y,
                v.AccuracyMetres, v.DistanceMetres, v.Far, farAfter))
            .FirstOrDefaultAsync(ct);
    }
}

public static class PatrolServices
{
    public static IServiceCollection AddPatrol(this IServiceCollection services)
    {
        services.AddOptions<PatrolOptions>().BindConfiguration(PatrolOptions.Section);
        services.AddScoped<PatrolCheckIn>();
        return services;
    }
}
