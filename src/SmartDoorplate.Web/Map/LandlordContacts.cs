using SmartDoorplate.Accounts;
using SmartDoorplate.Analytics.Privacy;
using SmartDoorplate.Audit;
using SmartDoorplate.Privacy;

namespace SmartDoorplate.Map;

public sealed record LandlordContact(string Name, string? Phone);

// The landlord on the building panel. Police whose scope holds the building (the panel's query
// filters already make any other building not found) need to reach the landlord, so they see the
// name and contact phone in full, and each time they do is audited as a view of that landlord's
// personal data. Admins and anyone else see both masked, unaudited: they have no station's work to
// do with them.
public sealed class LandlordContacts(AuditTrail audit, CallerScope scope, PersonalDataProtector protector)
{
    public bool ShownInFull => scope.Kind is ScopeKind.Station or ScopeKind.District;

    public async Task<LandlordContact?> ForPanelAsync(long buildingId, long? landlordId, string? name, byte[]? phoneCipher, CancellationToken ct)
    {
        if (name is null || landlordId is null) return null;
        var phone = phoneCipher is null ? null : protector.Decrypt(phoneCipher);
        if (!ShownInFull) return new LandlordContact(Masking.MaskChineseName(name), phone is null ? null : Masking.MaskMobilePhone(phone));
        await audit.AppendAsync(new AuditEntry(AuditActions.LandlordContactView, AuditTargets.Account,
            landlordId.Value.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Details: new { by = "map", buildingId, phone = phone is not null }), ct);
        return new LandlordContact(name, phone);
    }
}
