using Microsoft.EntityFrameworkCore;
using Npgsql;
using SmartDoorplate.Data;

namespace SmartDoorplate.Audit;

public enum ChangeState { Done, NotFound, VersionRequired, Stale, Refused }

// What a change came to: Done with the saved row, or why nothing was saved. A refusal is the
// transition's own answer, in the caller's terms (a problem result, a page outcome).
public sealed record ChangeResult<TEntity, TRefusal>(ChangeState State, TEntity? Entity = null, TRefusal? Refusal = null)
    where TEntity : class where TRefusal : class;

// A row's answer to a requested transition: it refuses, or it has changed itself and says what to
// audit. The audit entries are built after the save, so that a row just added has its id.
public sealed class Transition<TRefusal> where TRefusal : class
{
    private Transition(TRefusal? refusal, Func<IEnumerable<AuditEntry>> audit) => (Refusal, Audit) = (refusal, audit);

    public TRefusal? Refusal { get; }

    public Func<IEnumerable<AuditEntry>> Audit { get; }

    public static Transition<TRefusal> Made(params IReadOnlyList<AuditEntry> audit) => new(null, () => audit);

    public static Transition<TRefusal> Made(Func<AuditEntry> afterSave) => new(null, () => [afterSave()]);

    public static Transition<TRefusal> Refused(TRefusal refusal) => new(refusal, () => []);

    public static implicit operator Transition<TRefusal>(AuditEntry audit) => Made(audit);

    public static implicit operator Transition<TRefusal>(TRefusal refusal) => Refused(refusal);
}

public enum VersionRule { Optional, Required }

// The one way an editable row changes: in one transaction, read it (through the scope filters, so
// another scope's row is not found), check the version the caller saw (xmin; a caller that sent none
// is refused only where the rule requires one), let the row make or refuse its transition, save with
// `where xmin = <as read>` (a change committed since the read is stale), append the audit entries,
// commit. The caller answers each state in its own words and sets the ETag from the saved row.
public static class AuditedChange
{
    public static async Task<ChangeResult<TEntity, TRefusal>> RunAsync<TEntity, TRefusal>(
        SmartDoorplateDb db, AuditTrail audit,
        Func<CancellationToken, Task<TEntity?>> read, Func<TEntity, uint> version, uint? callerVersion, VersionRule rule,
        Func<TEntity, Task<Transition<TRefusal>>> transition, CancellationToken ct, Func<TRefusal>? uniqueViolation = null)
        where TEntity : class where TRefusal : class
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var entity = await read(ct);
        if (entity is null) return new(ChangeState.NotFound);
        // Two people editing one row: the second save must not quietly undo the first.
        if (callerVersion is null && rule == VersionRule.Required) return new(ChangeState.VersionRequired);
        if (callerVersion is not null && callerVersion != version(entity)) return new(ChangeState.Stale);

        var step = await transition(entity);
        if (step.Refusal is { } refusal) return new(ChangeState.Refused, Refusal: refusal);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return new(ChangeState.Stale);
        }
        // A unique index settles a race that the transition's own check could not see.
        catch (DbUpdateException ex) when (uniqueViolation is not null && ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            return new(ChangeState.Refused, Refusal: uniqueViolation());
        }

        foreach (var entry in step.Audit()) await audit.AppendAsync(entry, ct);
        await transaction.CommitAsync(ct);
        return new(ChangeState.Done, entity);
    }
}
