using System.Globalization;
using System.Text.RegularExpressions;
using SmartDoorplate.Analytics.Identity;

namespace SmartDoorplate.Web.Tests.Privacy;

// A reader who wants a person's ID number and phone from what the app showed about them, and gets
// every benefit of the doubt: they know the person's birth year anyway, and anything in the texts
// that agrees with the true number counts as learnt (a masked number's visible digits, the six-digit
// region code, the birth date in any usual writing, an exact age). What is left is the number of ID
// numbers and phones that agree with all of it; one means the mask was undone.
public static partial class MaskRebuildAttacker
{
    [GeneratedRegex(@"[0-9Xx*]{18}")]
    private static partial Regex IdLike();

    [GeneratedRegex(@"(?<![0-9])\+?[0-9*]{11}(?![0-9*])")]
    private static partial Regex PhoneLike();

    [GeneratedRegex(@"""age""\s*:\s*(\d+)", RegexOptions.IgnoreCase)]
    private static partial Regex ExactAge();

    public static long IdNumberCandidates(string idNumber, IEnumerable<string> texts, DateOnly today)
    {
        var truth = idNumber.ToUpperInvariant();
        var all = string.Join("\n", texts);
        var known = new char?[18];
        foreach (Match m in IdLike().Matches(all))
        {
            var seen = m.Value.ToUpperInvariant();
            if (!Enumerable.Range(0, 18).All(i => seen[i] == '*' || seen[i] == truth[i])) continue;
            for (var i = 0; i < 18; i++) if (seen[i] != '*') known[i] = seen[i];
        }
        var region = truth[..6];
        if (Regex.IsMatch(all, $"(?<![0-9]){region}(?![0-9])"))
            for (var i = 0; i < 6; i++) known[i] = region[i];
        var birth = DateOnly.ParseExact(truth.Substring(6, 8), "yyyyMMdd", CultureInfo.InvariantCulture);
        var dateWritings = new[] { "yyyy-MM-dd", "yyyyMMdd", "yyyy/MM/dd", "yyyy/M/d", "yyyy-M-d", "yyyy.MM.dd" }
            .Select(f => birth.ToString(f, CultureInfo.InvariantCulture))
            .Append($"{birth.Year}年{birth.Month}月{birth.Day}日").Append($"{birth.Year}年{birth.Month:00}月{birth.Day:00}日");
        var birthDateShown = dateWritings.Any(w => Regex.IsMatch(all, $"(?<![0-9]){Regex.Escape(w)}(?![0-9])"));
        var age = ResidentIdNumber.Validate(truth, today).Number!.AgeOn(today);
        var ageShown = ExactAge().Matches(all).Any(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) == age);

        // The birth year is given; the date within it is what the texts must narrow down.
        var dates = Enumerable.Range(0, DateTime.IsLeapYear(birth.Year) ? 366 : 365)
            .Select(d => new DateOnly(birth.Year, 1, 1).AddDays(d))
            .Where(d => !birthDateShown || d == birth)
            .Where(d => !ageShown || AgeOn(d, today) == age)
            .Select(d => d.ToString("yyyyMMdd", CultureInfo.InvariantCulture))
            .Where(d => Enumerable.Range(0, 8).All(i => known[6 + i] is not { } k || k == d[i]))
            .ToList();
        var regions = Digits(known, 0, 6);
        var sequences = Digits(known, 14, 3);
        if ((long)regions.Count * dates.Count * sequences.Count > 20_000_000)
            return (long)regions.Count * dates.Count * sequences.Count / 11;

        long count = 0;
        foreach (var r in regions)
            foreach (var d in dates)
                foreach (var s in sequences)
                {
                    var first17 = r + d + s;
                    if (known[17] is not { } check || ResidentIdNumber.ComputeCheckDigit(first17) == check) count++;
                }
        return count;
    }

    public static long PhoneCandidates(string phone, IEnumerable<string> texts)
    {
        var all = string.Join("\n", texts);
        var known = new bool[11];
        foreach (Match m in PhoneLike().Matches(all))
        {
            var seen = m.Value.TrimStart('+');
            if (seen.Length != 11 || !Enumerable.Range(0, 11).All(i => seen[i] == '*' || seen[i] == phone[i])) continue;
            for (var i = 0; i < 11; i++) if (seen[i] != '*') known[i] = true;
        }
        return (long)Math.Pow(10, known.Count(k => !k));
    }

    private static int AgeOn(DateOnly birth, DateOnly today) =>
        today.Year - birth.Year - ((today.Month, today.Day).CompareTo((birth.Month, birth.Day)) < 0 ? 1 : 0);

    // Every string of `length` digits that agrees with the known characters from `start`.
    private static List<string> Digits(char?[] known, int start, int length)
    {
        var results = new List<string> { "" };
        for (var i = start; i < start + length; i++)
        {
            var position = i;
            results = [.. results.SelectMany(prefix => known[position] is { } k ? [prefix + k] : Enumerable.Range(0, 10).Select(d => prefix + (char)('0' + d)))];
        }
        return results;
    }
}
