using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using SmartDoorplate.Gis;
using SmartDoorplate.Loading.Pilot;
using SmartDoorplate.Privacy;
using SmartDoorplate.Web.Tests.Pilot;

namespace SmartDoorplate.Web.Tests.Infrastructure;

// The app on its own database with the committed pilot data set (改茶村) and its demo accounts.
public class PilotAppFactory : AppFactory
{
    public const string DemoPassword = "Test-Pilot-2026!";

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var result = await PilotDataLoader.LoadAsync(
            Services.GetRequiredService<NpgsqlDataSource>(), Services.GetRequiredService<PersonalDataProtector>(),
            PilotData.Directory, DemoPassword, TimeProvider.System, null, CancellationToken.None);
        if (!result.Succeeded) throw new InvalidOperationException(string.Join(Environment.NewLine, result.Problems));
    }
}
