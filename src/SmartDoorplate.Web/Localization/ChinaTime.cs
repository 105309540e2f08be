namespace SmartDoorplate.Localization;

// Guiyang keeps China Standard Time, UTC+8 all year (no daylight saving): the offset of every day,
// month and clock time the app shows or reads from a person.
public static class ChinaTime
{
    public static readonly TimeSpan Offset = TimeSpan.FromHours(8);

    // The same rule for SQL that turns stored UTC times into Guiyang's days and clock times itself:
    // the zone for `at time zone`, and Offset as text to append to a to_char'd local time.
    public const string SqlTimeZone = "Asia/Shanghai";
    public const string OffsetText = "+08:00";
}
