using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using SmartDoorplate.Registrations;
using SmartDoorplate.Web.Tests.Accounts;
using SmartDoorplate.Web.Tests.Infrastructure;
using static SmartDoorplate.Web.Tests.Occupancy.OccupancyData;

namespace SmartDoorplate.Web.Tests.Registrations;

// building_counts is kept by triggers; these tests drive registrations through every path that
// changes them and compare the table with a fresh count from the LINQ definitions.
public sealed class BuildingCountsTests(ScopeWorldFixture app) : IClassFixture<ScopeWorldFixture>
{
    private const string Local = "520102";
    private const string Outside = "522624";

    private async Task ExecuteAsOwnerAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(app.OwnerConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private Task<BuildingCount?> StoredAsync(long buildingId) =>
        app.WithDbAsync(db => db.BuildingCounts.AsNoTracking().SingleOrDefaultAsync(c => c.BuildingId == buildingId));

    private Task<IReadOnlyList<string>> MismatchesAsync() => app.WithDbAsync(BuildingCountsCheck.MismatchesAsync);

    [Fact]
    public async Task TheCountTableEqualsAFreshCountAfterSubmitConfirmSupersedeRejectVerifyAndMoveOut()
    {
        var a = await NewBuildingAsync(app, "t.landlord.a", "T-A-01", ("101", 4), ("102", 4));
        var b = await NewBuildingAsync(app, "t.landlord.a", "T-A-01", ("201", 4));
        var landlord = await app.SignedInClientAsync("t.landlord.a");
        var officer = await app.SignedInClientAsync("t.officer.a");

        // Written straight by EF, in every status and from both origins.
        var living = await NewRegistrationAsync(app, a.Id, a.Rooms["101"], RegistrationStatus.Confirmed, region: Outside);
        await NewRegistrationAsync(app, a.Id, a.Rooms["101"], RegistrationStatus.Verified, region: Local);
        await NewRegistrationAsync(app, a.Id, a.Rooms["102"], RegistrationStatus.Ended, region: Outside);
        await NewRegistrationAsync(app, a.Id, a.Rooms["102"], RegistrationStatus.Rejected, region: Outside);
        var toReject = await NewRegistrationAsync(app, a.Id, a.Rooms["102"], RegistrationStatus.Submitted, region: Outside);
        var toConfirm = await NewRegistrationAsync(app, a.Id, a.Rooms["102"], RegistrationStatus.Submitted, region: Outside);
        // The same person is still registered in b: confirming in a supersedes that one.
        var elsewhere = await NewRegistrationAsync(app, b.Id, b.Rooms["201"], RegistrationStatus.Confirmed, personId: toConfirm.PersonId,
            moveIn: DateOnly.FromDateTime(DateTime.Today.AddDays(-30)));
        Assert.Equal((2, 1, 2), Triple(await StoredAsync(a.Id)));
        Assert.Equal((1, 1, 0), Triple(await StoredAsync(b.Id)));

        // A tenant's scan submission.
        var submitted = await app.CreateClient().PostAsJsonAsync("/api/registrations", new
        {
            doorplateCode = a.PlateCode, room = "101", name = "李四", idNumber = NewIdNumber(Outside), phone = NewPhone(),
            moveInDate = Day(-1), reason = "work", consent = true,
        });
        Assert.Equal(HttpStatusCode.Created, submitted.StatusCode);
        var submittedId = (await submitted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        Assert.Equal((2, 1, 3), Triple(await StoredAsync(a.Id)));

        Assert.Equal(HttpStatusCode.OK, (await landlord.PostAsJsonAsync($"/api/registrations/{toConfirm.Id}/confirm", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await landlord.PostAsJsonAsync($"/api/registrations/{toReject.Id}/reject", new { reason = "not_a_tenant" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await landlord.PostAsJsonAsync($"/api/registrations/{submittedId}/confirm", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await officer.PostAsync($"/api/registrations/{submittedId}/verify", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await landlord.PostAsJsonAsync($"/api/registrations/{living.Id}/move-out", new { date = Day(-1) })).StatusCode);

        // confirmed 2 (toConfirm, the scan), verified 1 (local); none pending; the person left b.
        Assert.Equal((3, 2, 0), Triple(await StoredAsync(a.Id)));
        Assert.Equal((0, 0, 0), Triple(await StoredAsync(b.Id)));
        Assert.Equal(RegistrationStatus.Ended, await app.WithDbAsync(db => db.Registrations.Where(r => r.Id == elsewhere.Id).Select(r => r.Status).SingleAsync()));
        Assert.Empty(await MismatchesAsync());
    }

    [Fact]
    public async Task AMoveOutDateSetOnAConfirmedRegistrationEndsItsCountLikeIsOccupyingSays()
    {
        var building = await NewBuildingAsync(app, "t.landlord.a", "T-A-01", ("101", 4));
        var registration = await NewRegistrationAsync(app, building.Id, building.Rooms["101"], RegistrationStatus.Confirmed, region: Outside);

        // An import may bring a confirmed row with a move-out date still ahead: it is not occupying.
        await ExecuteAsOwnerAsync($"update residence_registrations set move_out_date = current_date + 30 where id = '{registration.Id}'");
        var withDate = Triple(await StoredAsync(building.Id));
        var landlord = await app.SignedInClientAsync("t.landlord.a");
        var shown = (await landlord.GetFromJsonAsync<JsonElement>($"/api/buildings/{building.Id}")).GetProperty("residents").GetInt32();
        await ExecuteAsOwnerAsync($"update residence_registrations set move_out_date = null where id = '{registration.Id}'");

        Assert.Equal((0, 0, 0), withDate);
        Assert.Equal(0, shown);
        Assert.Equal((1, 1, 0), Triple(await StoredAsync(building.Id)));
        Assert.Empty(await MismatchesAsync());
    }

    [Fact]
    public async Task StatementsOverManyRowsMovesBetweenBuildingsDeletesAndOriginChangesKeepTheTableExact()
    {
        var a = await NewBuildingAsync(app, "t.landlord.a", "T-A-01", ("101", 9));
        var b = await NewBuildingAsync(app, "t.landlord.b", "T-B-01", ("101", 9));
        var moved = await NewRegistrationAsync(app, a.Id, null, RegistrationStatus.Confirmed, region: Outside);
        var local = await NewRegistrationAsync(app, a.Id, null, RegistrationStatus.Verified, region: Local);
        var deleted = await NewRegistrationAsync(app, b.Id, null, RegistrationStatus.Submitted, region: Outside);
        await NewRegistrationAsync(app, b.Id, null, RegistrationStatus.Confirmed, region: Local);

        await ExecuteAsOwnerAsync($"update residence_registrations set building_id = {b.Id} where id = '{moved.Id}'");
        await ExecuteAsOwnerAsync($"update persons set origin_region_code = '{Outside}' where id = '{local.PersonId}'");
        await ExecuteAsOwnerAsync($"delete from residence_registrations where id = '{deleted.Id}'");
        // One statement over both buildings: every current one becomes pending again.
        await ExecuteAsOwnerAsync($"""
            update residence_registrations set status = 'submitted', confirmed_at = null, verified_at = null
            where building_id in ({a.Id}, {b.Id}) and status = 'confirmed'
            """);
        // And one that changes nothing the counts depend on.
        await ExecuteAsOwnerAsync($"update residence_registrations set employer = 'x' where building_id in ({a.Id}, {b.Id})");

        Assert.Equal((1, 1, 0), Triple(await StoredAsync(a.Id)));
        Assert.Equal((0, 0, 2), Triple(await StoredAsync(b.Id)));
        Assert.Empty(await MismatchesAsync());
    }

    [Fact]
    public async Task ACountsRowFollowsItsBuildingToAnotherEntranceAndGrid()
    {
        var building = await NewBuildingAsync(app, "t.landlord.a", "T-A-01", ("101", 4));
        await NewRegistrationAsync(app, building.Id, building.Rooms["101"], RegistrationStatus.Confirmed, region: Outside);
        Task<(long Cell, long Grid)> CopyAsync() => app.WithDbAsync(async db => (
            await db.Database.SqlQuery<long>($"select entrance_cell as \"Value\" from building_counts where building_id = {building.Id}").SingleAsync(),
            await db.Database.SqlQuery<long>($"select grid_id as \"Value\" from building_counts where building_id = {building.Id}").SingleAsync()));
        var before = await CopyAsync();

        // About 1 km east, then into another station's grid.
        await ExecuteAsOwnerAsync($"update buildings set entrance = ST_Translate(entrance, 0.01, 0) where id = {building.Id}");
        var moved = await CopyAsync();
        await ExecuteAsOwnerAsync($"update buildings set grid_id = (select id from community_grids where code = 'T-B-01') where id = {building.Id}");
        var regridded = await CopyAsync();

        Assert.NotEqual(before.Cell, moved.Cell);
        Assert.Equal(before.Grid, moved.Grid);
        Assert.NotEqual(moved.Grid, regridded.Grid);
        Assert.Equal(moved.Cell, regridded.Cell);
        Assert.Empty(await MismatchesAsync());
    }

    [Fact]
    public async Task TwoTransactionsRegisteringInTheSameBuildingAtOnceAreBothCounted()
    {
        var building = await NewBuildingAsync(app, "t.landlord.a", "T-A-01", ("101", 9));
        var first = await NewRegistrationAsync(app, building.Id, null, RegistrationStatus.Submitted, region: Outside);
        var second = await NewRegistrationAsync(app, building.Id, null, RegistrationStatus.Submitted, region: Outside);

        await using var one = new NpgsqlConnection(app.AppConnectionString);
        await using var two = new NpgsqlConnection(app.AppConnectionString);
        await one.OpenAsync();
        await two.OpenAsync();
        await using var t1 = await one.BeginTransactionAsync();
        await using var t2 = await two.BeginTransactionAsync();
        await new NpgsqlCommand($"update residence_registrations set status = 'confirmed' where id = '{first.Id}'", one, t1).ExecuteNonQueryAsync();
        // Waits on the building's row until the first commits, then adds to what it committed.
        var waiting = new NpgsqlCommand($"update residence_registrations set status = 'confirmed' where id = '{second.Id}'", two, t2).ExecuteNonQueryAsync();
        await Task.Delay(200);
        Assert.False(waiting.IsCompleted);
        await t1.CommitAsync();
        await waiting;
        await t2.CommitAsync();

        Assert.Equal((2, 2, 0), Triple(await StoredAsync(building.Id)));
        Assert.Empty(await MismatchesAsync());
    }

    [Fact]
    public async Task TheAppRoleCanReadTheCountsButNotWriteThem()
    {
        var building = await NewBuildingAsync(app, "t.landlord.a", "T-A-01", ("101", 9));
        await NewRegistrationAsync(app, building.Id, null, RegistrationStatus.Confirmed, region: Outside);
        await using var connection = new NpgsqlConnection(app.AppConnectionString);
        await connection.OpenAsync();

        var write = await Assert.ThrowsAsync<PostgresException>(() =>
            new NpgsqlCommand($"update building_counts set residents = 99 where building_id = {building.Id}", connection).ExecuteNonQueryAsync());

        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, write.SqlState);
        Assert.Equal((1, 1, 0), Triple(await StoredAsync(building.Id)));
    }

    private static (int, int, int) Triple(BuildingCount? counts) => counts is null ? (0, 0, 0) : (counts.Residents, counts.Floating, counts.Pending);
}
