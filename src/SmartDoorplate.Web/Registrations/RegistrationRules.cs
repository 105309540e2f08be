using System.Globalization;
using System.Text.RegularExpressions;
using SmartDoorplate.Analytics.Identity;
using SmartDoorplate.Data;
using SmartDoorplate.Localization;

namespace SmartDoorplate.Registrations;

// What a tenant sends, from the scan form or the JSON API: everything a string, because bad input
// must come back as a field-by-field answer, never as a model-binding failure. `IdNumber` is the
// number of the document `DocumentType` names (a 居民身份证 when absent, as before there was a
// choice); `Nationality` (ISO 3166-1 alpha-3) goes with a foreigner's document, and `Sex` and
// `BirthDate` with every document whose number does not carry them.
public sealed record RegistrationInput(
    string? DoorplateCode, string? Room, string? Name, string? IdNumber, string? Phone,
    string? MoveInDate, string? Reason, string? Employer, bool? Consent,
    string? DocumentType = null, string? Nationality = null, string? Sex = null, string? BirthDate = null);

public sealed record ValidRegistration(
    string Name, IdentityDocument Document, Sex Sex, DateOnly BirthDate, string OriginRegionCode, string Phone, string? RoomNumber,
    DateOnly MoveInDate, ResidenceReason Reason, string? Employer);

public static partial class RegistrationRules
{
    // A client's Idempotency-Key: absent, or 1 to maxLength characters and no control character. The
    // stored key carries a prefix (the channel, the landlord), so each caller says how much room is left.
    public static bool IdempotencyKeyAcceptable(string? key, int maxLength) =>
        key is null || (key.Length > 0 && key.Length <= maxLength && !key.Any(char.IsControl));

    public const int MaxNameLength = 50;
    public const int MaxMoveInDaysAhead = 30;
    public static readonly DateOnly EarliestMoveIn = new(1950, 1, 1);

    // Letters of any script (Han, Latin, Tibetan, Uyghur…), combining marks, the middle dot of
    // transcribed names (·, •) and inner spaces. Anything else, such as < or digits, is refused.
    [GeneratedRegex(@"^[\p{L}\p{M}][\p{L}\p{M}·•\. \-']*$")]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"^[^<>\p{Cc}]*$")]
    private static partial Regex PlainTextPattern();

    // `roomNumbers`: the building's current rooms; empty when it has no room list, then any short label goes.
    public static (ValidRegistration? Valid, Dictionary<string, Bilingual> Errors) Validate(
        RegistrationInput input, IReadOnlyCollection<string> roomNumbers, DateOnly today)
    {
        var errors = new Dictionary<string, Bilingual>();

        var name = input.Name?.Trim() ?? "";
        if (name.Length == 0) errors["name"] = RegistrationText.NameRequired;
        else if (name.Length > MaxNameLength) errors["name"] = RegistrationText.NameTooLong.Format(MaxNameLength);
        else if (!NamePattern().IsMatch(name)) errors["name"] = RegistrationText.NameCharacters;

        var document = ValidateDocument(input, today, errors);
        var (sex, birthDate) = document?.ResidentId is { } residentId
            ? (residentId.Sex == Analytics.Identity.Sex.Male ? Sex.Male : Sex.Female, residentId.BirthDate)
            : ValidateSexAndBirthDate(input, today, errors, needed: document is not null || StatesBirthDate(input.DocumentType));

        var phone = MobilePhone.Validate(input.Phone);
        if (!phone.IsValid) errors["phone"] = phone.Error == MobilePhoneError.Empty ? RegistrationText.PhoneRequired : RegistrationText.PhoneInvalid;

        var room = input.Room?.Trim();
        if (string.IsNullOrEmpty(room)) errors["room"] = RegistrationText.RoomRequired;
        else if (room.Length > 20) errors["room"] = RegistrationText.RoomTooLong;
        else if (roomNumbers.Count > 0 && !roomNumbers.Contains(room)) errors["room"] = RegistrationText.RoomUnknown;
        else if (!PlainTextPattern().IsMatch(room)) errors["room"] = RegistrationText.RoomUnknown;

        DateOnly moveIn = default;
        if (!DateOnly.TryParseExact(input.MoveInDate?.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out moveIn))
            errors["moveInDate"] = RegistrationText.MoveInRequired;
        else if (moveIn > today.AddDays(MaxMoveInDaysAhead)) errors["moveInDate"] = RegistrationText.MoveInTooLate.Format(MaxMoveInDaysAhead);
        else if (moveIn < EarliestMoveIn) errors["moveInDate"] = RegistrationText.MoveInTooEarly;

        if (!SnakeCaseEnum.TryParse<ResidenceReason>(input.Reason, out var reason)) errors["reason"] = RegistrationText.ReasonInvalid;

        var employer = string.IsNullOrWhiteSpace(input.Employer) ? null : input.Employer.Trim();
        if (employer is { Length: > 100 }) errors["employer"] = RegistrationText.EmployerTooLong;
        else if (employer is not null && !PlainTextPattern().IsMatch(employer)) errors["employer"] = RegistrationText.EmployerCharacters;

        // PIPL Art. 29: separate consent for sensitive personal information, never pre-ticked.
        if (input.Consent != true) errors["consent"] = RegistrationText.ConsentRequired;

        return errors.Count > 0
            ? (null, errors)
            : (new ValidRegistration(name, document!, sex, birthDate, OriginRegionCodeOf(document!), phone.Number!, room, moveIn, reason, employer), errors);
    }

    // The document's type (a 居民身份证 when none is named), its number and, for a foreigner's
    // document, the nationality; null with the field errors added when something is wrong.
    public static IdentityDocument? ValidateDocument(RegistrationInput input, DateOnly today, Dictionary<string, Bilingual> errors)
    {
        var type = Analytics.Identity.DocumentType.ResidentId;
        if (!string.IsNullOrWhiteSpace(input.DocumentType) && !SnakeCaseEnum.TryParse(input.DocumentType.Trim(), out type))
        {
            errors["documentType"] = RegistrationText.DocumentTypeInvalid;
            return null;
        }
        var result = IdentityDocument.Validate(type, input.IdNumber, input.Nationality, today);
        if (result.IsValid) return result.Document;
        if (type == Analytics.Identity.DocumentType.ResidentId)
        {
            errors["idNumber"] = RegistrationText.IdProblem(result.ResidentIdError!.Value, RegistrationText.IdRequired);
        }
        else if (result.Error is DocumentError.NationalityRequired or DocumentError.NationalityUnknown or DocumentError.NationalityMismatch)
        {
            errors["nationality"] = RegistrationText.DocumentProblem(result.Error.Value, type);
        }
        else
        {
            errors["idNumber"] = RegistrationText.DocumentProblem(result.Error.Value, type);
        }
        return null;
    }

    // A document named whose number does not carry sex and birth date (asked even while the number is
    // still wrong, so that the tenant hears about every field at once).
    private static bool StatesBirthDate(string? documentType) =>
        SnakeCaseEnum.TryParse<Analytics.Identity.DocumentType>(documentType?.Trim(), out var type)
        && type is not (Analytics.Identity.DocumentType.ResidentId or Analytics.Identity.DocumentType.ResidencePermit);

    // For the documents whose number does not carry them, the person states sex and birth date.
    private static (Sex, DateOnly) ValidateSexAndBirthDate(RegistrationInput input, DateOnly today, Dictionary<string, Bilingual> errors, bool needed)
    {
        if (!needed) return default;
        var sex = Sex.Female;
        if (!SnakeCaseEnum.TryParse(input.Sex?.Trim(), out sex)) errors["sex"] = RegistrationText.SexRequired;
        if (!DateOnly.TryParseExact(input.BirthDate?.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var born)
            || born < EarliestBirthDate || born > today)
        {
            errors["birthDate"] = RegistrationText.BirthDateRequired;
        }
        return (sex, born);
    }

    public static readonly DateOnly EarliestBirthDate = new(1900, 1, 1);

    // GB/T 2260 codes exist for the mainland and for Hong Kong (81), Macao (82) and Taiwan (71, and
    // 83 on residence permits); a foreigner's stay is counted under 000000, which no province has,
    // so the statistics' provinces leave it out and the map counts the person as floating.
    public const string ForeignOriginRegionCode = "000000";

    public static string OriginRegionCodeOf(IdentityDocument document) => document switch
    {
        { ResidentId: { } id } => id.RegionCode,
        { Type: Analytics.Identity.DocumentType.HongKongMacaoTravelPermit, Number: var n } => n[0] == 'H' ? "810000" : "820000",
        { Type: Analytics.Identity.DocumentType.TaiwanTravelPermit } => "710000",
        _ => ForeignOriginRegionCode,
    };
}
