using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SmartDoorplate.Audit;
using SmartDoorplate.Web.Tests.Infrastructure;

namespace SmartDoorplate.Web.Tests.Audit;

public sealed class ResidentAccessLogTests(AppFactory app) : IClassFixture<AppFactory>
{
    private readonly ResidentRecords records = new(app);

    [Fact]
    public async Task AResidentSeesWhichOrganisationsReadTheirRecordAndWhenButNoOfficer()
    {
        var resident = await records.RegisterAsync(await records.NewBuildingAsync(), new DateOnly(2026, 1, 5));
        await ReadAsync(resident.PersonTargetId, AuditActions.PersonView, "云岩区公安分局改茶派出所", "police.gaicha", new DateTimeOffset(2026, 2, 1, 9, 0, 0, TimeSpan.FromHours(8)));
        await ReadAsync(resident.PersonTargetId, AuditActions.PersonReveal, "云岩区公安分局", "district.wang", new DateTimeOffset(2026, 2, 3, 15, 30, 0, TimeSpan.FromHours(8)));

        var response = await app.CreateClient().GetAsync($"/api/registrations/receipt/{resident.Receipt}/access-log?phone={resident.Phone}");
        var body = await response.Content.ReadAsStringAsync();
        var log = JsonSerializer.Deserialize<ResidentAccessLog>(body, JsonSerializerOptions.Web)!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(
            [new AccessLogEntry("云岩区公安分局", new DateTimeOffset(2026, 2, 3, 7, 30, 0, TimeSpan.Zero), "reveal", "显示完整证件号/电话", "ID number or phone shown in full"),
             new AccessLogEntry("云岩区公安分局改茶派出所", new DateTimeOffset(2026, 2, 1, 1, 0, 0, TimeSpan.Zero), "view", "查看人员", "Person viewed")],
            log.Entries);
        Assert.DoesNotContain("police.gaicha", body);
        Assert.DoesNotContain("district.wang", body);
        Assert.DoesNotContain("police_officer", body);
    }

    [Fact]
    public async Task OtherPersonsReadsAndNonReadingEventsAreNotListed()
    {
        var building = await records.NewBuildingAsync();
        var resident = await records.RegisterAsync(building, new DateOnly(2026, 1, 5));
        var neighbour = await records.RegisterAsync(building, new DateOnly(2026, 1, 5));
        await ReadAsync(neighbour.PersonTargetId, AuditActions.PersonView, "邻居派出所", "police.a", DateTimeOffset.UtcNow);
        await ReadAsync(resident.PersonTargetId, AuditActions.RegistrationConfirmed, "本人派出所", "police.a", DateTimeOffset.UtcNow);

        var log = await app.CreateClient().GetFromJsonAsync<ResidentAccessLog>(
            $"/api/registrations/receipt/{resident.Receipt}/access-log?phone={resident.Phone}");

        Assert.Empty(log!.Entries);
    }

    [Theory]
    [InlineData("+86 ", " ")]
    [InlineData("", "-")]
    [InlineData("", " ")]
    public async Task ThePhoneMayBeWrittenWithSpacesDashesOrPlus86(string prefix, string separator)
    {
        var resident = await records.RegisterAsync(await records.NewBuildingAsync(), new DateOnly(2026, 1, 5));
        var p = resident.Phone;
        var written = $"{prefix}{p[..3]}{separator}{p[3..7]}{separator}{p[7..]}";

        var response = await app.CreateClient().GetAsync(
            $"/api/registrations/receipt/{resident.Receipt}/access-log?phone={Uri.EscapeDataString(written)}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task AWrongPhoneOrAnUnknownReceiptAnswersNotFoundAlike()
    {
        var resident = await records.RegisterAsync(await records.NewBuildingAsync(), new DateOnly(2026, 1, 5));
        var client = app.CreateClient();

        var wrongPhone = await client.GetAsync($"/api/registrations/receipt/{resident.Receipt}/access-log?phone=13800000000");
        var noPhone = await client.GetAsync($"/api/registrations/receipt/{resident.Receipt}/access-log");
        var unknownReceipt = await client.GetAsync($"/api/registrations/receipt/R0-unknown/access-log?phone={resident.Phone}");

        var titles = new List<string?>();
        foreach (var response in new[] { wrongPhone, noPhone, unknownReceipt })
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            titles.Add((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString());
        }
        Assert.Single(titles.Distinct());
    }

    [Fact]
    public async Task AResidentReadingTheirAccessLogIsAuditedAgainstTheirRecord()
    {
        var resident = await records.RegisterAsync(await records.NewBuildingAsync(), new DateOnly(2026, 1, 5));

        await app.CreateClient().GetAsync($"/api/registrations/receipt/{resident.Receipt}/access-log?phone={resident.Phone}");

        var recorded = await app.WithDbAsync(db => db.AuditEvents.AsNoTracking()
            .SingleAsync(e => e.TargetType == AuditTargets.Person && e.TargetId == resident.PersonTargetId));
        Assert.Equal((AuditActions.AccessLogView.Code, "anonymous"), (recorded.Action, recorded.ActorRole));
    }

    private async Task ReadAsync(string personId, string action, string organisation, string officer, DateTimeOffset at)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<AuditTrail>().AppendAsync(new AuditEvent
        {
            At = AuditHash.Truncate(at),
            ActorUserId = 12,
            ActorName = officer,
            ActorRole = "police_officer",
            ActorOrganisation = organisation,
            Action = action,
            TargetType = AuditTargets.Person,
            TargetId = personId,
            Purpose = "核查",
        }, CancellationToken.None);
    }
}
