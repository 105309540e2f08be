using Microsoft.EntityFrameworkCore;
using SmartDoorplate.Accounts;
using SmartDoorplate.Doorplates;
using SmartDoorplate.Gis;
using SmartDoorplate.Occupancy;
using SmartDoorplate.Policing.Cases;
using SmartDoorplate.Policing.WatchList;
using SmartDoorplate.Policing.Patrol;
using SmartDoorplate.Policing.Tips;
using SmartDoorplate.Registrations;

namespace SmartDoorplate.Data;

// Authorization by place, in one place: every query of buildings, rooms, plates, registrations,
// persons and cases is filtered by the caller's jurisdiction (a station sees its grids, a district
// its stations) or ownership (a landlord sees their own buildings). Out-of-scope rows simply do not
// exist for the caller, which is why the API answers 404, never 403.
public sealed partial class SmartDoorplateDb
{
    // Flat properties because EF parameterises members of the context itself in query filters.
    private bool ScopeSeesEverything => scope.SeesEverything;
    private long? ScopeStationId => scope.Kind == ScopeKind.Station ? scope.StationId : null;
    private long? ScopeDistrictId => scope.Kind == ScopeKind.District ? scope.DistrictId : null;
    private long? ScopeLandlordId => scope.Kind == ScopeKind.Landlord ? scope.UserId : null;
    private bool ScopeIsPolice => scope.Kind is ScopeKind.Station or ScopeKind.District;

    public CallerScope Scope => scope;

    private void ApplyScopeFilters(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Building>().HasQueryFilter(b =>
            ScopeSeesEverything
            || (ScopeStationId != null && b.Grid!.StationId == ScopeStationId)
            || (ScopeDistrictId != null && b.Grid!.Station!.DistrictId == ScopeDistrictId)
            || (ScopeLandlordId != null && b.OwnerId == ScopeLandlordId));

        modelBuilder.Entity<Room>().HasQueryFilter(r =>
            ScopeSeesEverything
            || (ScopeStationId != null && r.Building!.Grid!.StationId == ScopeStationId)
            || (ScopeDistrictId != null && r.Building!.Grid!.Station!.DistrictId == ScopeDistrictId)
            || (ScopeLandlordId != null && r.Building!.OwnerId == ScopeLandlordId));

        modelBuilder.Entity<Doorplate>().HasQueryFilter(d =>
            ScopeSeesEverything
            || (ScopeStationId != null && d.Building!.Grid!.StationId == ScopeStationId)
            || (ScopeDistrictId != null && d.Building!.Grid!.Station!.DistrictId == ScopeDistrictId)
            || (ScopeLandlordId != null && d.Building!.OwnerId == ScopeLandlordId));

        modelBuilder.Entity<ResidenceRegistration>().HasQueryFilter(r =>
            ScopeSeesEverything
            || (ScopeStationId != null && r.Building!.Grid!.StationId == ScopeStationId)
            || (ScopeDistrictId != null && r.Building!.Grid!.Station!.DistrictId == ScopeDistrictId)
            || (ScopeLandlordId != null && r.Building!.OwnerId == ScopeLandlordId));

        modelBuilder.Entity<BuildingCount>().HasQueryFilter(c =>
            ScopeSeesEverything
            || (ScopeStationId != null && c.Building!.Grid!.StationId == ScopeStationId)
            || (ScopeDistrictId != null && c.Building!.Grid!.Station!.DistrictId == ScopeDistrictId)
            || (ScopeLandlordId != null && c.Building!.OwnerId == ScopeLandlordId));

        // A person is visible through a visible registration: an officer sees the people who live
        // or lived in their area, a landlord their own tenants.
        modelBuilder.Entity<Person>().HasQueryFilter(p =>
            ScopeSeesEverything
            || Set<ResidenceRegistration>().Any(r => r.PersonId == p.Id));

        modelBuilder.Entity<Tip>().HasQueryFilter(t =>
            ScopeSeesEverything
            || (ScopeIsPolice && ScopeStationId != null && t.Building!.Grid!.StationId == ScopeStationId)
            || (ScopeIsPolice && ScopeDistrictId != null && t.Building!.Grid!.Station!.DistrictId == ScopeDistrictId));

        // Patrol visits are police data too, seen by the police of the building's scope.
        modelBuilder.Entity<PatrolVisit>().HasQueryFilter(v =>
            ScopeSeesEverything
            || (ScopeIsPolice && ScopeStationId != null && v.Building!.Grid!.StationId == ScopeStationId)
            || (ScopeIsPolice && ScopeDistrictId != null && v.Building!.Grid!.Station!.DistrictId == ScopeDistrictId));
        // A watch-list alert belongs to the station of the building it was raised for (its own
        // station_id, so the list of a station's alerts needs no join); the list itself has no filter
        // and is guarded by its endpoints' roles.
        modelBuilder.Entity<WatchAlert>().HasQueryFilter(a =>
            ScopeSeesEverything
            || (ScopeIsPolice && ScopeStationId != null && a.StationId == ScopeStationId)
            || (ScopeIsPolice && ScopeDistrictId != null && a.Station!.DistrictId == ScopeDistrictId));

        // Cases are police data: landlords and anonymous callers see none.
        modelBuilder.Entity<Case>().HasQueryFilter(c =>
            ScopeSeesEverything
            || (ScopeIsPolice && ScopeStationId != null && c.Grid!.StationId == ScopeStationId)
            || (ScopeIsPolice && ScopeDistrictId != null && c.Grid!.Station!.DistrictId == ScopeDistrictId));
    }
}
