using System.CommandLine;
using Microsoft.Extensions.Options;
using SmartDoorplate.Cli;

namespace SmartDoorplate.Audit;

public static class RetentionCommands
{
    public static Command Retention(IServiceProvider services)
    {
        var dryRun = new Option<bool>("--dry-run") { Description = "list what would be anonymised (ids and counts only) and change nothing" };
        var run = new Command("run", "Anonymise residence records past their retention period, as the daily job does.") { dryRun };
        run.SetAction(async (parseResult, cancellationToken) =>
        {
            // Verbs do not start the host, so ValidateOnStart does not run: check here.
            try { _ = services.GetRequiredService<IOptions<RetentionOptions>>().Value; }
            catch (OptionsValidationException ex) { throw new CommandFailedException(ex.Message); }
            await using var scope = services.CreateAsyncScope();
            var retention = scope.ServiceProvider.GetRequiredService<ResidenceRetention>();
            if (parseResult.GetValue(dryRun))
            {
                foreach (var line in Describe(await retention.PlanAsync(cancellationToken))) Console.WriteLine(line);
            }
            else
            {
                var count = await retention.RunAsync(cancellationToken);
                Console.WriteLine($"anonymised {count} persons");
            }
            return 0;
        });
        return new Command("retention", "Retention of personal data (PIPL Art. 19).") { run };
    }

    public static IEnumerable<string> Describe(RetentionPlan plan)
    {
        yield return "dry run: nothing was changed";
        yield return $"persons to anonymise (every registration ended before {plan.EndedBefore:yyyy-MM-dd}): {plan.PersonIds.Count}";
        foreach (var id in plan.PersonIds) yield return $"  {id:D}";
        yield return $"audit events older than {plan.AuditKeptSince:yyyy-MM-dd}: {plan.AuditEventsPastKeepPeriod} "
            + "(kept: the app never deletes audit events; archiving them is an operator task)";
    }
}
