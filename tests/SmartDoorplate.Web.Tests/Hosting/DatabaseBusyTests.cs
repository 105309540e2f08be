using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using SmartDoorplate.Data;
using SmartDoorplate.Hosting;
using SmartDoorplate.Map;
using SmartDoorplate.Web.Tests.Infrastructure;
using SmartDoorplate.Web.Tests.Map;

namespace SmartDoorplate.Web.Tests.Hosting;

[Collection(PilotMapCollection.Name)]
public sealed class DatabaseBusyTests(PilotMapFixture app)
{
    // The map's reads have one connection here, held by the test, and a wait of one second: the tile
    // request cannot get a connection in time. That is a busy server (503, try again), not a 500.
    [Fact]
    public async Task ARequestThatGetsNoDatabaseConnectionInTimeIsAnsweredBusyWithRetryAfter()
    {
        var oneConnection = WithOneConnectionAndAOneSecondWait("SpatialReadConnections");
        var client = await oneConnection.SignedInClientAsync("admin", PilotMapFixture.Password);
        var tile = PilotMapFixture.TileUrl("boundaries", PilotMapFixture.GaichaTile(14));

        var spatial = oneConnection.Services.GetRequiredKeyedService<NpgsqlDataSource>(DataServices.SpatialReads);
        using (var _ = await spatial.OpenConnectionAsync())
        {
            var busy = await client.GetAsync(tile);

            Assert.Equal(HttpStatusCode.ServiceUnavailable, busy.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(DatabaseBusy.RetryAfterSeconds), busy.Headers.RetryAfter?.Delta);
            Assert.Equal("application/problem+json", busy.Content.Headers.ContentType?.MediaType);
            Assert.Contains(DatabaseBusy.Title.En, await busy.Content.ReadAsStringAsync());
        }

        // Once the connection is free again, the same request is served.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(tile)).StatusCode);
    }

    // A tenant's form on a phone gets a page in Chinese, not problem JSON, saying nothing was saved.
    [Fact]
    public async Task APageThatGetsNoDatabaseConnectionInTimeSaysInChineseThatNothingWasSaved()
    {
        var code = await app.ScalarAsync<string>("select code from doorplates where revoked_at is null order by code limit 1");
        var oneConnection = WithOneConnectionAndAOneSecondWait("Connections");
        var client = oneConnection.CreateClient();
        client.DefaultRequestHeaders.Accept.ParseAdd("text/html");

        var general = oneConnection.Services.GetRequiredService<NpgsqlDataSource>();
        using (var _ = await general.OpenConnectionAsync())
        {
            var busy = await client.GetAsync($"/d/{code}/register");

            Assert.Equal(HttpStatusCode.ServiceUnavailable, busy.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(DatabaseBusy.RetryAfterSeconds), busy.Headers.RetryAfter?.Delta);
            Assert.Equal("text/html", busy.Content.Headers.ContentType?.MediaType);
            var page = await busy.Content.ReadAsStringAsync();
            Assert.Contains(DatabaseBusy.Title.Zh, page);
            Assert.Contains(DatabaseBusy.PageHint.Zh, page);
        }

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/d/{code}/register")).StatusCode);
    }

    // The app with one connection in the named pool (DatabaseOptions) and one second's wait for it.
    private WebApplicationFactory<Program> WithOneConnectionAndAOneSecondWait(string pool) =>
        app.WithWebHostBuilder(b => b
            .UseSetting($"{DatabaseOptions.Section}:{pool}", "1")
            .UseSetting("ConnectionStrings:" + DataServices.ConnectionStringName, app.AppConnectionString + ";Timeout=1"));
}
