using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using NetTopologySuite.Geometries;
using SmartDoorplate.Accounts;
using SmartDoorplate.Data;

namespace SmartDoorplate.Gis;

public enum BuildingUse { RentalHouse, Residential, Shop, Other }

// 标准地址: the structured address a doorplate prints and a search matches.
public sealed class StandardAddress
{
    public long Id { get; set; }
    public required string DistrictCode { get; set; }
    public required string Street { get; set; }          // 街道/镇
    public required string Community { get; set; }       // 社区/村
    public required string Road { get; set; }            // 路/街/巷
    public required string Number { get; set; }          // 门牌号, e.g. 12号
    public string? Postcode { get; set; }
    public required string FullText { get; set; }

    public static string Compose(string districtName, string street, string community, string road, string number) =>
        $"{districtName}{street}{community}{road}{number}";
}

public sealed class Building
{
    public long Id { get; set; }
    public required string Code { get; set; }
    public long AddressId { get; set; }
    public StandardAddress? Address { get; set; }
    public long GridId { get; set; }
    public CommunityGrid? Grid { get; set; }
    public required Polygon Footprint { get; set; }
    public required Point Entrance { get; set; }
    public int Floors { get; set; }
    public BuildingUse Use { get; set; }
    public long? OwnerId { get; set; }
    public User? Owner { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public uint Version { get; set; }                     // xmin: landlords and police both edit buildings
}

public sealed class StandardAddressConfiguration : IEntityTypeConfiguration<StandardAddress>
{
    public void Configure(EntityTypeBuilder<StandardAddress> e)
    {
        e.ToTable("standard_addresses");
        e.Property(x => x.DistrictCode).HasMaxLength(6).IsFixedLength();
        e.Property(x => x.Street).HasMaxLength(60);
        e.Property(x => x.Community).HasMaxLength(60);
        e.Property(x => x.Road).HasMaxLength(60);
        e.Property(x => x.Number).HasMaxLength(30);
        e.Property(x => x.Postcode).HasMaxLength(6);
        e.Property(x => x.FullText).HasMaxLength(300);
        e.HasIndex(x => x.FullText);
    }
}

public sealed class BuildingConfiguration : IEntityTypeConfiguration<Building>
{
    public void Configure(EntityTypeBuilder<Building> e)
    {
        e.ToTable("buildings", t =>
        {
            t.HasCheckConstraint("ck_buildings_floors", "floors between 1 and 200");
            t.HasCheckConstraint("ck_buildings_footprint_valid", "ST_IsValid(footprint)");
        });
        e.Property(x => x.Code).HasMaxLength(40);
        e.HasIndex(x => x.Code).IsUnique();
        e.Property(x => x.Footprint).HasColumnType("geometry(Polygon,4326)");
        e.Property(x => x.Entrance).HasColumnType("geometry(Point,4326)");
        e.HasIndex(x => x.Footprint).HasMethod("gist");
        e.HasIndex(x => x.Entrance).HasMethod("gist");
        e.Property(x => x.Use).HasConversion<SnakeCaseEnumConverter<BuildingUse>>().HasMaxLength(20);
        e.Property(x => x.CreatedAt).HasDefaultValueSql("now()");
        e.Property(x => x.Version).IsRowVersion();
        e.HasOne(x => x.Address).WithMany().HasForeignKey(x => x.AddressId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne(x => x.Grid).WithMany().HasForeignKey(x => x.GridId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne(x => x.Owner).WithMany().HasForeignKey(x => x.OwnerId).OnDelete(DeleteBehavior.SetNull);
        e.HasIndex(x => x.GridId);
        e.HasIndex(x => x.OwnerId);
    }
}
