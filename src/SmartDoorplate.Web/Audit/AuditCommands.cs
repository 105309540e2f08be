using System.CommandLine;
using Npgsql;
using SmartDoorplate.Cli;

namespace SmartDoorplate.Audit;

public static class AuditCommands
{
    public static Command Audit(IServiceProvider services)
    {
        var verify = new Command("verify", "Walk the hash chain of the audit log and report the first broken link.");
        verify.SetAction(async (_, cancellationToken) =>
        {
            var report = await AuditVerifier.VerifyAsync(services.GetRequiredService<NpgsqlDataSource>(), cancellationToken);
            if (!report.Intact) throw new CommandFailedException(report.ToString());
            Console.WriteLine(report);
            return 0;
        });
        return new Command("audit", "The tamper-evident audit log (数据铁笼).") { verify };
    }
}
