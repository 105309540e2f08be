namespace SmartDoorplate.Analytics.Identity;

// 港澳台居民居住证 (《港澳台居民居住证申领发放办法》, 2018): an 18-character number built like a
// citizen identity number (GB 11643: address code, birth date, sequence, MOD 11-2 check character),
// whose address code is 810000 for Hong Kong residents, 820000 for Macao and 830000 for Taiwan.
public static class ResidencePermitNumber
{
    public static readonly IReadOnlyList<string> AddressCodes = ["810000", "820000", "830000"];

    public static (ResidentIdNumber? Number, DocumentError? Error) Validate(string? input, DateOnly today)
    {
        if (string.IsNullOrWhiteSpace(input)) return (null, DocumentError.Empty);
        var id = ResidentIdNumber.Validate(input, today);
        if (!id.IsValid)
        {
            return (null, DocumentValidation.FromResidentId(id.Error.Value).Error);
        }
        return AddressCodes.Contains(id.Number.RegionCode) ? (id.Number, null) : (null, DocumentError.Format);
    }
}
