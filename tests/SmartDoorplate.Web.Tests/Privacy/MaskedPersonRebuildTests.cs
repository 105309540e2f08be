using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SmartDoorplate.Analytics.Privacy;
using SmartDoorplate.Web.Tests.Accounts;
using SmartDoorplate.Web.Tests.Infrastructure;
using SmartDoorplate.Web.Tests.Occupancy;

namespace SmartDoorplate.Web.Tests.Privacy;

// A tenant registers through the API; then every police, landlord and statistics answer that can
// mention them (JSON, CSV, XLSX, pages, tiles, the audit log) is read as a reader who wants their ID
// number and phone back would read it. Only the audited reveal may give them.
public sealed class MaskedPersonRebuildTests(ScopeWorldFixture app) : IClassFixture<ScopeWorldFixture>
{
    private const string Purpose = "核查出租屋住户";

    // Thousands of ID numbers and phones still agree with what was shown; the reveal leaves one.
    private const long Enough = 1000;

    [Fact]
    public async Task NoPoliceLandlordOrStatisticsAnswerLetsAReaderRebuildTheIdNumberOrPhoneButTheAuditedRevealDoes()
    {
        var building = await OccupancyData.NewBuildingAsync(app, "t.landlord.a", "T-A-01", ("101", 2));
        var idNumber = OccupancyData.NewIdNumber("522624");
        var phone = OccupancyData.NewPhone();
        var name = "隐" + string.Concat(Guid.NewGuid().ToByteArray()[..3].Select(b => "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳"[b % 16]));
        var submitted = await app.CreateClient().PostAsJsonAsync("/api/registrations", new
        {
            doorplateCode = building.PlateCode, room = "101", name, idNumber, phone,
            moveInDate = OccupancyData.Day(-10), reason = "work", employer = "改茶农贸市场", consent = true,
        });
        Assert.Equal(HttpStatusCode.Created, submitted.StatusCode);
        var registrationId = (await submitted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var personId = await app.WithDbAsync(db => db.Registrations.Where(r => r.Id == registrationId).Select(r => r.PersonId).SingleAsync());
        var entrance = await app.WithDbAsync(db => db.Buildings.Where(b => b.Id == building.Id).Select(b => b.Entrance).SingleAsync());
        var today = DateOnly.FromDateTime(DateTime.Now);
        var masked = Masking.MaskResidentId(idNumber);

        var officer = await app.SignedInClientAsync("t.officer.a");
        var chief = await app.SignedInClientAsync("t.chief.a");
        var landlord = await app.SignedInClientAsync("t.landlord.a");
        // The landlord confirms, as they would: a current resident shows in every list of the map.
        Assert.Equal(HttpStatusCode.OK, (await landlord.PostAsJsonAsync($"/api/registrations/{registrationId}/confirm", new { })).StatusCode);
        var landlordBrowser = await app.SignedInBrowserAsync("t.landlord.a");
        var officerBrowser = await app.SignedInBrowserAsync("t.officer.a");
        var watchList = await chief.PostAsync("/api/watch-list", new MultipartFormDataContent
        {
            { new StringContent($"id_number,reference,reason\n{idNumber},R-PRIV,在逃\n"), "file", "wanted.csv" },
        });
        Assert.Equal(HttpStatusCode.Created, watchList.StatusCode);
        var alerts = await officer.GetFromJsonAsync<JsonElement>("/api/watch-alerts");
        var alertId = alerts.GetProperty("alerts").EnumerateArray().Single(a => a.GetProperty("reference").GetString() == "R-PRIV").GetProperty("id").GetInt64();
        var (x, y) = Tile(entrance.X, entrance.Y, 16);

        // Answers that show the person (each must), then answers about registrations, counts or places that might.
        var aboutThePerson = new Dictionary<string, Func<Task<HttpResponseMessage>>>
        {
            ["police: search by name"] = () => officer.PostAsJsonAsync("/api/persons/search", new { q = name, purpose = Purpose }),
            ["police: search by ID number"] = () => officer.PostAsJsonAsync("/api/persons/search", new { q = idNumber, purpose = Purpose }),
            ["police: person record"] = () => officer.GetAsync($"/api/persons/{personId}?purpose={Uri.EscapeDataString(Purpose)}"),
            ["police: building's residents"] = () => officer.PostAsJsonAsync($"/api/map/buildings/{building.Id}/residents", new { purpose = Purpose }),
            ["police: area on the map"] = () => officer.PostAsJsonAsync("/api/map/area", new { center = new[] { entrance.X, entrance.Y }, radiusMetres = 50, purpose = Purpose }),
            ["police: watch alert"] = () => officer.GetAsync($"/api/watch-alerts/{alertId}"),
            ["chief: audit log"] = () => chief.GetAsync("/api/audit"),
            ["landlord: registrations"] = () => landlord.GetAsync("/api/landlord/registrations"),
            ["landlord: tenants.csv"] = () => landlord.GetAsync("/api/landlord/tenants.csv"),
            ["landlord: tenants.xlsx"] = () => landlord.GetAsync("/api/landlord/tenants.xlsx"),
            ["landlord: overview page"] = () => landlordBrowser.GetAsync("/landlord"),
            ["landlord: registration page"] = () => landlordBrowser.GetAsync($"/landlord/registrations/{registrationId}"),
        };
        var aboutPlaces = new Dictionary<string, Func<Task<HttpResponseMessage>>>
        {
            ["police: building"] = () => officer.GetAsync($"/api/map/buildings/{building.Id}"),
            ["police: registration"] = () => officer.GetAsync($"/api/registrations/{registrationId}"),
            ["landlord: registration"] = () => landlord.GetAsync($"/api/registrations/{registrationId}"),
            ["police: queue"] = () => officer.GetAsync("/api/police/queue"),
            ["police: watch alerts"] = () => officer.GetAsync("/api/watch-alerts"),
            ["statistics"] = () => officer.GetAsync("/api/statistics?grid=T-A-01"),
            ["statistics.csv"] = () => officer.GetAsync("/api/statistics.csv?grid=T-A-01"),
            ["statistics page"] = () => officerBrowser.GetAsync("/police/statistics?grid=T-A-01"),
            ["buildings tile"] = () => officer.GetAsync($"/api/map/tiles/buildings/16/{x}/{y}.mvt"),
            ["population tile"] = () => officer.GetAsync($"/api/map/tiles/population/16/{x}/{y}.mvt"),
            ["landlord: buildings"] = () => landlord.GetAsync("/api/landlord/buildings"),
            ["landlord: rooms page"] = () => landlordBrowser.GetAsync($"/landlord/buildings/{building.Id}/rooms"),
        };

        var texts = new Dictionary<string, string>();
        foreach (var (label, call) in aboutThePerson.Concat(aboutPlaces))
        {
            var response = await call();
            Assert.True(response.IsSuccessStatusCode, $"{label}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            texts[label] = await ReadAsync(response);
        }
        foreach (var label in aboutThePerson.Keys.Where(l => l != "chief: audit log"))
            Assert.True(texts[label].Contains(masked, StringComparison.Ordinal), $"{label} does not show the masked number");

        var leaks = texts
            .Select(t => (t.Key, Id: MaskRebuildAttacker.IdNumberCandidates(idNumber, [t.Value], today), Phone: MaskRebuildAttacker.PhoneCandidates(phone, [t.Value])))
            .Where(t => t.Id < Enough || t.Phone < Enough)
            .Select(t => $"{t.Key}: {t.Id} ID numbers, {t.Phone} phones")
            .ToList();
        Assert.Empty(leaks);
        // All of them together, as one reader with every role would see them.
        Assert.True(MaskRebuildAttacker.IdNumberCandidates(idNumber, texts.Values, today) >= Enough);
        Assert.True(MaskRebuildAttacker.PhoneCandidates(phone, texts.Values) >= 10_000);

        // The reveal does give them back, and leaves its trace.
        var reveal = await officer.PostAsJsonAsync($"/api/persons/{personId}/reveal", new { purpose = Purpose });
        var revealed = await reveal.Content.ReadAsStringAsync();
        Assert.Equal(1, MaskRebuildAttacker.IdNumberCandidates(idNumber, [revealed], today));
        Assert.Equal(1, MaskRebuildAttacker.PhoneCandidates(phone, [revealed]));
        Assert.True(await app.WithDbAsync(db => db.AuditEvents.AnyAsync(e => e.Action == "person_reveal" && e.TargetId == personId.ToString("D"))));
    }

    [Fact]
    public void TheReaderRebuildsTheNumberFromAMaskBesideTheBirthDateAndRegionAsThePersonSearchOnceShowedThem()
    {
        var idNumber = OccupancyData.NewIdNumber("522624");
        var today = DateOnly.FromDateTime(DateTime.Now);
        var birth = $"{idNumber[6..10]}-{idNumber[10..12]}-{idNumber[12..14]}";
        var old = $$"""{"idNumber":"{{Masking.MaskResidentId(idNumber)}}","birthDate":"{{birth}}","originRegionCode":"{{idNumber[..6]}}"}""";
        var withAgeBand = $$"""{"idNumber":"{{Masking.MaskResidentId(idNumber)}}","ageBand":"30-44","originPrefecture":"{{idNumber[..4]}}"}""";

        Assert.Equal(1, MaskRebuildAttacker.IdNumberCandidates(idNumber, [old], today));
        Assert.True(MaskRebuildAttacker.IdNumberCandidates(idNumber, [withAgeBand], today) >= Enough);
    }

    private static async Task<string> ReadAsync(HttpResponseMessage response)
    {
        var bytes = await response.Content.ReadAsByteArrayAsync();
        if (response.Content.Headers.ContentType?.MediaType == TenantExportXlsx)
        {
            // A workbook is a zip of XML parts: the reader reads every part.
            using var zip = new ZipArchive(new MemoryStream(bytes));
            var parts = new StringBuilder();
            foreach (var entry in zip.Entries)
            {
                using var reader = new StreamReader(entry.Open());
                parts.AppendLine(await reader.ReadToEndAsync());
            }
            return parts.ToString();
        }
        // Tiles are protobuf: their strings are UTF-8 inside.
        return Encoding.UTF8.GetString(bytes);
    }

    private const string TenantExportXlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    private static (int X, int Y) Tile(double lon, double lat, int z)
    {
        var n = 1 << z;
        var x = (int)Math.Floor((lon + 180) / 360 * n);
        var latRad = lat * Math.PI / 180;
        var y = (int)Math.Floor((1 - Math.Log(Math.Tan(latRad) + 1 / Math.Cos(latRad)) / Math.PI) / 2 * n);
        return (x, y);
    }
}
