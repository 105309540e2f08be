using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SmartDoorplate.Analytics.Identity;

namespace SmartDoorplate.Registrations;

public enum Sex { Female, Male }


// A person who registered a residence. The document number (a 居民身份证's ID number or another
// document's, DocumentType says which) and phone are stored only encrypted (AES-GCM, see
// Privacy/PersonalDataProtector) with a keyed HMAC "blind index" for exact-match look-ups
// (PersonIndex). Sex, birth date and origin region are read from a GB 11643 number; the person
// states sex and birth date with any other document (RegistrationRules.OriginRegionCodeOf).
public sealed class Person
{
    public Guid Id { get; set; }
    public required string Name { get; set; }
    public required byte[] IdNumberCipher { get; set; }
    public required byte[] IdNumberIndex { get; set; }
    public DocumentType DocumentType { get; set; } = DocumentType.ResidentId;
    public string? Nationality { get; set; }               // ISO 3166-1 alpha-3, with a foreigner's document
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
        e.Property(x => x.DocumentType).HasConversion<Data.SnakeCaseEnumConverter<DocumentType>>().HasMaxLength(40)
            .HasDefaultValue(DocumentType.ResidentId).HasSentinel(DocumentType.ResidentId);
        e.Property(x => x.Nationality).HasMaxLength(3).IsFixedLength();
        e.Property(x => x.CreatedAt).HasDefaultValueSql("now()");
    }
}
