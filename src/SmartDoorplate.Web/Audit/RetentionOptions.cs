using Microsoft.Extensions.Options;

namespace SmartDoorplate.Audit;

// PIPL Art. 19: personal information is kept no longer than its purpose needs; Art. 47 and 56 (impact
// assessment records, "at least three years") and this project's rule keep the audit trail three
// years or more. Configuration below that floor is refused at start-up.
public sealed class RetentionOptions
{
    public const string Section = "Retention";
    public const int MinimumKeepAuditYears = 3;

    // A person is anonymised when every one of their registrations ended this many years ago.
    public int AnonymiseResidenceAfterYears { get; set; } = 3;

    // The app never deletes audit rows (the chain must stay verifiable); this is how long they must
    // stay in the live database before an operator may archive them, and what the dry run reports.
    public int KeepAuditYears { get; set; } = MinimumKeepAuditYears;

    public bool Scheduled { get; set; } = true;
    public TimeSpan RunEvery { get; set; } = TimeSpan.FromDays(1);

    // Persons anonymised per transaction (and audit event), so a first run over years of data holds
    // no lock for long.
    public int BatchSize { get; set; } = 500;
}

public sealed class RetentionOptionsValidation : IValidateOptions<RetentionOptions>
{
    public ValidateOptionsResult Validate(string? name, RetentionOptions options)
    {
        var failures = new List<string>();
        if (options.KeepAuditYears < RetentionOptions.MinimumKeepAuditYears)
            failures.Add($"Retention:KeepAuditYears is {options.KeepAuditYears}; audit events must be kept at least {RetentionOptions.MinimumKeepAuditYears} years.");
        if (options.AnonymiseResidenceAfterYears < 1)
            failures.Add($"Retention:AnonymiseResidenceAfterYears is {options.AnonymiseResidenceAfterYears}; it must be at least 1.");
        if (options.BatchSize < 1)
            failures.Add($"Retention:BatchSize is {options.BatchSize}; it must be at least 1.");
        if (options.RunEvery < TimeSpan.FromMinutes(1))
            failures.Add($"Retention:RunEvery is {options.RunEvery}; it must be at least a minute.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
