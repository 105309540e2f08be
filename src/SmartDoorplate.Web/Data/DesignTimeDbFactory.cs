using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace SmartDoorplate.Data;

// Lets `dotnet ef migrations add` build the model without a running database.
public sealed class DesignTimeDbFactory : IDesignTimeDbContextFactory<SmartDoorplateDb>
{
    public SmartDoorplateDb CreateDbContext(string[] args) => new(new DbContextOptionsBuilder<SmartDoorplateDb>()
        .UseNpgsql("Host=127.0.0.1;Database=design_time", npgsql => npgsql.UseNetTopologySuite())
        .UseSnakeCaseNamingConvention()
        .Options);
}
