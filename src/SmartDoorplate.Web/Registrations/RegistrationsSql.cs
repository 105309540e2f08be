using Microsoft.EntityFrameworkCore;
using Npgsql;
using SmartDoorplate.Data;
using SmartDoorplate.Loading.Tables;
using SmartDoorplate.Privacy;

namespace SmartDoorplate.Registrations;

// The SQL of registrations, in one place. It stays SQL where EF cannot say it: an upsert (ON CONFLICT)
// that counts in one statement, so that concurrent look-ups from several instances all count
// (ReceiptLookUpLimitTests pins its results); and the residents CSV import's look-ups, which run on the
// loader's own connection and transaction, where there is no DbContext (ResidentsCsv and pilot tests), and
// like the loader's other statements without a command timeout (BulkCopy.Command).
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

    // Only the buildings the file names: their owner (who confirmed), the first police officer of
    // their station (who verified) and their room numbers.
    public static async Task<Dictionary<string, ResidentsCsv.BuildingContext>> BuildingsForImportAsync(NpgsqlConnection connection, string[] codes, CancellationToken cancellationToken)
    {
        var buildings = new Dictionary<string, ResidentsCsv.BuildingContext>(StringComparer.Ordinal);
        await using var command = BulkCopy.Command("""
            select b.code, b.id, b.owner_id,
                   (select min(u.id) from users u where u.station_id = g.station_id and u.role = 'police_officer'),
                   r.number, r.id
            from buildings b
            join community_grids g on g.id = b.grid_id
            left join rooms r on r.building_id = b.id and r.retired_at is null
            where b.code = any(@codes)
            """, connection);
        command.Parameters.AddWithValue("codes", codes);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var code = reader.GetString(0);
            if (!buildings.TryGetValue(code, out var building))
            {
                building = new ResidentsCsv.BuildingContext(reader.GetInt64(1), reader.IsDBNull(2) ? null : reader.GetInt64(2),
                    reader.IsDBNull(3) ? null : reader.GetInt64(3), new Dictionary<string, long>(StringComparer.Ordinal));
                buildings[code] = building;
            }

            if (!reader.IsDBNull(4)) building.RoomIds[reader.GetString(4)] = reader.GetInt64(5);
        }

        return buildings;
    }

    // People already registered (by blind index) keep their person row; their new registrations point at it.
    public static async Task<Dictionary<string, Guid>> ExistingPersonsAsync(
        NpgsqlConnection connection, PersonalDataProtector protector, IEnumerable<string> idNumbers, CancellationToken cancellationToken)
    {
        var byIndex = idNumbers.ToDictionary(n => Convert.ToBase64String(protector.BlindIndex(n)), n => n);
        var found = new Dictionary<string, Guid>(StringComparer.Ordinal);
        if (byIndex.Count == 0) return found;
        await using var command = BulkCopy.Command("select id_number_index, id from persons where id_number_index = any(@indexes)", connection);
        command.Parameters.AddWithValue("indexes", byIndex.Keys.Select(Convert.FromBase64String).ToArray());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            found[byIndex[Convert.ToBase64String(reader.GetFieldValue<byte[]>(0))]] = reader.GetGuid(1);
        }

        return found;
    }
}
