using Microsoft.EntityFrameworkCore;
using SmartDoorplate.Data;

namespace SmartDoorplate.Policing.Patrol;

// The patrol statement that stays SQL: an advisory lock has no LINQ form. Parameterised; what it
// guards is pinned by PatrolTests.ThreeSimultaneousTapsStoreOneCheckIn.
public static class PatrolSql
{
    private const string LockOfficerAtBuilding = "select pg_advisory_xact_lock(hashtextextended({0}, 0))";

    // One officer at one building at a time, until the caller's transaction ends.
    public static async Task LockOfficerAtBuildingAsync(SmartDoorplateDb db, long officerId, long buildingId, CancellationToken ct) =>
        await db.Database.ExecuteSqlRawAsync(LockOfficerAtBuilding, [$"patrol:{officerId}:{buildingId}"], ct);
}
