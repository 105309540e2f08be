using SmartDoorplate.Localization;

namespace SmartDoorplate.Occupancy.Landlord;

public static class LandlordPages
{
    // A refused decision as the pages show it: the same bilingual message and status code as the API.
    public static (string Message, int StatusCode) Describe(DecisionOutcome outcome, Language language) => outcome switch
    {
        DecisionOutcome.Stale => (OccupancyText.Stale.In(language), StatusCodes.Status409Conflict),
        DecisionOutcome.WrongState wrong => (wrong.Title.In(language), StatusCodes.Status409Conflict),
        DecisionOutcome.Invalid => (OccupancyText.ValidationTitle.In(language), StatusCodes.Status400BadRequest),
        _ => (OccupancyText.RegistrationNotFound.In(language), StatusCodes.Status404NotFound),
    };

    public static string? LanguageRouteValue(Language language) => language == Language.En ? "en" : null;
}
