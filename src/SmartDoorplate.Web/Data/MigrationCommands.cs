using System.CommandLine;
using Microsoft.EntityFrameworkCore;

namespace SmartDoorplate.Data;

public static class MigrationCommands
{
    public static Command Migrate(IServiceProvider services)
    {
        var command = new Command("migrate", "Apply the EF Core migrations to the configured database.");
        command.SetAction(async (_, cancellationToken) =>
        {
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<SmartDoorplateDb>();
            await db.Database.MigrateAsync(cancellationToken);
            Console.WriteLine("database is up to date");
            return 0;
        });
        return command;
    }
}
