using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using SmartDoorplate.Policing.WatchList;
using SmartDoorplate.Privacy;
using SmartDoorplate.Registrations;
using SmartDoorplate.Web.Tests.Accounts;
using SmartDoorplate.Web.Tests.Infrastructure;
using static SmartDoorplate.Web.Tests.Occupancy.OccupancyData;

namespace SmartDoorplate.Web.Tests.Policing;

// The watch list. Station A has two officers (t.officer.a, t.chief.a), so the
// four-eyes rule can be tested inside one station; t.officer.b is the other station.
public sealed class WatchListTests(ScopeWorldFixture app) : IClassFixture<ScopeWorldFixture>
{
    private static MultipartFormDataContent ListFile(string text, string fileName = "wanted.csv") =>
        new() { { new ByteArrayContent(Encoding.UTF8.GetBytes(text)) { Headers = { ContentType = new MediaTypeHeaderValue("text/csv") } }, "file", fileName } };

    private async Task<JsonElement> UploadAsync(string text, string user = "t.chief.a")
    {
        var client = await app.SignedInClientAsync(user);
        var response = await client.PostAsync("/api/watch-list", ListFile(text));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private object TenantBody(string plate, string idNumber) => new
    {
        doorplateCode = plate, room = "101", name = "赵四", idNumber, phone = NewPhone(), moveInDate = Day(-1), reason = "work", consent = true,
    };

    private async Task<Guid> SubmitAsync(string plate, string idNumber, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/registrations") { Content = JsonContent.Create(TenantBody(plate, idNumber)) };
        if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
        var response = await app.CreateClient().SendAsync(request);
        Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, $"registration answered {response.StatusCode}");
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    private Task<List<WatchAlert>> AlertsOfAsync(Guid registrationId) =>
        app.WithDbAsync(db => db.WatchAlerts.IgnoreQueryFilters().AsNoTracking().Where(a => a.RegistrationId == registrationId).ToListAsync());

    private static async Task<List<JsonElement>> OpenAlertsAsync(HttpClient client)
    {
        var body = await client.GetFromJsonAsync<JsonElement>("/api/watch-alerts");
        return [.. body.GetProperty("alerts").EnumerateArray()];
    }

    private async Task<long> RaisedAlertAsync()
    {
        var building = await NewBuildingAsync(app, rooms: ("101", 2));
        var idNumber = NewIdNumber("130102");
        await UploadAsync($"id_number,reference,reason\n{idNumber},A-2026-{Random.Shared.Next(1000, 9999)},在逃\n");
        var registration = await SubmitAsync(building.PlateCode, idNumber);
        return (await AlertsOfAsync(registration)).Single().Id;
    }

    [Theory]
    [InlineData("t.officer.a")]
    [InlineData("t.landlord.a")]
    public async Task OnlyAStationChiefADistrictOfficerOrAnAdminMayUploadAWatchList(string user)
    {
        var client = await app.SignedInClientAsync(user);
        var idNumber = NewIdNumber();

        var refused = await client.PostAsync("/api/watch-list", ListFile(idNumber + "\n"));
        var anonymous = await app.CreateClient().PostAsync("/api/watch-list", ListFile(idNumber + "\n"));
        var admin = await (await app.SignedInClientAsync("t.admin")).PostAsync("/api/watch-list", ListFile(NewIdNumber() + "\n"));

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Created, admin.StatusCode);
        var index = await IndexOfAsync(idNumber);
        Assert.False(await app.WithDbAsync(db => db.WatchEntries.AnyAsync(e => e.IdNumberIndex == index)));
    }

    [Fact]
    public async Task AListWithBadLinesAnswers400NamingEveryBadLineAndStoresNothing()
    {
        var good = NewIdNumber();
        var wrongCheck = NewIdNumber();
        wrongCheck = wrongCheck[..17] + (wrongCheck[17] == '1' ? '2' : '1');
        var text = $"id_number,reference,reason\n{good},R-1,在逃\n{wrongCheck},R-2,在逃\n\n12345,R-3,x\n{NewIdNumber()},\"unclosed\n";
        var chief = await app.SignedInClientAsync("t.chief.a");
        var before = await app.WithDbAsync(db => db.WatchEntries.CountAsync());

        var response = await chief.PostAsync("/api/watch-list", ListFile(text));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal([3, 5, 6], problem.GetProperty("lines").EnumerateArray().Select(l => l.GetInt32()).ToArray());
        var messages = problem.GetProperty("errors").GetProperty("file").EnumerateArray().Select(m => m.GetString()!).ToList();
        Assert.Equal(3, messages.Count);
        Assert.StartsWith("第 3 行：身份证号码校验位不对", messages[0]);
        Assert.Contains("Line 3: The check digit does not match", messages[0]);
        Assert.StartsWith("第 5 行：身份证号码应为 18 位", messages[1]);
        Assert.StartsWith("第 6 行：引号不成对", messages[2]);
        Assert.DoesNotContain(messages, m => m.Contains(wrongCheck));
        Assert.Equal(before, await app.WithDbAsync(db => db.WatchEntries.CountAsync()));
    }

    [Fact]
    public async Task ARegistrationWhoseIdNumberIsListedRaisesExactlyOneAlertForTheStationOfItsBuilding()
    {
        var building = await NewBuildingAsync(app, rooms: ("101", 2));
        var idNumber = NewIdNumber("130102");
        await UploadAsync($"{idNumber},B-2026-0001,网上追逃\n");
        var key = "watch-" + Guid.NewGuid().ToString("N");

        var first = await SubmitAsync(building.PlateCode, idNumber, key);
        var repeated = await SubmitAsync(building.PlateCode, idNumber, key);

        Assert.Equal(first, repeated);
        var alert = Assert.Single(await AlertsOfAsync(first));
        Assert.Equal(app.World.StationA, alert.StationId);
        Assert.Equal(building.Id, alert.BuildingId);
        Assert.Equal(WatchAlertStatus.Raised, alert.Status);
        var officerA = await app.SignedInClientAsync("t.officer.a");
        var shown = Assert.Single(await OpenAlertsAsync(officerA), a => a.GetProperty("id").GetInt64() == alert.Id);
        Assert.Equal(building.Code, shown.GetProperty("buildingCode").GetString());
        Assert.Equal("B-2026-0001", shown.GetProperty("reference").GetString());
        Assert.InRange(shown.GetProperty("lon").GetDouble(), 106.60, 106.72);
        Assert.InRange(shown.GetProperty("lat").GetDouble(), 26.55, 26.72);
        Assert.Equal("101", shown.GetProperty("room").GetString());
        Assert.True(await app.WithDbAsync(db => db.AuditEvents.AnyAsync(e => e.Action == "watch_alert_raised" && e.TargetId == alert.Id.ToString())));
    }

    [Fact]
    public async Task AnOfficerOfAnotherStationNeitherSeesNorTouchesTheAlert()
    {
        var alertId = await RaisedAlertAsync();
        var officerB = await app.SignedInClientAsync("t.officer.b");

        var list = await OpenAlertsAsync(officerB);
        var detail = await officerB.GetAsync($"/api/watch-alerts/{alertId}");
        var propose = await officerB.PostAsJsonAsync($"/api/watch-alerts/{alertId}/propose", new { decision = "dismiss", note = "不是本人，排除" });
        var landlord = await (await app.SignedInClientAsync("t.landlord.a")).GetAsync("/api/watch-alerts");

        Assert.DoesNotContain(list, a => a.GetProperty("id").GetInt64() == alertId);
        Assert.Equal(HttpStatusCode.NotFound, detail.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, propose.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, landlord.StatusCode);
        Assert.Equal(WatchAlertStatus.Raised, await app.WithDbAsync(db => db.WatchAlerts.IgnoreQueryFilters().Where(a => a.Id == alertId).Select(a => a.Status).SingleAsync()));
    }

    [Fact]
    public async Task AListUploadedAfterTheRegistrationRaisesOneAlertAndUploadingItAgainRaisesNoMore()
    {
        var building = await NewBuildingAsync(app, owner: "t.landlord.b", gridCode: "T-B-01", rooms: ("101", 2));
        var open = await NewRegistrationAsync(app, building.Id, building.Rooms["101"], RegistrationStatus.Confirmed, region: "140105");
        var movedOut = await NewRegistrationAsync(app, building.Id, building.Rooms["101"], RegistrationStatus.Ended, region: "140105");
        var list = $"{open.IdNumber}\n{movedOut.IdNumber}\n{open.IdNumber}\n";

        var first = await UploadAsync(list);
        var again = await UploadAsync(list, user: "t.admin");

        Assert.Equal(2, first.GetProperty("lines").GetInt32());
        Assert.Equal(2, first.GetProperty("added").GetInt32());
        Assert.Equal(1, first.GetProperty("alertsRaised").GetInt32());
        Assert.Equal(0, again.GetProperty("added").GetInt32());
        Assert.Equal(2, again.GetProperty("alreadyListed").GetInt32());
        Assert.Equal(0, again.GetProperty("alertsRaised").GetInt32());
        var alert = Assert.Single(await AlertsOfAsync(open.Id));
        Assert.Equal(app.World.StationB, alert.StationId);
        Assert.Empty(await AlertsOfAsync(movedOut.Id));
        var index = await IndexOfAsync(open.IdNumber);
        Assert.Equal(1, await app.WithDbAsync(db => db.WatchEntries.CountAsync(e => e.IdNumberIndex == index)));
        var upload = first.GetProperty("uploadId").GetGuid().ToString("D");
        Assert.True(await app.WithDbAsync(db => db.AuditEvents.AnyAsync(e => e.Action == "watch_list_upload" && e.TargetId == upload)));
    }

    [Fact]
    public async Task ALandlordsEntryForATenantOnTheListRaisesTheAlertToo()
    {
        var building = await NewBuildingAsync(app, rooms: ("101", 2));
        var idNumber = NewIdNumber("150102");
        await UploadAsync(idNumber + "\n");
        var landlord = await app.SignedInClientAsync("t.landlord.a");

        var response = await landlord.PostAsJsonAsync("/api/landlord/registrations", new
        {
            buildingId = building.Id, room = "101", name = "钱五", idNumber, phone = NewPhone(), moveInDate = Day(-2), reason = "family", consent = true,
        });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        Assert.Equal(app.World.StationA, Assert.Single(await AlertsOfAsync(id)).StationId);
    }

    [Fact]
    public async Task AnEntryIsRemovedOnlyByWhoeverListedItAndThenRaisesNoAlert()
    {
        var building = await NewBuildingAsync(app, rooms: ("101", 2));
        var idNumber = NewIdNumber("210102");
        var upload = await UploadAsync(idNumber + ",C-1\n");
        var chief = await app.SignedInClientAsync("t.chief.a");
        var entries = await chief.GetFromJsonAsync<JsonElement>($"/api/watch-list?upload={upload.GetProperty("uploadId").GetGuid()}");
        var entryId = Assert.Single(entries.EnumerateArray()).GetProperty("id").GetInt64();

        var notTheirs = await (await app.SignedInClientAsync("t.admin")).PostAsync("/api/watch-list", ListFile(NewIdNumber() + "\n"));
        var adminsEntry = (await chief.GetFromJsonAsync<JsonElement>($"/api/watch-list?upload={(await notTheirs.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("uploadId").GetGuid()}"))
            .EnumerateArray().Single().GetProperty("id").GetInt64();

        var refused = await chief.DeleteAsync($"/api/watch-list/{adminsEntry}");
        var removed = await chief.DeleteAsync($"/api/watch-list/{entryId}");
        var removedTwice = await chief.DeleteAsync($"/api/watch-list/{entryId}");
        var registration = await SubmitAsync(building.PlateCode, idNumber);

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, removedTwice.StatusCode);
        Assert.Empty(await AlertsOfAsync(registration));
        Assert.True(await app.WithDbAsync(db => db.AuditEvents.AnyAsync(e => e.Action == "watch_list_remove" && e.TargetId == entryId.ToString())));
    }

    [Fact]
    public async Task AnAlertIsDecidedByASecondOfficerNeverByTheOneWhoProposedIt()
    {
        var alertId = await RaisedAlertAsync();
        var officer = await app.SignedInClientAsync("t.officer.a");
        var chief = await app.SignedInClientAsync("t.chief.a");

        var proposed = await officer.PostAsJsonAsync($"/api/watch-alerts/{alertId}/propose", new { decision = "confirm", note = "入户核实，系本人" });
        var version = (await proposed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("version").GetUInt32();
        var ownDecision = await officer.PostAsJsonAsync($"/api/watch-alerts/{alertId}/decide", new { approve = true, note = "同意确认", version });
        var stale = await chief.PostAsJsonAsync($"/api/watch-alerts/{alertId}/decide", new { approve = true, note = "同意确认", version = version + 1 });
        var secondOfficer = await chief.PostAsJsonAsync($"/api/watch-alerts/{alertId}/decide", new { approve = true, note = "同意确认，移交刑侦", version });
        var decidedAgain = await chief.PostAsJsonAsync($"/api/watch-alerts/{alertId}/decide", new { approve = false, note = "再次审核" });

        Assert.Equal(HttpStatusCode.OK, proposed.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, ownDecision.StatusCode);
        Assert.Contains("双人复核", (await ownDecision.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString());
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.Equal(HttpStatusCode.OK, secondOfficer.StatusCode);
        var decided = await secondOfficer.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("confirmed", decided.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.Conflict, decidedAgain.StatusCode);
        var stored = await app.WithDbAsync(db => db.WatchAlerts.IgnoreQueryFilters().AsNoTracking().SingleAsync(a => a.Id == alertId));
        var ids = await app.WithDbAsync(db => db.Users.Where(u => u.UserName == "t.officer.a" || u.UserName == "t.chief.a").ToDictionaryAsync(u => u.UserName, u => u.Id));
        Assert.Equal(ids["t.officer.a"], stored.ProposedById);
        Assert.Equal(ids["t.chief.a"], stored.DecidedById);
        var audit = await app.WithDbAsync(db => db.AuditEvents.AsNoTracking()
            .Where(e => e.TargetType == "watch_alert" && e.TargetId == alertId.ToString()).OrderBy(e => e.Id).ToListAsync());
        Assert.Equal(["watch_alert_raised", "watch_alert_proposed", "watch_alert_decided"], audit.Select(e => e.Action).ToArray());
        Assert.Equal(ids["t.officer.a"], audit[1].ActorUserId);
        Assert.Equal(ids["t.chief.a"], audit[2].ActorUserId);
        Assert.Contains("入户核实", audit[1].Details);
    }

    [Fact]
    public async Task ASecondOfficerWhoDisagreesSendsTheAlertBackForANewProposal()
    {
        var alertId = await RaisedAlertAsync();
        var officer = await app.SignedInClientAsync("t.officer.a");
        var chief = await app.SignedInClientAsync("t.chief.a");
        await officer.PostAsJsonAsync($"/api/watch-alerts/{alertId}/propose", new { decision = "dismiss", note = "同名不同人" });

        var proposedTwice = await chief.PostAsJsonAsync($"/api/watch-alerts/{alertId}/propose", new { decision = "confirm", note = "应为本人" });
        var rejected = await chief.PostAsJsonAsync($"/api/watch-alerts/{alertId}/decide", new { approve = false, note = "证件号一致，不能排除" });
        var badRequest = await chief.PostAsJsonAsync($"/api/watch-alerts/{alertId}/propose", new { decision = "maybe", note = "" });

        Assert.Equal(HttpStatusCode.Conflict, proposedTwice.StatusCode);
        Assert.Equal("raised", (await rejected.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, badRequest.StatusCode);
        var errors = (await badRequest.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("decision", out _));
        Assert.True(errors.TryGetProperty("note", out _));
    }

    [Fact]
    public async Task ViewingTheAlertsPersonShowsMaskedValuesAndIsAuditedAsAPersonView()
    {
        var alertId = await RaisedAlertAsync();
        var alert = await app.WithDbAsync(db => db.WatchAlerts.IgnoreQueryFilters().AsNoTracking().SingleAsync(a => a.Id == alertId));
        var officer = await app.SignedInClientAsync("t.officer.a");

        var response = await officer.GetAsync($"/api/watch-alerts/{alertId}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotNull(response.Headers.ETag);
        var person = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("person");
        Assert.Equal("赵*", person.GetProperty("name").GetString());
        Assert.Matches(@"^1301\*{10}[0-9X]{4}$", person.GetProperty("idNumber").GetString());
        Assert.True(await app.WithDbAsync(db => db.AuditEvents.AnyAsync(e =>
            e.Action == "person_view" && e.TargetType == "person" && e.TargetId == alert.PersonId.ToString("D"))));
    }

    [Fact]
    public async Task TheListKeepsOnlyTheBlindIndexNeverTheClearNumberOrItsCipher()
    {
        var idNumber = NewIdNumber("320102");
        var upload = await UploadAsync($"id_number,reference\n{idNumber},D-1\n");

        var rows = await app.WithDbAsync(db => db.Database
            .SqlQueryRaw<string>("select row_to_json(e)::text as \"Value\" from watch_entries e where upload_id = {0}", upload.GetProperty("uploadId").GetGuid())
            .ToListAsync());
        var audit = await app.WithDbAsync(db => db.AuditEvents.Where(e => e.Action == "watch_list_upload" && e.Details != null).Select(e => e.Details!).ToListAsync());
        var columns = await app.WithDbAsync(db => db.Database
            .SqlQueryRaw<string>("select column_name::text as \"Value\" from information_schema.columns where table_name = 'watch_entries'").ToListAsync());

        var row = Assert.Single(rows);
        Assert.DoesNotContain(idNumber, row);
        Assert.DoesNotContain(idNumber[6..14], row);
        Assert.NotEmpty(audit);
        Assert.DoesNotContain(audit, d => d.Contains(idNumber));
        Assert.DoesNotContain(columns, c => c.Contains("cipher") || c == "id_number");
        var index = await IndexOfAsync(idNumber);
        Assert.True(await app.WithDbAsync(db => db.WatchEntries.AnyAsync(e => e.IdNumberIndex == index && e.Reference == "D-1")));
    }

    [Fact]
    public async Task ImportedResidentsOnTheListRaiseTheirAlertsToo()
    {
        var building = await NewBuildingAsync(app, rooms: ("101", 2));
        var idNumber = NewIdNumber("340102");
        await UploadAsync(idNumber + "\n");
        var file = Path.Combine(Path.GetTempPath(), $"residents-{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(file, "buildingCode,room,name,idNumber,phone,moveInDate,moveOutDate,reason,employer,status\n"
            + $"{building.Code},101,周七,{idNumber},{NewPhone()},{Day(-30)},,work,,confirmed\n");
        try
        {
            await using var scope = app.Services.CreateAsyncScope();
            await using var connection = await scope.ServiceProvider.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();
            await using var transaction = await connection.BeginTransactionAsync();
            var result = await ResidentsCsv.ImportAsync(connection, scope.ServiceProvider.GetRequiredService<PersonalDataProtector>(),
                file, TimeProvider.System, null, CancellationToken.None);
            await transaction.CommitAsync();
            Assert.True(result.Succeeded, string.Join("; ", result.Problems));
        }
        finally
        {
            File.Delete(file);
        }

        var index = await IndexOfAsync(idNumber);
        var registration = await app.WithDbAsync(db => db.Registrations.Where(r => r.Person!.IdNumberIndex == index).Select(r => r.Id).SingleAsync());
        Assert.Equal(app.World.StationA, Assert.Single(await AlertsOfAsync(registration)).StationId);
    }

    // The race the matching lock is for: an upload has stored and matched its entries but not yet
    // committed when a listed person registers. Without the lock the registration cannot see the
    // uncommitted entry and the upload could not see the registration: no alert at all. With it the
    // registration waits for the upload's commit and then matches.
    [Fact]
    public async Task ARegistrationDuringAnUnfinishedUploadWaitsForItAndRaisesTheAlert()
    {
        var building = await NewBuildingAsync(app, rooms: ("101", 2));
        var idNumber = NewIdNumber("350102");
        var officerId = await app.WithDbAsync(db => db.Users.Where(u => u.UserName == "t.chief.a").Select(u => u.Id).SingleAsync());
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SmartDoorplate.Data.SmartDoorplateDb>();
        var uploadId = Guid.CreateVersion7();
        // Warm: the registration under test must be quick enough to finish in the wait below, were it not held.
        await SubmitAsync(building.PlateCode, NewIdNumber("350102"));

        Task<Guid> registration;
        await using (var upload = await db.Database.BeginTransactionAsync())
        {
            await WatchListMatching.LockForUploadAsync(db, CancellationToken.None);
            db.WatchEntries.Add(new WatchEntry { IdNumberIndex = await IndexOfAsync(idNumber), UploadId = uploadId, AddedById = officerId, AddedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync();
            Assert.Empty(await WatchListMatching.RaiseForUploadAsync(db, uploadId, DateTimeOffset.UtcNow, CancellationToken.None));

            registration = SubmitAsync(building.PlateCode, idNumber);
            await Task.WhenAny(registration, Task.Delay(TimeSpan.FromSeconds(5)));
            Assert.False(registration.IsCompleted, "the registration did not wait for the upload in progress");
            await upload.CommitAsync();
        }

        Assert.Single(await AlertsOfAsync(await registration));
    }

    // The registration hot path pays one statement; it must stay index look-ups at city scale.
    [Fact]
    public async Task MatchingANewRegistrationUsesIndexesOnly()
    {
        await using var connection = await app.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();
        await using (var off = new NpgsqlCommand("set enable_seqscan = off", connection)) await off.ExecuteNonQueryAsync();
        await using var explain = new NpgsqlCommand("explain " + WatchListSql.AlertsForRegistration, connection);
        explain.Parameters.Add(new NpgsqlParameter("now", NpgsqlTypes.NpgsqlDbType.TimestampTz) { Value = DateTimeOffset.UtcNow });
        explain.Parameters.Add(new NpgsqlParameter("raised", NpgsqlTypes.NpgsqlDbType.Varchar) { Value = "raised" });
        explain.Parameters.Add(new NpgsqlParameter("open", NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Varchar) { Value = new[] { "submitted" } });
        explain.Parameters.Add(new NpgsqlParameter("registration", NpgsqlTypes.NpgsqlDbType.Uuid) { Value = app.World.RegistrationA });

        var plan = new List<string>();
        await using (var reader = await explain.ExecuteReaderAsync())
            while (await reader.ReadAsync()) plan.Add(reader.GetString(0));

        var text = string.Join(Environment.NewLine, plan);
        Assert.Contains("pk_residence_registrations", text);
        Assert.Contains("ix_watch_entries_id_number_index", text);
        Assert.DoesNotContain("Seq Scan", text);
    }

    private async Task<byte[]> IndexOfAsync(string idNumber)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return scope.ServiceProvider.GetRequiredService<PersonalDataProtector>().BlindIndex(idNumber);
    }
}
