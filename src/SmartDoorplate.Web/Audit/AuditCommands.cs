using System.CommandLine;
using SmartDoorplate.Cli;

namespace SmartDoorplate.Audit;

public static class AuditCommands
{
    public static Command Audit(IServiceProvider services)
    {
        var verify = new Command("verify",
            "Walk the keyed chain of the audit log, check every signed checkpoint and the anchor file, and report the first broken link.");
        verify.SetAction(async (_, cancellationToken) =>
        {
            AuditChainReport report;
            try
            {
                report = await services.GetRequiredService<AuditChain>().VerifyAsync(cancellationToken);
            }
            // A missing key or an unreadable anchor: one line saying which, not a stack trace.
            catch (Exception ex) when (ex is InvalidDataException or InvalidOperationException)
            {
                throw new CommandFailedException(ex.Message);
            }
            if (!report.Intact) throw new CommandFailedException(report.ToString());
            Console.WriteLine(report);
            return 0;
        });
        return new Command("audit", "The tamper-evident audit log (数据铁笼).") { verify };
    }
}
