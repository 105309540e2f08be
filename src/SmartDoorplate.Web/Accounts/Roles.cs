using SmartDoorplate.Data;

namespace SmartDoorplate.Accounts;

// Role codes as they appear in claims, tokens and the database.
public static class Roles
{
    public static readonly string Landlord = SnakeCaseEnum.ToCode(Role.Landlord);
    public static readonly string PoliceOfficer = SnakeCaseEnum.ToCode(Role.PoliceOfficer);
    public static readonly string StationChief = SnakeCaseEnum.ToCode(Role.StationChief);
    public static readonly string DistrictOfficer = SnakeCaseEnum.ToCode(Role.DistrictOfficer);
    public static readonly string Admin = SnakeCaseEnum.ToCode(Role.Admin);

    public static readonly string[] Police = [PoliceOfficer, StationChief, DistrictOfficer];
}

public static class Policies
{
    public const string Police = "police";
    public const string PoliceOrAdmin = "police-or-admin";
    public const string Landlord = "landlord";
    public const string LandlordOrPolice = "landlord-or-police";
    public const string Admin = "admin";
    public const string AuditReader = "audit-reader";
    // Who loads and removes watch-list entries (布控): not a grid officer alone.
    public const string WatchListManager = "watch-list-manager";
}

public static class ScopeClaims
{
    public const string StationId = "sd:station";
    public const string DistrictId = "sd:district";
}
