namespace SmartDoorplate.Analytics.Statistics;

// An age band in completed years; MaxAge null is open-ended ("60+").
public sealed record AgeBand(string Key, int MinAge, int? MaxAge);

// The age bands of the residents' statistics: minors, then the working-age groups the police
// registration reports use, then 60 and over (retirement age in China).
public static class AgeBands
{
    public static readonly IReadOnlyList<AgeBand> Standard =
    [
        new("0-17", 0, 17),
        new("18-29", 18, 29),
        new("30-44", 30, 44),
        new("45-59", 45, 59),
        new("60+", 60, null),
    ];

    // A person is at least `age` completed years old on `today` exactly when they were born on or
    // before this date. It turns a band into a birth-date range, which a database compares without
    // computing anyone's age. DateOnly.AddYears maps 29 February to 28 February, so a person born
    // on 29 February comes of age on 1 March in common years (as ResidentIdNumber.AgeOn counts).
    public static DateOnly BornOnOrBefore(DateOnly today, int age) => today.AddYears(-age);

    // The index in Standard of the band holding this completed age.
    public static int IndexOfAge(int age)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(age);
        for (var i = Standard.Count - 1; i > 0; i--)
        {
            if (age >= Standard[i].MinAge) return i;
        }
        return 0;
    }
}
