using System.Globalization;
using System.Text.RegularExpressions;
using SmartDoorplate.Analytics.Identity;
using SmartDoorplate.Data;
using SmartDoorplate.Localization;

namespace SmartDoorplate.Registrations;

// What a tenant sends, from the scan form or the JSON API: everything a string, because bad input
// must come back as a field-by-field answer, never as a model-binding failure.
public sealed record RegistrationInput(
    string? DoorplateCode, string? Room, string? Name, string? IdNumber, string? Phone,
    string? MoveInDate, string? Reason, string? Employer, bool? Consent);

public sealed record ValidRegistration(
    string Name, ResidentIdNumber IdNumber, string Phone, string? RoomNumber, DateOnly MoveInDate,
    ResidenceReason Reason, string? Employer);

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

        var id = ResidentIdNumber.Validate(input.IdNumber, today);
        if (!id.IsValid)
        {
            errors["idNumber"] = RegistrationText.IdProblem(id.Error.Value, RegistrationText.IdRequired);
        }

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
            : (new ValidRegistration(name, id.Number!, phone.Number!, room, moveIn, reason, employer), errors);
    }
}
