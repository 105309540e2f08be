using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace SmartDoorplate.Registrations;

public enum Sex { Female, Male }

// A person who registered a residence. The ID number and phone are stored only encrypted
// (AES-GCM, see Privacy/PersonalDataProtector) with a keyed HMAC "blind index" for exact-match
// look-ups; sex, birth date and origin region are derived from the ID number for statistics.
public sealed class Person
{
    public Guid Id { get; set; }
    public required string Name { get; set; }
    public required byte[] IdNumberCipher { get; set; }
    public required byte[] IdNumberIndex { get; set; }
    public required byte[] PhoneCipher { get; set; }
    public required byte[] PhoneIndex { get; set; }
    public Sex Sex { get; set; }
    public DateOnly BirthDate { get; set; }
    public required string OriginRegionCode { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    // Set when retention anonymises the record; the row stays for statistics.
    public DateTimeOffset? AnonymisedAt { get; set; }
}

public sealed class PersonConfiguration : IEntityTypeConfiguration<Person>
{
    public void Configure(EntityTypeBuilder<Person> e)
    {
        e.ToTable("persons");
        e.Property(x => x.Name).HasMaxLength(50);
        e.HasIndex(x => x.IdNumberIndex).IsUnique();
        e.HasIndex(x => x.PhoneIndex);
        e.HasIndex(x => x.Name);
        e.Property(x => x.Sex).HasConversion<Data.SnakeCaseEnumConverter<Sex>>().HasMaxLength(10);
        e.Property(x => x.OriginRegionCode).HasMaxLength(6).IsFixedLength();
        e.Property(x => x.CreatedAt).HasDefaultValueSql("now()");
    }
}
