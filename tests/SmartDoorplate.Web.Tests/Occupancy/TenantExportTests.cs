using System.Net;
using System.Text;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Microsoft.EntityFrameworkCore;
using SmartDoorplate.Registrations;
using SmartDoorplate.Web.Tests.Accounts;
using SmartDoorplate.Web.Tests.Infrastructure;
using static SmartDoorplate.Web.Tests.Occupancy.OccupancyData;

namespace SmartDoorplate.Web.Tests.Occupancy;

public sealed class TenantExportTests(ScopeWorldFixture app) : IClassFixture<ScopeWorldFixture>
{
    private async Task<(TestRegistration Current, TestRegistration MovedOut, TestRegistration Pending)> TenantsAsync()
    {
        var building = await NewBuildingAsync(app, "t.landlord.b", "T-B-01", ("301", 2));
        var current = await NewRegistrationAsync(app, building.Id, building.Rooms["301"], RegistrationStatus.Confirmed, name: "钱多多");
        var movedOut = await NewRegistrationAsync(app, building.Id, building.Rooms["301"], RegistrationStatus.Ended, name: "吴离开");
        var pending = await NewRegistrationAsync(app, building.Id, building.Rooms["301"], RegistrationStatus.Submitted, name: "郑等待");
        return (current, movedOut, pending);
    }

    private static string Masked(string idNumber) => idNumber[..4] + "**********" + idNumber[^4..];

    [Fact]
    public async Task TheCsvListsOnlyCurrentTenantsMaskedAndTheExportIsAudited()
    {
        var (current, movedOut, pending) = await TenantsAsync();
        var landlord = await app.SignedInClientAsync("t.landlord.b");

        var response = await landlord.GetAsync("/api/landlord/tenants.csv");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(Encoding.UTF8.Preamble.ToArray(), bytes[..3]);
        var csv = Encoding.UTF8.GetString(bytes[3..]);
        Assert.StartsWith("楼栋编号,地址,房间,姓名,身份证号码,手机号码,入住日期,居住事由,状态\r\n", csv);
        Assert.Contains("钱**", csv);
        Assert.Contains(Masked(current.IdNumber), csv);
        Assert.Contains(current.Phone[..3] + "****" + current.Phone[^4..], csv);
        Assert.DoesNotContain(current.IdNumber, csv);
        Assert.DoesNotContain(current.Phone, csv);
        Assert.DoesNotContain("吴*", csv);
        Assert.DoesNotContain("郑*", csv);
        var audit = await app.WithDbAsync(db => db.AuditEvents.Where(e => e.Action == "tenant_export").Select(e => e.Details).ToListAsync());
        Assert.Contains(audit, d => d!.Contains(current.PersonId.ToString()) && !d.Contains(movedOut.PersonId.ToString()) && !d.Contains(pending.PersonId.ToString()));
    }

    [Fact]
    public async Task TheExcelFileOpensAndHoldsTheSameMaskedRows()
    {
        var (current, _, _) = await TenantsAsync();
        var landlord = await app.SignedInClientAsync("t.landlord.b");

        var response = await landlord.GetAsync("/api/landlord/tenants.xlsx?lang=en");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var document = SpreadsheetDocument.Open(await response.Content.ReadAsStreamAsync(), false);
        var sheet = document.WorkbookPart!.WorksheetParts.Single().Worksheet;
        var rows = sheet.Descendants<Row>().Select(r => r.Elements<Cell>().Select(c => c.InnerText).ToArray()).ToList();
        Assert.Equal(["Building", "Address", "Room", "Name", "ID number", "Phone", "Move-in date", "Reason", "Status"], rows[0]);
        var row = rows.Single(r => r[4] == Masked(current.IdNumber));
        Assert.Equal("钱**", row[3]);
        Assert.Equal("Confirmed by the landlord", row[8]);
        Assert.DoesNotContain(rows.SelectMany(r => r), cell => cell.Contains(current.IdNumber) || cell.Contains(current.Phone));
    }

    [Fact]
    public async Task OnlyLandlordsExportAndOnlyTheirOwnTenants()
    {
        var (current, _, _) = await TenantsAsync();
        var officer = await app.SignedInClientAsync("t.officer.b");
        var otherLandlord = await app.SignedInClientAsync("t.landlord.a");

        var byOfficer = await officer.GetAsync("/api/landlord/tenants.csv");
        var byOther = await otherLandlord.GetStringAsync("/api/landlord/tenants.csv");

        Assert.Equal(HttpStatusCode.Forbidden, byOfficer.StatusCode);
        Assert.DoesNotContain(Masked(current.IdNumber), byOther);
    }
}
