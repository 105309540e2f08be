using System.Security.Claims;

namespace SmartDoorplate.Accounts;

public enum ScopeKind { System, Admin, District, Station, Landlord, Anonymous }

// Whose data the current caller may see. The DbContext applies it as global query filters
// (Data/SmartDoorplateDb.cs → ScopeFilters), so no handler can forget it; the few public endpoints
// (scan page, tenant submission) opt out explicitly with IgnoreQueryFilters and project public fields only.
public sealed record CallerScope(ScopeKind Kind, long? UserId = null, long? StationId = null, long? DistrictId = null)
{
    // No HTTP request: a command-line verb or a background job acting for the system.
    public static readonly CallerScope System = new(ScopeKind.System);
    public static readonly CallerScope Anonymous = new(ScopeKind.Anonymous);

    public bool SeesEverything => Kind is ScopeKind.System or ScopeKind.Admin;

    // Whether police of this scope may see a station's grids. Grids and stations carry no query
    // filter of their own (their outlines are on every map), so endpoints taking a grid or station
    // code check it with this: another station's grid is as unknown as a made-up code.
    public bool Covers(long stationId, long districtId) =>
        SeesEverything
        || (Kind == ScopeKind.Station && StationId == stationId)
        || (Kind == ScopeKind.District && DistrictId == districtId);

    public static CallerScope From(HttpContext? context)
    {
        if (context is null) return System;
        var user = context.User;
        if (user.Identity?.IsAuthenticated != true) return Anonymous;
        var userId = long.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ? id : (long?)null;
        var role = user.FindFirstValue(ClaimTypes.Role);
        long? Claim(string type) => long.TryParse(user.FindFirstValue(type), out var v) ? v : null;
        if (role == Roles.Admin) return new(ScopeKind.Admin, userId);
        if (role == Roles.Landlord) return new(ScopeKind.Landlord, userId);
        if (Roles.Police.Contains(role))
        {
            if (Claim(ScopeClaims.StationId) is { } stationId) return new(ScopeKind.Station, userId, StationId: stationId);
            if (Claim(ScopeClaims.DistrictId) is { } districtId) return new(ScopeKind.District, userId, DistrictId: districtId);
        }
        return Anonymous with { UserId = userId };
    }
}
