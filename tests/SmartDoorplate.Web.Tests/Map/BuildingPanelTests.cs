using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace SmartDoorplate.Web.Tests.Map;

[Collection(PilotMapCollection.Name)]
public sealed class BuildingPanelTests(PilotMapFixture app)
{
    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    // The landlord.demo building with the most registrations in every status.
    private Task<long> BusyLandlordBuildingAsync() => app.ScalarAsync<long>("""
        select b.id from buildings b join users u on u.id = b.owner_id join residence_registrations r on r.building_id = b.id
        where u.user_name = 'landlord.demo' group by b.id order by count(distinct r.status) desc, count(*) desc, b.id limit 1
        """);

    [Fact]
    public async Task ThePanelShowsAddressLandlordOccupantsByStatusAndNearbyCases()
    {
        var id = await BusyLandlordBuildingAsync();
        var byStatus = await app.ScalarAsync<string>($"""
            select string_agg(status || '=' || n, ',' order by status) from (
                select status, count(*) n from residence_registrations where building_id = {id} group by status) s
            """);
        var landlord = await app.ScalarAsync<string>($"select u.display_name from buildings b join users u on u.id = b.owner_id where b.id = {id}");

        var panel = await JsonAsync(await app.Gaicha.GetAsync($"/api/map/buildings/{id}"));

        var occupants = panel.GetProperty("occupants");
        var shown = string.Join(',', new[] { "confirmed", "ended", "rejected", "submitted", "verified" }
            .Select(s => (s, n: occupants.GetProperty(s).GetInt32())).Where(p => p.n > 0).Select(p => $"{p.s}={p.n}"));
        Assert.Equal(byStatus, shown);
        Assert.StartsWith("云岩区黔灵镇", panel.GetProperty("address").GetString());
        Assert.Equal(landlord, panel.GetProperty("landlord").GetString());
        Assert.All(panel.GetProperty("recentCases").EnumerateArray(), c => Assert.InRange(c.GetProperty("distanceMetres").GetInt32(), 0, 100));
    }

    [Fact]
    public async Task ShowingResidentsNeedsAPurposeListsThemMaskedAndIsAudited()
    {
        var id = await BusyLandlordBuildingAsync();
        var purpose = $"入户走访 {Guid.NewGuid():N}";

        var without = await app.Gaicha.PostAsJsonAsync($"/api/map/buildings/{id}/residents", new { purpose = "" });
        var with = await JsonAsync(await app.Gaicha.PostAsJsonAsync($"/api/map/buildings/{id}/residents", new { purpose }));
        var expected = await app.ScalarAsync<long>($"""
            select count(*) from residence_registrations
            where building_id = {id} and (status = 'submitted' or (status in ('confirmed', 'verified') and move_out_date is null))
            """);
        var audited = await app.ScalarAsync<string>($"select action || '|' || target_type || '|' || (details -> 'criteria' ->> 'buildingId') from audit_events where purpose = '{purpose}'");

        Assert.Equal(HttpStatusCode.BadRequest, without.StatusCode);
        Assert.Equal(expected, with.GetProperty("total").GetInt64());
        Assert.All(with.GetProperty("residents").EnumerateArray(), r => Assert.Contains("**********", r.GetProperty("idNumber").GetString()));
        Assert.Equal($"person_search|person|{id}", audited);
    }

    [Fact]
    public async Task TheStationsPoliceSeeTheLandlordInFullAndEachViewIsAuditedWhileAdminsSeeItMasked()
    {
        var id = await BusyLandlordBuildingAsync();
        var (landlordId, landlord) = (await app.ScalarAsync<long>($"select owner_id from buildings where id = {id}"),
            await app.ScalarAsync<string>($"select u.display_name from buildings b join users u on u.id = b.owner_id where b.id = {id}"));
        const string viewsOfLandlord = "select count(*) from audit_events where action = 'landlord_contact_view' and target_type = 'account' and target_id = '{0}' and (details ->> 'buildingId')::bigint = {1}";
        var before = await app.ScalarAsync<long>(string.Format(viewsOfLandlord, landlordId, id));

        var police = await JsonAsync(await app.Gaicha.GetAsync($"/api/map/buildings/{id}"));
        var afterPolice = await app.ScalarAsync<long>(string.Format(viewsOfLandlord, landlordId, id));
        var admin = await JsonAsync(await app.Admin.GetAsync($"/api/map/buildings/{id}"));
        var afterAdmin = await app.ScalarAsync<long>(string.Format(viewsOfLandlord, landlordId, id));
        var other = await app.Other.GetAsync($"/api/map/buildings/{id}");

        Assert.Equal(landlord, police.GetProperty("landlord").GetString());
        Assert.Equal(before + 1, afterPolice);
        Assert.NotEqual(landlord, admin.GetProperty("landlord").GetString());
        Assert.Contains('*', admin.GetProperty("landlord").GetString()!);
        Assert.Equal(afterPolice, afterAdmin);
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        Assert.DoesNotContain(landlord, await other.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task TheStationsPoliceSeeTheLandlordsPhoneInFullWithinTheAuditedViewWhileAdminsSeeItMasked()
    {
        var id = await BusyLandlordBuildingAsync();
        var landlordId = await app.ScalarAsync<long>($"select owner_id from buildings where id = {id}");
        var phone = "137" + Random.Shared.NextInt64(10_000_000, 100_000_000).ToString(System.Globalization.CultureInfo.InvariantCulture);
        (await app.Admin.PostAsJsonAsync($"/api/accounts/{landlordId}/phone", new { phone })).EnsureSuccessStatusCode();
        var raw = await app.ScalarAsync<string>($"select encode(contact_phone_cipher, 'escape') from users where id = {landlordId}");
        const string views = "select count(*) from audit_events where action = 'landlord_contact_view' and target_id = '{0}' and (details ->> 'buildingId')::bigint = {1} and (details ->> 'phone')::boolean";
        var before = await app.ScalarAsync<long>(string.Format(views, landlordId, id));

        var police = await JsonAsync(await app.Gaicha.GetAsync($"/api/map/buildings/{id}"));
        var afterPolice = await app.ScalarAsync<long>(string.Format(views, landlordId, id));
        var admin = await JsonAsync(await app.Admin.GetAsync($"/api/map/buildings/{id}"));
        var other = await app.Other.GetAsync($"/api/map/buildings/{id}");

        Assert.DoesNotContain(phone, raw);
        Assert.Equal(phone, police.GetProperty("landlordPhone").GetString());
        Assert.Equal(before + 1, afterPolice);
        Assert.Equal(phone[..3] + "****" + phone[7..], admin.GetProperty("landlordPhone").GetString());
        Assert.Equal(afterPolice, await app.ScalarAsync<long>(string.Format(views, landlordId, id)));
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        Assert.DoesNotContain(phone, await other.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task RevealingOneListedResidentNeedsAPurposeShowsThemInFullAndIsAuditedOnceWithThePurpose()
    {
        var id = await BusyLandlordBuildingAsync();
        var purpose = $"核查住户 {Guid.NewGuid():N}";
        var list = await JsonAsync(await app.Gaicha.PostAsJsonAsync($"/api/map/buildings/{id}/residents", new { purpose }));
        var listed = list.GetProperty("residents")[0];
        var personId = listed.GetProperty("personId").GetString();

        var withoutPurpose = await app.Gaicha.PostAsJsonAsync($"/api/persons/{personId}/reveal", new { purpose = " " });
        var byOtherStation = await app.Other.PostAsJsonAsync($"/api/persons/{personId}/reveal", new { purpose });
        var byAdmin = await app.Admin.PostAsJsonAsync($"/api/persons/{personId}/reveal", new { purpose });
        var revealed = await JsonAsync(await app.Gaicha.PostAsJsonAsync($"/api/persons/{personId}/reveal", new { purpose }));
        var reveals = await app.ScalarAsync<string>($"""
            select string_agg(target_id || '|' || purpose, ',') from audit_events where action = 'person_reveal' and purpose = '{purpose}'
            """);

        Assert.Equal(HttpStatusCode.BadRequest, withoutPurpose.StatusCode);
        Assert.Contains("purpose", await withoutPurpose.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, byOtherStation.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, byAdmin.StatusCode);
        Assert.DoesNotContain("*", revealed.GetProperty("idNumber").GetString());
        Assert.Equal(18, revealed.GetProperty("idNumber").GetString()!.Length);
        Assert.Matches("^1[3-9][0-9]{9}$", revealed.GetProperty("phone").GetString()!);
        Assert.Equal(listed.GetProperty("idNumber").GetString()![..4], revealed.GetProperty("idNumber").GetString()![..4]);
        Assert.Equal($"{personId}|{purpose}", reveals);
    }

    [Fact]
    public async Task AnotherStationsBuildingIsNotFoundOnThePanel()
    {
        var id = await BusyLandlordBuildingAsync();

        Assert.Equal(HttpStatusCode.NotFound, (await app.Other.GetAsync($"/api/map/buildings/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await app.Other.PostAsJsonAsync($"/api/map/buildings/{id}/residents", new { purpose = "入户走访" })).StatusCode);
    }

    [Fact]
    public async Task TheSearchFindsABuildingByCodeAddressOrPlateWithinScope()
    {
        const string code = "GC-08-0002";
        var plate = await app.ScalarAsync<string>($"select d.code from buildings b join doorplates d on d.building_id = b.id and d.revoked_at is null where b.code = '{code}'");

        var byCode = await JsonAsync(await app.Gaicha.GetAsync("/api/map/search?q=gc-08-0002"));
        var byPlate = await JsonAsync(await app.Gaicha.GetAsync($"/api/map/search?q={plate}"));
        var byAddress = await JsonAsync(await app.Gaicha.GetAsync($"/api/map/search?q={Uri.EscapeDataString("改茶路24号")}"));
        var otherStation = await JsonAsync(await app.Other.GetAsync("/api/map/search?q=GC-08-0002"));

        Assert.Equal(code, byCode[0].GetProperty("code").GetString());
        Assert.Equal(code, byPlate[0].GetProperty("code").GetString());
        Assert.Contains(byAddress.EnumerateArray(), hit => hit.GetProperty("code").GetString() == code);
        Assert.Equal(0, otherStation.GetArrayLength());
        Assert.Equal(HttpStatusCode.BadRequest, (await app.Gaicha.GetAsync("/api/map/search?q=x")).StatusCode);
    }
}
