using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SmartDoorplate.Analytics.Geodesy;
using SmartDoorplate.Audit;
using SmartDoorplate.Web.Tests.Accounts;
using SmartDoorplate.Web.Tests.Import;
using SmartDoorplate.Web.Tests.Infrastructure;

namespace SmartDoorplate.Web.Tests.Policing;

// TestWorld: grid A (station A) covers 106.60–106.70 E, grid B (station B) 106.70–106.80 E, 26.55–26.70 N.
public sealed class CasesApiTests(ScopeWorldFixture app) : IClassFixture<ScopeWorldFixture>
{
    private Task<HttpClient> Officer(string user = "t.officer.a") => app.SignedInClientAsync(user);

    private static object NewCase(string number, double lon = 106.65, double lat = 26.62, string type = "burglary", string? crs = null) => new
    {
        caseNumber = number, type, occurredAt = "2026-05-01T21:30:00+08:00", lon, lat, crs, status = "open", summary = "测试",
    };

    private Task<long> CountCasesAsync() => app.WithDbAsync(db => db.Cases.LongCountAsync());

    private static async Task<JsonElement> ErrorsOf(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
    }

    [Fact]
    public async Task AnOfficerRecordsACaseInTheirGridAndReadsItBackWithItsVersion()
    {
        var officer = await Officer();

        var created = await officer.PostAsJsonAsync("/api/cases", NewCase("T-API-CREATE"));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("T-A-01", body.GetProperty("gridCode").GetString());
        Assert.Equal("入室盗窃", body.GetProperty("typeName").GetString());
        var id = body.GetProperty("id").GetInt64();
        Assert.Equal($"/api/cases/{id}", created.Headers.Location?.ToString());

        var read = await officer.GetAsync($"/api/cases/{id}");
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal($"\"{body.GetProperty("version").GetUInt32()}\"", read.Headers.ETag?.Tag);
        var audited = await app.WithDbAsync(db => db.AuditEvents.CountAsync(e => e.Action == AuditActions.CaseChange.Code && e.TargetId == id.ToString()));
        Assert.Equal(1, audited);
    }

    [Fact]
    public async Task EditingWithTheCurrentVersionSucceedsAStaleVersionIs409AndNoVersionIs428()
    {
        var officer = await Officer();
        var created = await (await officer.PostAsJsonAsync("/api/cases", NewCase("T-API-EDIT"))).Content.ReadFromJsonAsync<JsonElement>();
        var id = created.GetProperty("id").GetInt64();
        var version = created.GetProperty("version").GetUInt32();

        var withoutVersion = await officer.PutAsJsonAsync($"/api/cases/{id}", NewCase("T-API-EDIT", type: "theft"));
        Assert.Equal((HttpStatusCode)428, withoutVersion.StatusCode);

        var edit = new HttpRequestMessage(HttpMethod.Put, $"/api/cases/{id}") { Content = JsonContent.Create(NewCase("T-API-EDIT", type: "theft")) };
        edit.Headers.IfMatch.Add(new EntityTagHeaderValue($"\"{version}\""));
        var edited = await officer.SendAsync(edit);
        Assert.Equal(HttpStatusCode.OK, edited.StatusCode);
        var after = await edited.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("theft", after.GetProperty("type").GetString());
        Assert.NotEqual(version, after.GetProperty("version").GetUInt32());

        var stale = new HttpRequestMessage(HttpMethod.Put, $"/api/cases/{id}") { Content = JsonContent.Create(NewCase("T-API-EDIT", type: "fraud")) };
        stale.Headers.IfMatch.Add(new EntityTagHeaderValue($"\"{version}\""));
        var conflict = await officer.SendAsync(stale);
        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
        var stored = await app.WithDbAsync(db => db.Cases.Where(c => c.Id == id).Select(c => c.Type).SingleAsync());
        Assert.Equal(SmartDoorplate.Policing.Cases.CaseType.Theft, stored);
    }

    [Fact]
    public async Task ACaseOutsideTheOfficersJurisdictionIsRefusedWithALocationMessageAndTheirCasesAreInvisibleToOthers()
    {
        var officerB = await Officer("t.officer.b");
        var before = await CountCasesAsync();

        var outside = await officerB.PostAsJsonAsync("/api/cases", NewCase("T-API-OUTSIDE", lon: 106.65));

        Assert.Equal(HttpStatusCode.BadRequest, outside.StatusCode);
        Assert.Contains("辖区", (await ErrorsOf(outside)).GetProperty("location")[0].GetString());
        Assert.Equal(before, await CountCasesAsync());

        var officerA = await Officer();
        var mine = await (await officerA.PostAsJsonAsync("/api/cases", NewCase("T-API-MINE"))).Content.ReadFromJsonAsync<JsonElement>();
        var id = mine.GetProperty("id").GetInt64();
        Assert.Equal(HttpStatusCode.NotFound, (await officerB.GetAsync($"/api/cases/{id}")).StatusCode);
        var edit = new HttpRequestMessage(HttpMethod.Put, $"/api/cases/{id}") { Content = JsonContent.Create(NewCase("T-API-MINE", lon: 106.75)) };
        edit.Headers.IfMatch.Add(new EntityTagHeaderValue($"\"{mine.GetProperty("version").GetUInt32()}\""));
        Assert.Equal(HttpStatusCode.NotFound, (await officerB.SendAsync(edit)).StatusCode);
        var listB = await officerB.GetFromJsonAsync<JsonElement>("/api/cases?from=2026-05-01&to=2026-05-01");
        Assert.DoesNotContain(listB.EnumerateArray(), c => c.GetProperty("caseNumber").GetString() == "T-API-MINE");
        var listA = await officerA.GetFromJsonAsync<JsonElement>("/api/cases?from=2026-05-01&to=2026-05-01&types=burglary&grid=T-A-01");
        Assert.Contains(listA.EnumerateArray(), c => c.GetProperty("caseNumber").GetString() == "T-API-MINE");
    }

    [Fact]
    public async Task BadFieldsAreRefusedOneByOneInBothLanguagesAndNothingIsStored()
    {
        var officer = await Officer();
        var before = await CountCasesAsync();

        var response = await officer.PostAsJsonAsync("/api/cases", new
        {
            caseNumber = "", type = "tourism", occurredAt = "2026-05-01 21:30", lon = "east", lat = 91, crs = "bd09", status = "lost",
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = await ErrorsOf(response);
        foreach (var field in new[] { "caseNumber", "type", "occurredAt", "lon", "lat", "crs", "status" })
        {
            Assert.True(errors.TryGetProperty(field, out var messages), field);
            Assert.Contains(" / ", messages[0].GetString());
        }
        Assert.Equal(before, await CountCasesAsync());
    }

    [Fact]
    public async Task ADuplicateCaseNumberIsAConflict()
    {
        var officer = await Officer();
        Assert.Equal(HttpStatusCode.Created, (await officer.PostAsJsonAsync("/api/cases", NewCase("T-API-DUP"))).StatusCode);

        var again = await officer.PostAsJsonAsync("/api/cases", NewCase("T-API-DUP", type: "theft"));

        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("T-API-DUP", (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString());
    }

    [Fact]
    public async Task ChineseTypeNamesAndGcj02CoordinatesAreAcceptedAndConverted()
    {
        var officer = await Officer();

        var created = await (await officer.PostAsJsonAsync("/api/cases", NewCase("T-API-GCJ", type: "抢夺", crs: "gcj02"))).Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal("snatching", created.GetProperty("type").GetString());
        var expected = ChinaCoordinates.Gcj02ToWgs84(new GeoPoint(106.65, 26.62));
        Assert.Equal(expected.Longitude, created.GetProperty("lon").GetDouble(), 6);
        Assert.Equal(expected.Latitude, created.GetProperty("lat").GetDouble(), 6);
    }

    [Fact]
    public async Task CasesAreForPoliceAndAdminsOnly()
    {
        var landlord = await app.SignedInClientAsync("t.landlord.a");
        Assert.Equal(HttpStatusCode.Forbidden, (await landlord.PostAsJsonAsync("/api/cases", NewCase("T-API-LANDLORD"))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.CreateClient().GetAsync("/api/cases")).StatusCode);
    }

    private static MultipartFormDataContent Upload(string testFile, string? crs = null)
    {
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(File.ReadAllBytes(ImportDatabase.TestFile(testFile)));
        file.Headers.ContentType = new MediaTypeHeaderValue(testFile.EndsWith(".csv") ? "text/csv" : "application/geo+json");
        form.Add(file, "file", testFile);
        if (crs is not null) form.Add(new StringContent(crs), "crs");
        return form;
    }

    [Fact]
    public async Task AGoodCsvIsImportedWholeAndAudited()
    {
        var officer = await Officer();

        var response = await officer.PostAsync("/api/cases/import", Upload("cases-good.csv"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(3, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("imported").GetInt32());
        var numbers = await app.WithDbAsync(db => db.Cases.Where(c => c.CaseNumber.StartsWith("T-CSV-")).OrderBy(c => c.CaseNumber)
            .Select(c => c.CaseNumber + "|" + c.Grid!.Code).ToListAsync());
        Assert.Equal(["T-CSV-001|T-A-01", "T-CSV-002|T-A-01", "T-CSV-003|T-A-01"], numbers);
        var details = await app.WithDbAsync(db => db.AuditEvents.Where(e => e.Action == AuditActions.CaseChange.Code).Select(e => e.Details).ToListAsync());
        Assert.Contains(details.Select(d => JsonDocument.Parse(d!).RootElement),
            d => d.GetProperty("change").GetString() == "imported" && d.GetProperty("count").GetInt32() == 3 && d.GetProperty("file").GetString() == "cases-good.csv");
    }

    [Fact]
    public async Task ACsvWithBadRowsOnLines3And7ReportsBothLinesAndWritesNothing()
    {
        var officer = await Officer();
        var before = await CountCasesAsync();

        var response = await officer.PostAsync("/api/cases/import", Upload("cases-bad.csv"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = await ErrorsOf(response);
        Assert.Equal(["line 3", "line 7"], errors.EnumerateObject().Select(p => p.Name).Order());
        Assert.Contains("'type' is 'tourism'", errors.GetProperty("line 3")[0].GetString());
        Assert.Contains("'lat'", errors.GetProperty("line 7")[0].GetString());
        Assert.Equal(before, await CountCasesAsync());
    }

    [Fact]
    public async Task AnImportIntoAnotherJurisdictionNamesEveryLineOutsideAndWritesNothing()
    {
        var officerB = await Officer("t.officer.b");
        var before = await CountCasesAsync();

        var response = await officerB.PostAsync("/api/cases/import", Upload("cases-good.csv"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = await ErrorsOf(response);
        Assert.Equal(["line 2", "line 3", "line 4"], errors.EnumerateObject().Select(p => p.Name).Order());
        Assert.Contains(errors.GetProperty("line 2").EnumerateArray(), m => m.GetString()!.Contains("jurisdiction"));
        Assert.Equal(before, await CountCasesAsync());
    }

    [Fact]
    public async Task AGcj02CsvIsShiftedByAboutHalfAKilometreOnImport()
    {
        var officer = await Officer();

        var response = await officer.PostAsync("/api/cases/import", Upload("cases-gcj02.csv", crs: "gcj02"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var stored = await app.WithDbAsync(db => db.Cases.Where(c => c.CaseNumber == "T-GCJ-001").Select(c => new { c.Location.X, c.Location.Y }).SingleAsync());
        var expected = ChinaCoordinates.Gcj02ToWgs84(new GeoPoint(106.61, 26.62));
        Assert.Equal(expected.Longitude, stored.X, 9);
        Assert.Equal(expected.Latitude, stored.Y, 9);
        Assert.InRange(GreatCircle.DistanceMetres(new GeoPoint(106.61, 26.62), new GeoPoint(stored.X, stored.Y)), 300, 800);
    }

    [Fact]
    public async Task AGeoJsonFileIsImportedThroughTheApiWithChineseTypeNames()
    {
        var officer = await Officer();

        var response = await officer.PostAsync("/api/cases/import", Upload("cases-api.geojson"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var types = await app.WithDbAsync(db => db.Cases.Where(c => c.CaseNumber.StartsWith("T-GJ-")).OrderBy(c => c.CaseNumber)
            .Select(c => c.Type).ToListAsync());
        Assert.Equal([SmartDoorplate.Policing.Cases.CaseType.Robbery, SmartDoorplate.Policing.Cases.CaseType.Snatching], types);
    }

    [Fact]
    public async Task AnUploadThatIsNotCsvOrGeoJsonIsRefused()
    {
        var officer = await Officer();
        var form = new MultipartFormDataContent { { new ByteArrayContent("x"u8.ToArray()), "file", "cases.xlsx" } };

        var response = await officer.PostAsync("/api/cases/import", form);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await ErrorsOf(response)).TryGetProperty("file", out _));
    }
}
