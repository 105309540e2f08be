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

    // A stored instant as Guiyang's clock shows it, to the minute: what the console's tables print.
    public static string Minutes(DateTimeOffset at) =>
        at.ToOffset(Offset).ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture);
}
