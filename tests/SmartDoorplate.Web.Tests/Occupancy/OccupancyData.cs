using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NetTopologySuite.Geometries;
using SmartDoorplate.Analytics.Identity;
using SmartDoorplate.Data;
using SmartDoorplate.Doorplates;
using SmartDoorplate.Gis;
using SmartDoorplate.Occupancy;
using SmartDoorplate.Privacy;
using SmartDoorplate.Registrations;
using SmartDoorplate.Web.Tests.Infrastructure;

namespace SmartDoorplate.Web.Tests.Occupancy;

public sealed record TestBuilding(long Id, string Code, string PlateCode, IReadOnlyDictionary<string, long> Rooms);

public sealed record TestRegistration(Guid Id, Guid PersonId, string Receipt, string IdNumber, string Phone, string Name);

// Each test makes its own buildings, rooms, people and registrations (unique codes, ID numbers and
// phones), so that tests sharing a class database never count each other's rows.
public static class OccupancyData
{
    private static int sequence = Random.Shared.Next(0, 400);

    // A made-up, valid GB 11643 number (the check digit computed by the standard's rule).
    public static string NewIdNumber(string region = "522624")
    {
        var n = Interlocked.Increment(ref sequence);
        var birth = new DateOnly(1965, 1, 1).AddDays(n * 37 % 12000);
        var first17 = region + birth.ToString("yyyyMMdd", CultureInfo.InvariantCulture) + (n % 1000).ToString("000", CultureInfo.InvariantCulture);
        return first17 + ResidentIdNumber.ComputeCheckDigit(first17);
    }

    public static string NewPhone() => "139" + (10_000_000 + Interlocked.Increment(ref sequence) * 7919 % 89_999_999).ToString(CultureInfo.InvariantCulture);

    public static string Day(int offsetFromToday) =>
        DateOnly.FromDateTime(DateTime.Today.AddDays(offsetFromToday)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static async Task<TestBuilding> NewBuildingAsync(
        AppFactory app, string owner = "t.landlord.a", string gridCode = "T-A-01", params (string Number, int Beds)[] rooms)
    {
        return await app.WithDbAsync(async db =>
        {
            var grid = await db.Grids.SingleAsync(g => g.Code == gridCode);
            var ownerId = await db.Users.Where(u => u.UserName == owner).Select(u => u.Id).SingleAsync();
            var code = "T-L-" + Guid.NewGuid().ToString("N")[..10].ToUpperInvariant();
            var lon = grid.Boundary.Centroid.X + Random.Shared.NextDouble() * 0.01;
            var lat = grid.Boundary.Centroid.Y + Random.Shared.NextDouble() * 0.01;
            var building = new Building
            {
                Code = code, GridId = grid.Id, OwnerId = ownerId, Floors = 4, Use = BuildingUse.RentalHouse,
                Address = new StandardAddress
                {
                    DistrictCode = "520103", Street = "黔灵镇", Community = "测试村", Road = "房东路", Number = code,
                    FullText = StandardAddress.Compose("云岩区", "黔灵镇", "测试村", "房东路", code),
                },
                Footprint = (Polygon)TestWorld.Box(lon, lat, lon + 0.0001, lat + 0.0001).GetGeometryN(0),
                Entrance = Geo.Point(lon, lat),
            };
            db.Buildings.Add(building);
            var roomRows = rooms.Select(r => new Room { Building = building, Floor = 1, Number = r.Number, Beds = r.Beds }).ToList();
            db.Rooms.AddRange(roomRows);
            var plate = new Doorplate { Building = building, Code = DoorplateCode.New(), Version = 1, IssuedAt = DateTimeOffset.UtcNow.AddDays(-10) };
            db.Doorplates.Add(plate);
            await db.SaveChangesAsync();
            return new TestBuilding(building.Id, code, plate.Code, roomRows.ToDictionary(r => r.Number, r => r.Id));
        });
    }

    public static async Task<TestRegistration> NewRegistrationAsync(
        AppFactory app, long buildingId, long? roomId, RegistrationStatus status, DateOnly? moveIn = null,
        DateTimeOffset? submittedAt = null, string region = "522624", string? name = null, Guid? personId = null, DateOnly? moveOut = null)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SmartDoorplateDb>();
        var protector = scope.ServiceProvider.GetRequiredService<PersonalDataProtector>();
        var idNumber = NewIdNumber(region);
        var phone = NewPhone();
        var parsed = ResidentIdNumber.Validate(idNumber, DateOnly.FromDateTime(DateTime.Today)).Number!;
        Person person;
        if (personId is { } existing)
        {
            person = await db.Persons.SingleAsync(p => p.Id == existing);
        }
        else
        {
            person = new Person
            {
                Id = Guid.CreateVersion7(), Name = name ?? "测试租户", Sex = parsed.Sex == Analytics.Identity.Sex.Male ? SmartDoorplate.Registrations.Sex.Male : SmartDoorplate.Registrations.Sex.Female,
                BirthDate = parsed.BirthDate, OriginRegionCode = parsed.RegionCode,
                IdNumberCipher = protector.Encrypt(idNumber), IdNumberIndex = protector.BlindIndex(idNumber),
                PhoneCipher = protector.Encrypt(phone), PhoneIndex = protector.BlindIndex(phone),
            };
            db.Persons.Add(person);
        }

        var submitted = submittedAt ?? DateTimeOffset.UtcNow.AddHours(-2);
        var registration = new ResidenceRegistration
        {
            Id = Guid.CreateVersion7(), Receipt = RegistrationReceipt.New(), Person = person, BuildingId = buildingId, RoomId = roomId,
            MoveInDate = moveIn ?? DateOnly.FromDateTime(DateTime.Today.AddDays(-5)), Reason = ResidenceReason.Work,
            Status = status, Channel = RegistrationChannel.Api, SubmittedAt = submitted, SubmittedName = person.Name,
            ContactPhoneCipher = protector.Encrypt(phone), ContactPhoneIndex = protector.BlindIndex(phone),
            ConfirmedAt = status is RegistrationStatus.Confirmed or RegistrationStatus.Verified ? submitted.AddHours(1) : null,
            VerifiedAt = status == RegistrationStatus.Verified ? submitted.AddHours(2) : null,
            EndedAt = status == RegistrationStatus.Ended ? submitted.AddHours(3) : null,
            EndReason = status == RegistrationStatus.Ended ? EndReason.MovedOut : null,
            MoveOutDate = status == RegistrationStatus.Ended ? moveOut ?? DateOnly.FromDateTime(DateTime.Today.AddDays(-1)) : null,
            RejectedAt = status == RegistrationStatus.Rejected ? submitted.AddHours(1) : null,
        };
        db.Registrations.Add(registration);
        await db.SaveChangesAsync();
        return new TestRegistration(registration.Id, person.Id, registration.Receipt, idNumber, phone, person.Name);
    }
}
