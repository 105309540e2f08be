using SmartDoorplate.Analytics.Identity;
using SmartDoorplate.Localization;
using SmartDoorplate.Registrations;
using Sex = SmartDoorplate.Registrations.Sex;

namespace SmartDoorplate.Loading.Seed;

internal readonly record struct SyntheticPerson(string Name, Sex Sex, DateOnly BirthDate, string RegionCode, string IdNumber, string Phone);

internal sealed record PlannedRegistration(
    int Room,
    DateOnly MoveIn,
    DateOnly? MoveOut,
    RegistrationStatus Status,
    RegistrationChannel Channel,
    ResidenceReason Reason,
    string? Employer,
    bool Late,
    DateTimeOffset SubmittedAt,
    DateTimeOffset? ConfirmedAt,
    DateTimeOffset? VerifiedAt,
    DateTimeOffset? RejectedAt,
    string? RejectionReason,
    DateTimeOffset? EndedAt);

// A person's stays in the city: the current registration, and for some an earlier one that ended
// when they moved (superseded, as the lifecycle in docs/ARCHITECTURE.md ends it).
internal sealed record ResidencePlan(PlannedRegistration? Earlier, PlannedRegistration Current)
{
    public DateTimeOffset FirstSubmittedAt => Earlier?.SubmittedAt ?? Current.SubmittedAt;
}

// Residents of the synthetic city. Everything about person i is a function of (seed, i), so the
// person pass and the registration pass agree without keeping millions of plans in memory.
internal sealed class CitySeedPeople(int seed, CityLayout layout, DateTimeOffset now)
{
    public const int HistoryDays = 5 * 365 + 1;

    // Keep in step with the registration rule (docs/ARCHITECTURE.md: LateAfterDays, default 3).
    private const int LateAfterDays = 3;

    private static readonly WeightedChoice Origins = new(CitySeedVocabulary.OriginRegions.Select(r => r.Weight));
    private static readonly WeightedChoice Surnames = new(CitySeedVocabulary.Surnames.Select((_, rank) => 1.0 / Math.Pow(rank + 1, 0.9)));
    private static readonly char[] MobileSecondDigits = ['3', '5', '7', '8', '9'];

    private readonly DateOnly today = DateOnly.FromDateTime(now.ToOffset(ChinaTime.Offset).DateTime);

    public DateOnly Today => today;

    // attempt > 0 when the ID number of an earlier attempt was already taken: only the sequence
    // code changes, so sex, birth date and origin stay as they were.
    public SyntheticPerson Person(long index, int attempt)
    {
        var random = new SeedRandom(seed, SeedStream.Person, index);
        var sex = random.Chance(0.54) ? Sex.Male : Sex.Female;
        var u = random.NextDouble();
        var ageYears = u < 0.08 ? random.Uniform(0, 16)      // children who moved with their parents
            : u < 0.94 ? WorkingAge(ref random)
            : random.Uniform(60, 82);
        var birthDate = today.AddDays(-(int)(ageYears * 365.25) - 1);
        var region = CitySeedVocabulary.OriginRegions[Origins.Next(ref random)].Code;

        // The 17th digit is odd for men and even for women (GB 11643).
        var pair = (random.Next(0, 499) + attempt * 37) % 499 + 1;
        var sequence = sex == Sex.Male ? pair * 2 - 1 : pair * 2;
        Span<char> id = stackalloc char[ResidentIdNumber.Length];
        region.AsSpan().CopyTo(id);
        birthDate.TryFormat(id[6..], out _, "yyyyMMdd");
        sequence.TryFormat(id[14..], out _, "D3");
        id[17] = ResidentIdNumber.ComputeCheckDigit(id[..17]);

        var surname = CitySeedVocabulary.Surnames[Surnames.Next(ref random)];
        var given = sex == Sex.Male ? CitySeedVocabulary.MaleGivenCharacters : CitySeedVocabulary.FemaleGivenCharacters;
        var name = random.Chance(0.75) ? surname + random.Pick(given) + random.Pick(given) : surname + random.Pick(given);
        var phone = $"1{MobileSecondDigits[random.Next(MobileSecondDigits.Length)]}{random.Next(0, 1_000_000_000):D9}";
        return new SyntheticPerson(name, sex, birthDate, region, new string(id), phone);
    }

    // Drawn again rather than clamped: clamping would pile thousands onto one birth date, more than
    // the 500 sequence codes per sex that a region has for a day.
    private static double WorkingAge(ref SeedRandom random)
    {
        while (true)
        {
            var age = random.Normal(31, 9);
            if (age is >= 16 and < 60) return age;
        }
    }

    public ResidencePlan PlanResidence(long personIndex)
    {
        var random = new SeedRandom(seed, SeedStream.Resident, personIndex);
        var u = random.NextDouble();
        var (status, moveInDaysAgo) = u switch
        {
            < 0.50 => (RegistrationStatus.Verified, random.Next(0, HistoryDays)),
            < 0.72 => (RegistrationStatus.Confirmed, random.Next(0, 180)),
            < 0.89 => (RegistrationStatus.Ended, random.Next(30, HistoryDays)),
            < 0.96 => (RegistrationStatus.Submitted, random.Next(0, 21)),
            _ => (RegistrationStatus.Rejected, random.Next(1, 365)),
        };
        int? moveOutDaysAgo = status == RegistrationStatus.Ended ? random.Next(0, moveInDaysAgo - 29) : null;
        PlannedRegistration? earlier = null;
        if (moveInDaysAgo < HistoryDays - 150 && random.Chance(0.12))
        {
            var earlierMoveIn = random.Next(moveInDaysAgo + 120, HistoryDays);
            var earlierMoveOut = random.Next(moveInDaysAgo, earlierMoveIn - 29);
            earlier = Registration(ref random, RegistrationStatus.Ended, earlierMoveIn, earlierMoveOut);
        }
        return new ResidencePlan(earlier, Registration(ref random, status, moveInDaysAgo, moveOutDaysAgo));
    }

    private PlannedRegistration Registration(ref SeedRandom random, RegistrationStatus status, int moveInDaysAgo, int? moveOutDaysAgo)
    {
        var room = random.Next(layout.RoomCount);
        var c = random.NextDouble();
        var channel = c < 0.70 ? RegistrationChannel.Scan : c < 0.88 ? RegistrationChannel.Landlord : c < 0.95 ? RegistrationChannel.Api : RegistrationChannel.Import;
        // A landlord's entry starts confirmed, so it is never left submitted or rejected.
        if (channel == RegistrationChannel.Landlord && status is RegistrationStatus.Submitted or RegistrationStatus.Rejected)
            channel = RegistrationChannel.Scan;

        var delayDays = random.Chance(0.85) ? random.Next(0, LateAfterDays + 1) : random.Next(LateAfterDays + 1, 46);
        var submittedDaysAgo = Math.Max(0, moveInDaysAgo - delayDays);
        if (moveOutDaysAgo is { } outDays) submittedDaysAgo = Math.Max(submittedDaysAgo, outDays);
        var moveIn = today.AddDays(-moveInDaysAgo);
        var submittedAt = AtChinaTime(today.AddDays(-submittedDaysAgo), ref random);

        DateTimeOffset? confirmedAt = status is RegistrationStatus.Confirmed or RegistrationStatus.Verified or RegistrationStatus.Ended
            ? channel == RegistrationChannel.Landlord ? submittedAt : submittedAt + TimeSpan.FromHours(random.Uniform(0.5, 72))
            : null;
        DateTimeOffset? verifiedAt = status == RegistrationStatus.Verified || (status == RegistrationStatus.Ended && random.Chance(0.8))
            ? confirmedAt + TimeSpan.FromDays(random.Uniform(0.2, 20))
            : null;
        DateTimeOffset? endedAt = moveOutDaysAgo is { } daysAgo ? Min(AtChinaTime(today.AddDays(-daysAgo), ref random), now) : null;
        DateTimeOffset? rejectedAt = status == RegistrationStatus.Rejected ? submittedAt + TimeSpan.FromHours(random.Uniform(2, 48)) : null;

        // Nothing happens after now or after the stay ended: steps that would are not taken yet.
        var latest = endedAt ?? now;
        if (verifiedAt > latest)
        {
            verifiedAt = null;
            if (status == RegistrationStatus.Verified) status = RegistrationStatus.Confirmed;
        }
        if (confirmedAt > latest)
        {
            confirmedAt = null;
            if (status == RegistrationStatus.Confirmed) status = RegistrationStatus.Submitted;
        }
        if (rejectedAt > now) rejectedAt = now;

        var r = random.NextDouble();
        var reason = r < 0.55 ? ResidenceReason.Work : r < 0.70 ? ResidenceReason.Business : r < 0.80 ? ResidenceReason.Study : r < 0.95 ? ResidenceReason.Family : ResidenceReason.Other;
        var employer = reason switch
        {
            ResidenceReason.Work => $"贵阳{random.Pick(CitySeedVocabulary.PlaceMorphemes)}{random.Pick(CitySeedVocabulary.CompanyTrades)}有限公司",
            ResidenceReason.Business => "个体经营",
            _ => null,
        };

        return new PlannedRegistration(
            room, moveIn, moveOutDaysAgo is { } outAgo ? today.AddDays(-outAgo) : null, status, channel, reason, employer,
            Late: moveInDaysAgo - submittedDaysAgo > LateAfterDays,
            submittedAt, confirmedAt, verifiedAt, rejectedAt,
            rejectedAt is null ? null : random.Pick(CitySeedVocabulary.RejectionReasons),
            endedAt);
    }

    // A time between 08:00 and 22:00 Beijing time on that day, never after now.
    private DateTimeOffset AtChinaTime(DateOnly date, ref SeedRandom random)
    {
        var local = new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), ChinaTime.Offset) + TimeSpan.FromMinutes(random.Uniform(8 * 60, 22 * 60));
        return Min(local.ToUniversalTime(), now);
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}

// UUIDv7 layout (RFC 9562): 48-bit Unix milliseconds, a 12-bit counter, 62 random bits. The counter
// makes the ids of one run strictly increasing, so primary-key inserts only ever append to the index.
internal static class SequentialGuid
{
    public static Guid Create(long epochMilliseconds, long sequence, ulong randomBits)
    {
        var milliseconds = epochMilliseconds + (sequence >> 12);
        var counter = (int)(sequence & 0xFFF);
        Span<byte> bytes = stackalloc byte[16];
        for (var i = 0; i < 6; i++) bytes[i] = (byte)(milliseconds >> (8 * (5 - i)));
        bytes[6] = (byte)(0x70 | (counter >> 8));
        bytes[7] = (byte)counter;
        for (var i = 8; i < 16; i++) bytes[i] = (byte)(randomBits >> (8 * (15 - i)));
        bytes[8] = (byte)(0x80 | (bytes[8] & 0x3F));
        return new Guid(bytes, bigEndian: true);
    }
}
