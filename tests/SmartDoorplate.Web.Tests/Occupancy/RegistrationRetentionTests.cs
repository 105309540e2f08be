using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SmartDoorplate.Audit;
using SmartDoorplate.Registrations;
using SmartDoorplate.Web.Tests.Accounts;
using static SmartDoorplate.Web.Tests.Occupancy.OccupancyData;

namespace SmartDoorplate.Web.Tests.Occupancy;

// Retention works on the whole database: this class has one of its own.
public sealed class RegistrationRetentionTests(ScopeWorldFixture app) : IClassFixture<ScopeWorldFixture>
{
    [Fact]
    public async Task RetentionAlsoForgetsTheNameAndPhoneGivenWithEachRegistration()
    {
        var building = await NewBuildingAsync(app, rooms: ("101", 2));
        var today = DateOnly.FromDateTime(DateTime.Today);
        var gone = await NewRegistrationAsync(app, building.Id, building.Rooms["101"], RegistrationStatus.Ended,
            moveIn: today.AddYears(-6), submittedAt: DateTimeOffset.UtcNow.AddYears(-6), moveOut: today.AddYears(-4), name: "冯旧客");
        var living = await NewRegistrationAsync(app, building.Id, building.Rooms["101"], RegistrationStatus.Confirmed, name: "陈现住");

        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<ResidenceRetention>().RunAsync(CancellationToken.None);
        }

        var forgotten = await app.WithDbAsync(db => db.Registrations.AsNoTracking().SingleAsync(r => r.Id == gone.Id));
        var kept = await app.WithDbAsync(db => db.Registrations.AsNoTracking().SingleAsync(r => r.Id == living.Id));
        Assert.Null(forgotten.SubmittedName);
        Assert.Null(forgotten.ContactPhoneCipher);
        Assert.Null(forgotten.ContactPhoneIndex);
        Assert.Equal("陈现住", kept.SubmittedName);
        Assert.NotNull(kept.ContactPhoneIndex);
    }
}
