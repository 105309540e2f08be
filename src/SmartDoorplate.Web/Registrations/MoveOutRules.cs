using System.Globalization;
using SmartDoorplate.Localization;

namespace SmartDoorplate.Registrations;

// When a registration may end: once, on a date between its move-in and today. The tenant's
// move-out and the landlord's or officer's both check it here.
public static class MoveOutRules
{
    public static readonly Bilingual DateInvalid = new("请填写退租日期（年-月-日）", "Enter the move-out date (yyyy-MM-dd)");
    public static readonly Bilingual BeforeMoveIn = new("退租日期不能早于入住日期", "The move-out date cannot be before the move-in date");
    public static readonly Bilingual InFuture = new("退租日期不能晚于今天", "The move-out date cannot be after today");
    public static readonly Bilingual AlreadyEnded = new("此登记已结束", "This registration has already ended");

    public static Dictionary<string, Bilingual> Validate(ResidenceRegistration registration, string? dateInput, DateOnly today, out DateOnly date)
    {
        var errors = new Dictionary<string, Bilingual>();
        if (registration.Status is RegistrationStatus.Ended or RegistrationStatus.Rejected) errors["status"] = AlreadyEnded;
        if (!DateOnly.TryParseExact(dateInput?.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date))
            errors["date"] = DateInvalid;
        else if (date < registration.MoveInDate) errors["date"] = BeforeMoveIn;
        else if (date > today) errors["date"] = InFuture;
        return errors;
    }
}
