using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using NetTopologySuite.Geometries;
using SmartDoorplate.Accounts;
using SmartDoorplate.Data;
using SmartDoorplate.Doorplates;
using SmartDoorplate.Gis;
using SmartDoorplate.Occupancy;
using SmartDoorplate.Policing.Cases;
using SmartDoorplate.Privacy;
using SmartDoorplate.Registrations;

namespace SmartDoorplate.Web.Tests.Infrastructure;

// Two police stations side by side in one district, each with a grid, a landlord's building,
// a tenant and a case — enough to test every role against its own and the other's scope.
public sealed class TestWorld
{
    public const string Password = "Test-password-2026";

    public required long StationA { get; init; }
    public required long StationB { get; init; }
    public required long BuildingA { get; init; }
    public required long BuildingB { get; init; }
    public required Guid PersonA { get; init; }
    public required Guid PersonB { get; init; }
    public required Guid RegistrationA { get; init; }
    public required Guid RegistrationB { get; init; }
    public required string PersonAName { get; init; }
    public required string PersonBName { get; init; }
    public required string PersonAIdNumber { get; init; }
    public required string PersonAPhone { get; init; }
    public required string PlateA { get; init; }
    public required string RevokedPlateA { get; init; }
    public required string PlateB { get; init; }

    // Valid GB 11643 numbers made up for tests (check digits computed by the standard's rule).
    public const string IdNumberA = "520102199003071236";
    public const string IdNumberB = "510104198811230027";

    public static async Task<TestWorld> CreateAsync(AppFactory app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SmartDoorplateDb>();
        var protector = scope.ServiceProvider.GetRequiredService<PersonalDataProtector>();
        var hasher = scope.ServiceProvider.GetRequiredService<IPasswordHasher<User>>();

        var district = new District { Code = "520103", Name = "云岩区", Boundary = Box(106.60, 26.55, 106.80, 26.70) };
        var stationA = new PoliceStation { District = district, Code = "T-A", Name = "测试甲派出所", Hotline = "0851-80000001", Boundary = Box(106.60, 26.55, 106.70, 26.70) };
        var stationB = new PoliceStation { District = district, Code = "T-B", Name = "测试乙派出所", Hotline = "0851-80000002", Boundary = Box(106.70, 26.55, 106.80, 26.70) };
        var gridA = new CommunityGrid { Station = stationA, Code = "T-A-01", Name = "甲网格", Boundary = Box(106.60, 26.55, 106.70, 26.70) };
        var gridB = new CommunityGrid { Station = stationB, Code = "T-B-01", Name = "乙网格", Boundary = Box(106.70, 26.55, 106.80, 26.70) };
        db.AddRange(district, stationA, stationB, gridA, gridB);

        User NewUser(string name, Role role, PoliceStation? station = null)
        {
            var user = new User { UserName = name, DisplayName = name, Role = role, Station = station };
            user.PasswordHash = hasher.HashPassword(user, Password);
            db.Users.Add(user);
            return user;
        }
        NewUser("t.admin", Role.Admin);
        NewUser("t.officer.a", Role.PoliceOfficer, stationA);
        NewUser("t.officer.b", Role.PoliceOfficer, stationB);
        NewUser("t.chief.a", Role.StationChief, stationA);
        var landlordA = NewUser("t.landlord.a", Role.Landlord);
        var landlordB = NewUser("t.landlord.b", Role.Landlord);

        var buildingA = NewBuilding("T-A-0001", gridA, landlordA, 106.65, 26.62);
        var buildingB = NewBuilding("T-B-0001", gridB, landlordB, 106.75, 26.62);
        var roomA = new Room { Building = buildingA, Floor = 1, Number = "101", Beds = 2 };
        var roomB = new Room { Building = buildingB, Floor = 1, Number = "101", Beds = 2 };
        db.AddRange(roomA, roomB);

        var personA = NewPerson("王小明", IdNumberA, "13800138000", Sex.Male, new DateOnly(1990, 3, 7), "520102");
        var personB = NewPerson("李小红", IdNumberB, "13912345678", Sex.Female, new DateOnly(1988, 11, 23), "510104");
        var registrationA = NewRegistration(personA, buildingA, roomA, "T-RECEIPT-A");
        var registrationB = NewRegistration(personB, buildingB, roomB, "T-RECEIPT-B");

        var revokedPlateA = new Doorplate { Building = buildingA, Code = DoorplateCode.New(), Version = 1, IssuedAt = DateTimeOffset.UtcNow.AddYears(-1), RevokedAt = DateTimeOffset.UtcNow.AddDays(-30) };
        var plateA = new Doorplate { Building = buildingA, Code = DoorplateCode.New(), Version = 2, IssuedAt = DateTimeOffset.UtcNow.AddDays(-30) };
        var plateB = new Doorplate { Building = buildingB, Code = DoorplateCode.New(), Version = 1, IssuedAt = DateTimeOffset.UtcNow.AddYears(-1) };
        db.Doorplates.AddRange(revokedPlateA, plateA, plateB);

        db.Cases.Add(new Case { CaseNumber = "T-CASE-A", Type = CaseType.Theft, OccurredAt = DateTimeOffset.UtcNow.AddDays(-3), Location = Geo.Point(106.65, 26.62), Grid = gridA });
        db.Cases.Add(new Case { CaseNumber = "T-CASE-B", Type = CaseType.Theft, OccurredAt = DateTimeOffset.UtcNow.AddDays(-3), Location = Geo.Point(106.75, 26.62), Grid = gridB });
        await db.SaveChangesAsync();

        return new TestWorld
        {
            StationA = stationA.Id, StationB = stationB.Id, BuildingA = buildingA.Id, BuildingB = buildingB.Id,
            PersonA = personA.Id, PersonB = personB.Id, RegistrationA = registrationA.Id, RegistrationB = registrationB.Id,
            PersonAName = personA.Name, PersonBName = personB.Name, PersonAIdNumber = IdNumberA, PersonAPhone = "13800138000",
            PlateA = plateA.Code, RevokedPlateA = revokedPlateA.Code, PlateB = plateB.Code,
        };

        Building NewBuilding(string code, CommunityGrid grid, User owner, double lon, double lat)
        {
            var address = new StandardAddress
            {
                DistrictCode = "520103", Street = "黔灵镇", Community = "测试村", Road = "测试路", Number = code,
                FullText = StandardAddress.Compose("云岩区", "黔灵镇", "测试村", "测试路", code),
            };
            var building = new Building
            {
                Code = code, Address = address, Grid = grid, Owner = owner, Floors = 3, Use = BuildingUse.RentalHouse,
                Footprint = (Polygon)Box(lon, lat, lon + 0.0001, lat + 0.0001).GetGeometryN(0), Entrance = Geo.Point(lon, lat),
            };
            db.Buildings.Add(building);
            return building;
        }

        Person NewPerson(string name, string idNumber, string phone, Sex sex, DateOnly birth, string region)
        {
            var person = new Person
            {
                Id = Guid.CreateVersion7(), Name = name, Sex = sex, BirthDate = birth, OriginRegionCode = region,
                IdNumberCipher = protector.Encrypt(idNumber), IdNumberIndex = protector.BlindIndex(idNumber),
                PhoneCipher = protector.Encrypt(phone), PhoneIndex = protector.BlindIndex(phone),
            };
            db.Persons.Add(person);
            return person;
        }

        ResidenceRegistration NewRegistration(Person person, Building building, Room room, string receipt)
        {
            var registration = new ResidenceRegistration
            {
                Id = Guid.CreateVersion7(), Receipt = receipt, Person = person, Building = building, Room = room,
                MoveInDate = new DateOnly(2026, 1, 10), Reason = ResidenceReason.Work, Status = RegistrationStatus.Submitted,
                Channel = RegistrationChannel.Api, SubmittedAt = DateTimeOffset.UtcNow,
            };
            db.Registrations.Add(registration);
            return registration;
        }
    }

    public static MultiPolygon Box(double minLon, double minLat, double maxLon, double maxLat) =>
        Geo.Factory.CreateMultiPolygon([Geo.Factory.CreatePolygon([
            new(minLon, minLat), new(maxLon, minLat), new(maxLon, maxLat), new(minLon, maxLat), new(minLon, minLat)])]);
}

public static class SignInExtensions
{
    // Any factory of the app: a fixture, or one derived from it with other settings (WithWebHostBuilder).
    public static async Task<HttpClient> SignedInClientAsync(this Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> app,
        string userName, string password = TestWorld.Password)
    {
        var client = app.CreateClient();
        var response = await client.PostAsJsonAsync("/api/auth/login", new { username = userName, password });
        response.EnsureSuccessStatusCode();
        var login = await response.Content.ReadFromJsonAsync<LoginResponse>();
        // A fresh client so the bearer token, not the session cookie, is what authenticates.
        var api = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { HandleCookies = false });
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", login!.Token);
        return api;
    }
}
