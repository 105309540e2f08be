using Npgsql;
using SmartDoorplate.Loading.Tables;

namespace SmartDoorplate.Occupancy;

// The SQL of occupancy that runs on a loader's own connection and transaction (the rooms CSV import), where
// there is no DbContext, and like the loader's other statements without a command timeout (BulkCopy.Command).
// RoomsCsvTests and the pilot load pin its result.
public static class OccupancySql
{
    public sealed record BuildingRooms(long Id, int Floors, HashSet<string> ExistingRooms);

    // Only the buildings the file names, with their current room numbers.
    public static async Task<Dictionary<string, BuildingRooms>> BuildingsWithRoomsAsync(NpgsqlConnection connection, string[] codes, CancellationToken cancellationToken)
    {
        var buildings = new Dictionary<string, BuildingRooms>(StringComparer.Ordinal);
        await using var command = BulkCopy.Command("""
            select b.code, b.id, b.floors, r.number
            from buildings b left join rooms r on r.building_id = b.id and r.retired_at is null
            where b.code = any(@codes)
            """, connection);
        command.Parameters.AddWithValue("codes", codes);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var code = reader.GetString(0);
            if (!buildings.TryGetValue(code, out var building))
            {
                building = new BuildingRooms(reader.GetInt64(1), reader.GetInt32(2), []);
                buildings[code] = building;
            }

            if (!reader.IsDBNull(3)) building.ExistingRooms.Add(reader.GetString(3));
        }

        return buildings;
    }
}
