using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using NetTopologySuite.Geometries;
using SmartDoorplate.Data;
using SmartDoorplate.Gis;

namespace SmartDoorplate.Policing.Cases;

// Code list of incident types. 两抢一盗 (the pilot's headline figure) = robbery, snatching and the thefts.
public enum CaseType { Burglary, Theft, Robbery, Snatching, Fraud, Assault }

public enum CaseStatus { Open, Solved, Closed }

public static class CaseTypes
{
    public static readonly IReadOnlyDictionary<CaseType, string> ChineseNames = new Dictionary<CaseType, string>
    {
        [CaseType.Burglary] = "入室盗窃",
        [CaseType.Theft] = "盗窃",
        [CaseType.Robbery] = "抢劫",
        [CaseType.Snatching] = "抢夺",
        [CaseType.Fraud] = "诈骗",
        [CaseType.Assault] = "故意伤害",
    };

    public static readonly IReadOnlyDictionary<CaseStatus, string> StatusChineseNames = new Dictionary<CaseStatus, string>
    {
        [CaseStatus.Open] = "未破",
        [CaseStatus.Solved] = "已破",
        [CaseStatus.Closed] = "已结",
    };

    // The code (burglary) or its Chinese name (入室盗窃): clerks type the names, systems the codes.
    public static bool TryParse(string? text, out CaseType type) => TryParse(text, ChineseNames, out type);

    public static bool TryParseStatus(string? text, out CaseStatus status) => TryParse(text, StatusChineseNames, out status);

    private static bool TryParse<TEnum>(string? text, IReadOnlyDictionary<TEnum, string> names, out TEnum value) where TEnum : struct, Enum
    {
        text = text?.Trim();
        if (SnakeCaseEnum.TryParse(text, out value) && SnakeCaseEnum.ToCode(value) == text) return true;
        foreach (var (code, name) in names)
        {
            if (name == text)
            {
                value = code;
                return true;
            }
        }
        value = default;
        return false;
    }

    public static readonly IReadOnlySet<CaseType> RobberyAndTheft =
        new HashSet<CaseType> { CaseType.Burglary, CaseType.Theft, CaseType.Robbery, CaseType.Snatching };
}

public sealed class Case
{
    public long Id { get; set; }
    public required string CaseNumber { get; set; }
    public CaseType Type { get; set; }
    public DateTimeOffset OccurredAt { get; set; }
    public required Point Location { get; set; }
    public CaseStatus Status { get; set; }
    public long? GridId { get; set; }
    public CommunityGrid? Grid { get; set; }
    public string? Summary { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public uint Version { get; set; }
}

public sealed class CaseConfiguration : IEntityTypeConfiguration<Case>
{
    public void Configure(EntityTypeBuilder<Case> e)
    {
        e.ToTable("cases");
        e.Property(x => x.CaseNumber).HasMaxLength(40);
        e.HasIndex(x => x.CaseNumber).IsUnique();
        e.Property(x => x.Type).HasConversion<SnakeCaseEnumConverter<CaseType>>().HasMaxLength(20);
        e.Property(x => x.Status).HasConversion<SnakeCaseEnumConverter<CaseStatus>>().HasMaxLength(20);
        e.Property(x => x.Location).HasColumnType("geometry(Point,4326)");
        e.HasIndex(x => x.Location).HasMethod("gist");
        e.HasIndex(x => x.OccurredAt);
        e.HasIndex(x => new { x.GridId, x.OccurredAt });
        e.Property(x => x.Summary).HasMaxLength(1000);
        e.Property(x => x.CreatedAt).HasDefaultValueSql("now()");
        e.Property(x => x.Version).IsRowVersion();
        e.HasOne(x => x.Grid).WithMany().HasForeignKey(x => x.GridId).OnDelete(DeleteBehavior.Restrict);
    }
}
