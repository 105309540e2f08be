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
            // No time limit: a migration that rewrites a table (a new generated column) or builds an
            // index runs as long as the table is big, a minute or more for a city's million cases;
            // cutting it at the 30 s default leaves the database where it was and the deploy failed.
            db.Database.SetCommandTimeout(0);   // 0: no limit (Npgsql)
            await db.Database.MigrateAsync(cancellationToken);
            Console.WriteLine("database is up to date");
            return 0;
        });
        return command;
    }
}
