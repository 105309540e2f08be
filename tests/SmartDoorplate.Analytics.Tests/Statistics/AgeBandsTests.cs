using SmartDoorplate.Analytics.Statistics;

namespace SmartDoorplate.Analytics.Tests.Statistics;

public class AgeBandsTests
{
    // Completed years counted the long way: the last birthday on or before the day, with a
    // 29 February birthday falling on 1 March in common years (the legal reading in China).
    private static int CompletedYears(DateOnly birth, DateOnly day)
    {
        var years = 0;
        while (true)
        {
            var next = Birthday(birth, birth.Year + years + 1);
            if (next > day) return years;
            years++;
        }
    }

    private static DateOnly Birthday(DateOnly birth, int year) =>
        birth is { Month: 2, Day: 29 } && !DateTime.IsLeapYear(year) ? new DateOnly(year, 3, 1) : new DateOnly(year, birth.Month, birth.Day);

    [Theory]
    [InlineData("2026-06-15")]
    [InlineData("2028-02-29")]
    [InlineData("2027-02-28")]
    [InlineData("2027-03-01")]
    [InlineData("2024-12-31")]
    public void BeingBornOnOrBeforeTheCutOffMeansHavingReachedTheAge(string todayText)
    {
        var today = DateOnly.Parse(todayText, System.Globalization.CultureInfo.InvariantCulture);
        foreach (var age in new[] { 18, 30, 45, 60 })
        {
            var cutOff = AgeBands.BornOnOrBefore(today, age);
            for (var birth = cutOff.AddDays(-400); birth <= cutOff.AddDays(400); birth = birth.AddDays(1))
            {
                Assert.True(birth <= cutOff == CompletedYears(birth, today) >= age, $"born {birth}, on {today}, age {age}");
            }
        }
    }

    [Fact]
    public void SomeoneWhoseEighteenthBirthdayIsTodayIsAnAdult()
    {
        var today = new DateOnly(2026, 12, 1);

        Assert.Equal(new DateOnly(2008, 12, 1), AgeBands.BornOnOrBefore(today, 18));
    }

    [Theory]
    [InlineData(0, "0-17")]
    [InlineData(17, "0-17")]
    [InlineData(18, "18-29")]
    [InlineData(29, "18-29")]
    [InlineData(30, "30-44")]
    [InlineData(44, "30-44")]
    [InlineData(45, "45-59")]
    [InlineData(59, "45-59")]
    [InlineData(60, "60+")]
    [InlineData(104, "60+")]
    public void EachAgeFallsInExactlyOneBand(int age, string band)
    {
        Assert.Equal(band, AgeBands.Standard[AgeBands.IndexOfAge(age)].Key);
        Assert.Single(AgeBands.Standard, b => age >= b.MinAge && (b.MaxAge is null || age <= b.MaxAge));
    }
}
