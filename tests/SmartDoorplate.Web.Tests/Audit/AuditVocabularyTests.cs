using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using SmartDoorplate.Audit;
using SmartDoorplate.Web.Tests.Accounts;
using SmartDoorplate.Web.Tests.Infrastructure;

namespace SmartDoorplate.Web.Tests.Audit;

// One vocabulary of audit actions (AuditActions): what is written is listed, and what is listed can
// be read by a person, in Chinese and in English.
public sealed partial class AuditVocabularyTests(ScopeWorldFixture app) : IClassFixture<ScopeWorldFixture>
{
    [Fact]
    public void EveryListedActionHasASnakeCaseCodeAndAChineseAndAnEnglishLabelOfItsOwn()
    {
        Assert.NotEmpty(AuditActions.All);
        Assert.All(AuditActions.All, action =>
        {
            Assert.Matches(SnakeCase(), action.Code);
            Assert.Matches(Chinese(), action.Chinese);
            Assert.Matches(English(), action.English);
        });
        Assert.Equal(AuditActions.All.Count, AuditActions.All.Select(a => a.Code).Distinct().Count());
        Assert.Equal(AuditActions.All.Count, AuditActions.All.Select(a => a.Chinese).Distinct().Count());
        Assert.Equal(AuditActions.All.Count, AuditActions.All.Select(a => a.English).Distinct().Count());
    }

    [Fact]
    public void AnEntryCanOnlyBeMadeWithAnActionFromTheList()
    {
        // The first parameter of every way to make an entry is an AuditAction, not a string: a literal
        // action name does not compile.
        Assert.All(typeof(AuditEntry).GetConstructors(), c => Assert.Equal(typeof(AuditAction), c.GetParameters()[0].ParameterType));
        Assert.DoesNotContain(typeof(AuditAction).GetConstructors(), c => c.IsPublic && c.GetParameters().Length == 1);
        Assert.Null(typeof(AuditAction).GetMethod("op_Implicit", [typeof(string)]));
    }

    [Fact]
    public async Task EveryActionTypicalRequestsWriteIsInTheList()
    {
        var officer = await app.SignedInClientAsync("t.officer.a");
        var admin = await app.SignedInClientAsync("t.admin");
        var anonymous = app.CreateClient();
        await anonymous.PostAsJsonAsync("/api/auth/login", new { username = "t.officer.b", password = "wrong-password" });
        await anonymous.PostAsJsonAsync("/api/auth/login", new { username = "nobody.at.all", password = "wrong-password" });
        await officer.PostAsJsonAsync("/api/persons/search", new { q = app.World.PersonAName, purpose = "核查 check" });
        await officer.GetAsync($"/api/persons/{app.World.PersonA}?purpose=check");
        await officer.PostAsJsonAsync($"/api/persons/{app.World.PersonA}/reveal", new { purpose = "核查 check" });
        await anonymous.GetAsync($"/d/{app.World.RevokedPlateA}");
        await admin.GetAsync("/api/audit?page=1");
        await officer.PostAsync("/api/auth/logout", null);

        var written = await app.WithDbAsync(db => db.AuditEvents.Select(e => e.Action).Distinct().ToListAsync());

        Assert.True(written.Count >= 6, string.Join(", ", written));
        Assert.All(written, code => Assert.NotNull(AuditActions.Find(code)));
    }

    [GeneratedRegex("^[a-z]+(_[a-z]+)*$")]
    private static partial Regex SnakeCase();

    [GeneratedRegex(@"\p{IsCJKUnifiedIdeographs}")]
    private static partial Regex Chinese();

    [GeneratedRegex("^[A-Z][A-Za-z ,()'-]+$")]
    private static partial Regex English();
}
