namespace SmartDoorplate.Localization;

// Guiyang keeps China Standard Time, UTC+8 all year (no daylight saving): the offset of every day,
// month and clock time the app shows or reads from a person.
public static class ChinaTime
{
    public static readonly TimeSpan Offset = TimeSpan.FromHours(8);
}
