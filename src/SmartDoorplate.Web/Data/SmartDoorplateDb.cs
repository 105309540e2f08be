using Microsoft.EntityFrameworkCore;
using SmartDoorplate.Accounts;
using SmartDoorplate.Audit;
using SmartDoorplate.Doorplates;
using SmartDoorplate.Gis;
using SmartDoorplate.Occupancy;
using SmartDoorplate.Policing.Cases;
using SmartDoorplate.Policing.WatchList;
using SmartDoorplate.Policing.Patrol;
using SmartDoorplate.Policing.Tips;
using SmartDoorplate.Registrations;

namespace SmartDoorplate.Data;

// Migrations live in Data/Migrations. To add one:
//   dotnet tool restore && dotnet ef migrations add NAME -p src/SmartDoorplate.Web -o Data/Migrations
// The caller's scope comes from DI (Accounts/CallerScope.From the HTTP request); contexts built by hand
// (design time, the test template) act as the system. Contexts are pooled (Data/DataServices), so the
// scope is not a constructor argument: the scoped registration sets it on every rent, and a context
// going back to the pool forgets it (sees nothing) until the next caller's is set.
public sealed partial class SmartDoorplateDb(DbContextOptions<SmartDoorplateDb> options)
    : DbContext(options)
{
    private CallerScope scope = CallerScope.System;

    internal void ActFor(CallerScope caller) => scope = caller;

    public override void Dispose()
    {
        scope = CallerScope.Anonymous;
        base.Dispose();
    }

    public override ValueTask DisposeAsync()
    {
        scope = CallerScope.Anonymous;
        return base.DisposeAsync();
    }

    public DbSet<District> Districts => Set<District>();
    public DbSet<PoliceStation> PoliceStations => Set<PoliceStation>();
    public DbSet<CommunityGrid> Grids => Set<CommunityGrid>();
    public DbSet<StandardAddress> Addresses => Set<StandardAddress>();
    public DbSet<Building> Buildings => Set<Building>();
    public DbSet<Room> Rooms => Set<Room>();
    public DbSet<Doorplate> Doorplates => Set<Doorplate>();
    public DbSet<Person> Persons => Set<Person>();
    public DbSet<ResidenceRegistration> Registrations => Set<ResidenceRegistration>();
    public DbSet<BuildingCount> BuildingCounts => Set<BuildingCount>();
    public DbSet<Case> Cases => Set<Case>();
    public DbSet<Tip> Tips => Set<Tip>();
    public DbSet<PatrolVisit> PatrolVisits => Set<PatrolVisit>();
    public DbSet<WatchEntry> WatchEntries => Set<WatchEntry>();
    public DbSet<WatchAlert> WatchAlerts => Set<WatchAlert>();
    public DbSet<User> Users => Set<User>();
    public DbSet<EndedSession> EndedSessions => Set<EndedSession>();
    public DbSet<SignInFailure> SignInFailures => Set<SignInFailure>();
    public DbSet<ReceiptLookUpFailure> ReceiptLookUpFailures => Set<ReceiptLookUpFailure>();
    public DbSet<AuditEvent> AuditEvents => Set<AuditEvent>();
    public DbSet<AuditCheckpoint> AuditCheckpoints => Set<AuditCheckpoint>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasPostgresExtension("postgis");
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(SmartDoorplateDb).Assembly);
        ApplyScopeFilters(modelBuilder);
    }
}
