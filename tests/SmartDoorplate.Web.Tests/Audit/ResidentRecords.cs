using Microsoft.Extensions.DependencyInjection;
using NetTopologySuite.Geometries;
using SmartDoorplate.Data;
using SmartDoorplate.Gis;
using SmartDoorplate.Privacy;
using SmartDoorplate.Registrations;
using SmartDoorplate.Web.Tests.Infrastructure;

namespace SmartDoorplate.Web.Tests.Audit;

public sealed record Resident(Guid PersonId, string Receipt, string Phone)
{
    public string PersonTargetId => PersonId.ToString("D");
}

// Persons registered in a building of a jurisdiction of their own. Codes are unique per call, so
// tests sharing a database never collide.
public sealed class ResidentRecords(AppFactory app)
{
    private static int sequence = Random.Shared.Next(100_000, 800_000);

    public async Task<long> NewBuildingAsync()
    {
        var n = Interlocked.Increment(ref sequence);
        var area = Area(106.60 + n % 1000 * 0.0001, 26.60);
        return await app.WithDbAsync(async db =>
        {
            var district = new District { Code = n.ToString("D6"), Name = $"测试区{n}", Boundary = area };
            var station = new PoliceStation { District = district, Code = $"ST{n}", Name = $"测试派出所{n}", Hotline = "0851-12345678", Boundary = area };
            var grid = new CommunityGrid { Station = station, Code = $"GR{n}", Name = $"测试网格{n}", Boundary = area };
            var address = new StandardAddress { DistrictCode = district.Code, Street = "测试街道", Community = "测试社区", Road = "测试路", Number = $"{n}号", FullText = $"测试区测试路{n}号" };
            var building = new Building
            {
                Code = $"B{n}", Address = address, Grid = grid, Floors = 3, Use = BuildingUse.RentalHouse,
                Footprint = (Polygon)area.Geometries[0], Entrance = Geo.Point(area.Centroid.X, area.Centroid.Y),
            };
            db.AddRange(district, station, grid, address, building);
            await db.SaveChangesAsync();
            return building.Id;
        });
    }

    // A new person with one registration; moved out when moveOut is given.
    public async Task<Resident> RegisterAsync(long buildingId, DateOnly moveIn, DateOnly? moveOut = null)
    {
        var n = Interlocked.Increment(ref sequence);
        var phone = $"139{n:D8}";
        var protector = app.Services.GetRequiredService<PersonalDataProtector>();
        var person = NewPerson(protector, $"测试{n}", phone);
        await app.WithDbAsync(async db =>
        {
            db.Persons.Add(person);
            await db.SaveChangesAsync();
        });
        var receipt = await AddRegistrationAsync(person.Id, buildingId, moveIn, moveOut);
        return new Resident(person.Id, receipt, phone);
    }

    // Another registration of the same person (they moved house); returns its receipt.
    public async Task<string> AddRegistrationAsync(Guid personId, long buildingId, DateOnly moveIn, DateOnly? moveOut = null)
    {
        var n = Interlocked.Increment(ref sequence);
        var registration = new ResidenceRegistration
        {
            Id = Guid.NewGuid(),
            Receipt = RegistrationReceipt.New(),
            PersonId = personId,
            BuildingId = buildingId,
            RoomLabel = "101",
            MoveInDate = moveIn,
            MoveOutDate = moveOut,
            Reason = ResidenceReason.Work,
            Employer = "测试公司",
            Status = moveOut is null ? RegistrationStatus.Confirmed : RegistrationStatus.Ended,
            Channel = RegistrationChannel.Scan,
        };
        await app.WithDbAsync(async db =>
        {
            db.Registrations.Add(registration);
            await db.SaveChangesAsync();
        });
        return registration.Receipt;
    }

    private static Person NewPerson(PersonalDataProtector protector, string name, string phone) => new()
    {
        Id = Guid.NewGuid(),
        Name = name,
        // Any 18 characters will do: these tests are about the record, not the ID number rules.
        IdNumberCipher = protector.Encrypt("52010219900307" + Random.Shared.Next(1000, 9999)),
        IdNumberIndex = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32),
        PhoneCipher = protector.Encrypt(phone),
        PhoneIndex = protector.BlindIndex(phone),
        Sex = Sex.Female,
        BirthDate = new DateOnly(1990, 3, 7),
        OriginRegionCode = "520102",
    };

    private static MultiPolygon Area(double west, double south) =>
        Geo.Factory.CreateMultiPolygon([Geo.Factory.CreatePolygon([
            new(west, south), new(west + 0.0001, south), new(west + 0.0001, south + 0.0001), new(west, south + 0.0001), new(west, south)])]);
}
