using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SmartDoorplate.Data;
using SmartDoorplate.Gis;

namespace SmartDoorplate.Accounts;

// Tenants need no account: they act through a doorplate scan and a receipt.
public enum Role { Landlord, PoliceOfficer, StationChief, DistrictOfficer, Admin }

public sealed class User
{
    public long Id { get; set; }
    public required string UserName { get; set; }        // stored lower-case
    public required string DisplayName { get; set; }
    public Role Role { get; set; }
    public string? PasswordHash { get; set; }             // null: cannot sign in until an admin sets one
    // Jurisdiction scope of police roles: a station, or a whole district. Landlords are scoped by ownership.
    public long? StationId { get; set; }
    public PoliceStation? Station { get; set; }
    public long? DistrictId { get; set; }
    public District? District { get; set; }
    public int FailedSignIns { get; set; }
    public DateTimeOffset? LockedUntil { get; set; }
    public DateTimeOffset? DisabledAt { get; set; }
    // A landlord's contact phone, for the station's police (the map's building panel). Stored only
    // encrypted (Privacy/PersonalDataProtector); nothing looks accounts up by phone, so no blind index.
    public byte[]? ContactPhoneCipher { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public uint Version { get; set; }
}

public sealed class UserConfiguration : IEntityTypeConfiguration<User>
{
    public void Configure(EntityTypeBuilder<User> e)
    {
        e.ToTable("users");
        e.Property(x => x.UserName).HasMaxLength(64);
        e.HasIndex(x => x.UserName).IsUnique();
        e.Property(x => x.DisplayName).HasMaxLength(100);
        e.Property(x => x.Role).HasConversion<SnakeCaseEnumConverter<Role>>().HasMaxLength(20);
        e.Property(x => x.PasswordHash).HasMaxLength(200);
        e.Property(x => x.CreatedAt).HasDefaultValueSql("now()");
        e.Property(x => x.Version).IsRowVersion();
        e.HasOne(x => x.Station).WithMany().HasForeignKey(x => x.StationId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne(x => x.District).WithMany().HasForeignKey(x => x.DistrictId).OnDelete(DeleteBehavior.Restrict);
    }
}
