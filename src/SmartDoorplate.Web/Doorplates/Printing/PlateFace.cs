namespace SmartDoorplate.Doorplates.Printing;

// What a plate shows, and nothing more: the place and who to call. No owner, no tenant, no use of the
// building — a plate must not tell a passer-by who lives there or that rooms are let.
public sealed record PlateFace(
    string Code,
    int Version,
    bool Revoked,
    long BuildingId,
    string BuildingCode,
    string DistrictName,
    string Street,
    string Community,
    string Road,
    string Number,
    string FullAddress,
    string StationName,
    string StationHotline);
