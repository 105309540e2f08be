using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using SmartDoorplate.Analytics.Identity;
using SmartDoorplate.Registrations;
using SmartDoorplate.Web.Tests.Accounts;
using SmartDoorplate.Web.Tests.Infrastructure;

namespace SmartDoorplate.Web.Tests.Registrations;

// Everyone who must register can (any document), nobody is stranded (normalised input, a repeated
// registration, a lost receipt): through the real pipeline.
public sealed class TravelDocumentRegistrationTests(ScopeWorldFixture app) : IClassFixture<ScopeWorldFixture>
{
    private static string Day(int offset) => DateOnly.FromDateTime(DateTime.Today.AddDays(offset)).ToString("yyyy-MM-dd");

    // A made-up passport number of this test only.
    private static string NewPassport() => "P" + Random.Shared.NextInt64(10_000_000, 99_999_999);

    private static string NewIdNumber()
    {
        var born = new DateOnly(1960, 1, 1).AddDays(Random.Shared.Next(0, 14_000));
        var first17 = "522624" + born.ToString("yyyyMMdd") + Random.Shared.Next(100, 999);
        return first17 + ResidentIdNumber.ComputeCheckDigit(first17);
    }

    private static string NewPhone() => "139" + Random.Shared.Next(10_000_000, 99_999_999);

    private object Passport(string number, string phone, string? nationality = "usa", string? sex = "male", string? birthDate = "1988-04-02") => new
    {
        doorplateCode = app.World.PlateA, room = "101", name = "John Smith", idNumber = number, phone, moveInDate = Day(0), reason = "work",
        consent = true, documentType = "foreign_passport", nationality, sex, birthDate,
    };

    private object IdCard(string idNumber, string phone) => new
    {
        doorplateCode = app.World.PlateA, room = "101", name = "张三", idNumber, phone, moveInDate = Day(-1), reason = "work", consent = true,
    };

    [Fact]
    public async Task AForeignerWithAPassportRegistersAndReachesTheStationsQueueWithTheTwentyFourHourDeadline()
    {
        var passport = NewPassport();

        var response = await app.CreateClient().PostAsJsonAsync("/api/registrations", Passport(passport.ToLowerInvariant(), NewPhone()));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var stored = await app.WithDbAsync(db => db.Registrations.IgnoreQueryFilters().Include(r => r.Person).SingleAsync(r => r.Id == id));
        Assert.Equal(DocumentType.ForeignPassport, stored.Person!.DocumentType);
        Assert.Equal("USA", stored.Person.Nationality);
        Assert.Equal(new DateOnly(1988, 4, 2), stored.Person.BirthDate);
        Assert.Equal(SmartDoorplate.Registrations.Sex.Male, stored.Person.Sex);
        Assert.Equal(TenantRegistration.ForeignerReportDue(stored.MoveInDate), stored.PoliceReportDueAt);
        Assert.False(stored.Late);
        var rows = await app.WithDbAsync(db => db.Database.SqlQueryRaw<string>("select row_to_json(p)::text as \"Value\" from persons p").ToListAsync());
        Assert.DoesNotContain(rows, row => row.Contains(passport));

        var officer = await app.SignedInClientAsync("t.officer.a");
        var queue = await officer.GetFromJsonAsync<JsonElement>("/api/police/queue");
        var item = queue.GetProperty("items").EnumerateArray().Single(i => i.TryGetProperty("registrationId", out var r) && r.ValueKind == JsonValueKind.String && r.GetGuid() == id);
        Assert.Equal("foreigner_stay", item.GetProperty("type").GetString());
        Assert.Equal(stored.PoliceReportDueAt, item.GetProperty("dueBy").GetDateTimeOffset());
        Assert.Contains("24", item.GetProperty("title").GetString());
        var otherStation = await app.SignedInClientAsync("t.officer.b");
        var theirs = await otherStation.GetFromJsonAsync<JsonElement>("/api/police/queue");
        Assert.DoesNotContain(theirs.GetProperty("items").EnumerateArray(), i => i.GetProperty("type").GetString() == "foreigner_stay"
            && i.GetProperty("registrationId").GetGuid() == id);
    }

    [Fact]
    public async Task AForeignersRegistrationMoreThanTwentyFourHoursAfterTheMoveInDayIsLate()
    {
        var body = JsonSerializer.SerializeToNode(Passport(NewPassport(), NewPhone()))!.AsObject();
        body["moveInDate"] = Day(-2);

        var response = await app.CreateClient().PostAsJsonAsync("/api/registrations", body);

        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        Assert.True(await app.WithDbAsync(db => db.Registrations.IgnoreQueryFilters().Where(r => r.Id == id).Select(r => r.Late).SingleAsync()));
    }

    public static TheoryData<string, string, object> BadDocuments => new()
    {
        { "no nationality with a passport", "nationality", new { nationality = (string?)null } },
        { "an unknown nationality", "nationality", new { nationality = "XYZ" } },
        { "a passport number with a symbol", "idNumber", new { idNumber = "E123<456" } },
        { "a passport number of four characters", "idNumber", new { idNumber = "E123" } },
        { "no sex with a passport", "sex", new { sex = (string?)null } },
        { "no birth date with a passport", "birthDate", new { birthDate = (string?)null } },
        { "a birth date in the future", "birthDate", new { birthDate = "2999-01-01" } },
        { "an unknown document type", "documentType", new { documentType = "library_card" } },
        { "a Hong Kong permit without its letter", "idNumber", new { documentType = "hong_kong_macao_travel_permit", idNumber = "01234567" } },
    };

    [Theory]
    [MemberData(nameof(BadDocuments))]
    public async Task ABadDocumentIsRefusedFieldByField(string because, string field, object overrides)
    {
        var body = JsonSerializer.SerializeToNode(Passport(NewPassport(), NewPhone()))!.AsObject();
        foreach (var (key, value) in JsonSerializer.SerializeToNode(overrides)!.AsObject()) body[key] = value?.DeepClone();

        var response = await app.CreateClient().PostAsJsonAsync("/api/registrations", body);

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, because);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Contains(" / ", errors.GetProperty(field)[0].GetString());
    }

    [Fact]
    public async Task EachOtherDocumentTypeRegisters()
    {
        var seq = Random.Shared.Next(100, 999).ToString();
        string Gb(string first17) => first17 + ResidentIdNumber.ComputeCheckDigit(first17);
        var documents = new (string Type, string Number, string? Nationality)[]
        {
            ("residence_permit", Gb("81000019900101" + seq), null),
            ("hong_kong_macao_travel_permit", "M" + Random.Shared.Next(10_000_000, 99_999_999) + "01", null),
            ("taiwan_travel_permit", Random.Shared.Next(10_000_000, 99_999_999).ToString(), null),
            ("foreign_permanent_resident_id", Gb("91184019850315" + seq), "USA"),
            ("foreign_permanent_resident_id", "CAN1100850315" + seq[..2], "CAN"),
        };
        foreach (var (type, number, nationality) in documents)
        {
            var body = JsonSerializer.SerializeToNode(Passport(number, NewPhone(), nationality))!.AsObject();
            body["documentType"] = type;

            var response = await app.CreateClient().PostAsJsonAsync("/api/registrations", body);

            Assert.True(response.StatusCode == HttpStatusCode.Created, $"{type} {number}: {await response.Content.ReadAsStringAsync()}");
        }
    }

    [Fact]
    public async Task FullWidthDigitsFromAChineseInputMethodAreTheSameNumberAndPhone()
    {
        var idNumber = NewIdNumber();
        var phone = NewPhone();
        static string FullWidth(string s) => new(s.Select(c => c is >= '0' and <= '9' or >= 'A' and <= 'Z' ? (char)(c - '0' + '０') : c).ToArray());

        var first = await app.CreateClient().PostAsJsonAsync("/api/registrations", IdCard(FullWidth(idNumber), FullWidth(phone)));
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var again = await app.CreateClient().PostAsJsonAsync("/api/registrations", IdCard(idNumber, phone));

        // The same person and phone in ASCII: the first registration, not a second one.
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        var receipt = (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("receipt").GetString();
        Assert.Equal(receipt, (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("receipt").GetString());
    }

    [Fact]
    public async Task ASecondRegistrationInTheSameBuildingWithTheSamePhoneReturnsTheFirstAndWithAnotherPhoneTellsNothing()
    {
        var idNumber = NewIdNumber();
        var phone = NewPhone();
        var first = await (await app.CreateClient().PostAsJsonAsync("/api/registrations", IdCard(idNumber, phone))).Content.ReadFromJsonAsync<JsonElement>();
        var recoveredBefore = await app.WithDbAsync(db => db.AuditEvents.CountAsync(e => e.Action == "receipt_recovered"));

        var same = await app.CreateClient().PostAsJsonAsync("/api/registrations", IdCard(idNumber, phone));
        var otherPhone = await app.CreateClient().PostAsJsonAsync("/api/registrations", IdCard(idNumber, NewPhone()));

        Assert.Equal(HttpStatusCode.Conflict, same.StatusCode);
        Assert.Equal("application/problem+json", same.Content.Headers.ContentType?.MediaType);
        var problem = await same.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(first.GetProperty("receipt").GetString(), problem.GetProperty("receipt").GetString());
        Assert.Equal(first.GetProperty("id").GetGuid(), problem.GetProperty("id").GetGuid());
        Assert.Equal("submitted", problem.GetProperty("status").GetString());
        // Without the phone of the first, the answer is an ordinary new registration: the document
        // number alone must not tell anyone that its owner lives here.
        Assert.Equal(HttpStatusCode.Created, otherPhone.StatusCode);
        Assert.NotEqual(first.GetProperty("receipt").GetString(), (await otherPhone.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("receipt").GetString());
        Assert.Equal(recoveredBefore + 1, await app.WithDbAsync(db => db.AuditEvents.CountAsync(e => e.Action == "receipt_recovered")));
    }

    private Task<HttpResponseMessage> RecoverAsync(string idNumber, string phone, string? documentType = null, string? nationality = null) =>
        app.CreateClient().PostAsJsonAsync("/api/registrations/recover", new { doorplateCode = app.World.PlateA, documentType, idNumber, nationality, phone });

    private static async Task<(HttpStatusCode, string)> AnswerAsync(HttpResponseMessage response)
    {
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        body.Remove("traceId");
        return (response.StatusCode, body.ToJsonString());
    }

    [Fact]
    public async Task ALostReceiptIsRecoveredWithDocumentAndPhoneAndEveryMissAnswersAlike()
    {
        var passport = NewPassport();
        var phone = NewPhone();
        var created = await (await app.CreateClient().PostAsJsonAsync("/api/registrations", Passport(passport, phone))).Content.ReadFromJsonAsync<JsonElement>();

        var found = await RecoverAsync(passport, phone, "foreign_passport", "USA");
        var wrongPhone = await AnswerAsync(await RecoverAsync(passport, NewPhone(), "foreign_passport", "USA"));
        var unknownDocument = await AnswerAsync(await RecoverAsync(NewPassport(), NewPhone(), "foreign_passport", "USA"));

        Assert.Equal(HttpStatusCode.OK, found.StatusCode);
        Assert.Equal(created.GetProperty("receipt").GetString(), (await found.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("receipt").GetString());
        Assert.Equal(HttpStatusCode.NotFound, wrongPhone.Item1);
        Assert.Equal(wrongPhone, unknownDocument);
        var audit = await app.WithDbAsync(db => db.AuditEvents.Where(e => e.Action == "receipt_recovered").OrderByDescending(e => e.At).FirstAsync());
        Assert.Equal(await app.WithDbAsync(db => db.Registrations.IgnoreQueryFilters().Where(r => r.Id == created.GetProperty("id").GetGuid()).Select(r => r.PersonId.ToString()).SingleAsync()), audit.TargetId);
    }

    [Fact]
    public async Task AfterFiveMissesForADocumentNumberEvenTheRightPhoneWaitsAndTheBlockIsAudited()
    {
        var idNumber = NewIdNumber();
        var phone = NewPhone();
        Assert.Equal(HttpStatusCode.Created, (await app.CreateClient().PostAsJsonAsync("/api/registrations", IdCard(idNumber, phone))).StatusCode);

        for (var i = 0; i < 5; i++) Assert.Equal(HttpStatusCode.NotFound, (await RecoverAsync(idNumber, NewPhone())).StatusCode);
        var blocked = await RecoverAsync(idNumber, phone);

        Assert.Equal((HttpStatusCode)429, blocked.StatusCode);
        Assert.True(int.Parse(blocked.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture) is > 3000 and <= 3600);
        Assert.True(await app.WithDbAsync(db => db.AuditEvents.AnyAsync(e => e.Action == "receipt_recovery_blocked" && e.At > DateTimeOffset.UtcNow.AddMinutes(-5))));
        // An unknown document number is blocked exactly the same way.
        var unknown = NewIdNumber();
        for (var i = 0; i < 5; i++) await RecoverAsync(unknown, NewPhone());
        Assert.Equal((HttpStatusCode)429, (await RecoverAsync(unknown, phone)).StatusCode);
    }

    [Fact]
    public async Task TheRecoveryPageGivesTheSameAnswerToAWrongPhoneAndAnUnknownDocument()
    {
        var idNumber = NewIdNumber();
        var phone = NewPhone();
        await app.CreateClient().PostAsJsonAsync("/api/registrations", IdCard(idNumber, phone));

        async Task<(HttpStatusCode, string)> PageAsync(string id, string p)
        {
            var browser = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { HandleCookies = true, AllowAutoRedirect = false });
            var token = Occupancy.CookieSignIn.AntiForgeryToken(await browser.GetStringAsync($"/d/{app.World.PlateA}/recover"));
            var response = await browser.PostAsync($"/d/{app.World.PlateA}/recover", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["DocumentType"] = "resident_id", ["IdNumber"] = id, ["Phone"] = p, ["__RequestVerificationToken"] = token,
            }));
            var html = await response.Content.ReadAsStringAsync();
            return (response.StatusCode, System.Text.RegularExpressions.Regex.Match(html, "<h2 id=\"error-summary-title\">([^<]*)</h2>").Groups[1].Value);
        }

        var wrong = await PageAsync(idNumber, NewPhone());
        var unknown = await PageAsync(NewIdNumber(), NewPhone());
        var right = await PageAsync(idNumber, phone);

        Assert.Equal(HttpStatusCode.NotFound, wrong.Item1);
        Assert.Equal(wrong, unknown);
        Assert.Contains("未找到", wrong.Item2);
        Assert.Equal(HttpStatusCode.Redirect, right.Item1);
    }
}
