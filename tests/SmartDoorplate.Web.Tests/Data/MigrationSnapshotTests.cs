using Microsoft.EntityFrameworkCore;
using Npgsql;
using SmartDoorplate.Data;
using SmartDoorplate.Web.Tests.Infrastructure;

namespace SmartDoorplate.Web.Tests.Data;

public sealed class MigrationSnapshotTests
{
    // Features add migrations side by side; a model snapshot merged wrongly would make the next
    // `dotnet ef migrations add` drop or re-create someone else's tables.
    [Fact]
    public void TheMigrationsDescribeTheWholeModel()
    {
        using var dataSource = TestDatabase.OwnerDataSource("postgres");
        using var db = TestDatabase.OwnerContext(dataSource);

        Assert.False(db.Database.HasPendingModelChanges());
    }
}
