using SmartDoorplate.Accounts;
using SmartDoorplate.Analytics.Privacy;
using SmartDoorplate.Audit;

namespace SmartDoorplate.Map;

// The landlord on the building panel. Police whose scope holds the building (the panel's query
// filters already make any other building not found) need to reach the landlord, so they see the
// name in full, and each time they do is audited as a view of that landlord's personal data.
// Admins and anyone else see it masked, unaudited: they have no station's work to do with it.
public sealed class LandlordContacts(AuditTrail audit, CallerScope scope)
{
    public bool ShownInFull => scope.Kind is ScopeKind.Station or ScopeKind.District;

    public async Task<string?> ForPanelAsync(long buildingId, long? landlordId, string? name, CancellationToken ct)
    {
        if (name is null || landlordId is null) return null;
        if (!ShownInFull) return Masking.MaskChineseName(name);
        await audit.AppendAsync(new AuditEntry(AuditActions.LandlordContactView, AuditTargets.Account,
            landlordId.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), Details: new { by = "map", buildingId }), ct);
        return name;
    }
}
