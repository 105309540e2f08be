using Microsoft.EntityFrameworkCore;
using SmartDoorplate.Data;

namespace SmartDoorplate.Registrations;

// The SQL of registrations, in one place. It stays SQL because EF cannot say it: an upsert (ON
// CONFLICT) that counts in one statement, so that concurrent look-ups from several instances all
// count. ReceiptLookUpLimitTests pins its results.
public static class RegistrationsSql
{
    // One more wrong phone for this receipt in the window that started after windowStart (a new window,
    // starting now, once the last is over); returns the count after it.
    public static async Task<int> CountReceiptFailureAsync(SmartDoorplateDb db, string receipt, DateTimeOffset now, DateTimeOffset windowStart,
        CancellationToken ct)
    {
        var failures = await db.Database.SqlQuery<int>($"""
            insert into receipt_look_up_failures (receipt, window_started_at, failures) values ({receipt}, {now}, 1)
            on conflict (receipt) do update set
                failures = case when receipt_look_up_failures.window_started_at <= {windowStart} then 1 else receipt_look_up_failures.failures + 1 end,
                window_started_at = case when receipt_look_up_failures.window_started_at <= {windowStart} then {now} else receipt_look_up_failures.window_started_at end
            returning failures as "Value"
            """).ToListAsync(ct);
        return failures.Single();
    }
}
