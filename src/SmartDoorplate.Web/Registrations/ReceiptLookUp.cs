using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace SmartDoorplate.Registrations;

// Wrong phones tried against one receipt in the current hour. A receipt is 60 random bits, but a
// receipt seen on a photo or a shoulder leaves only the phone to guess (mobile numbers are dense),
// so each receipt gets a few tries an hour. Unknown receipts are counted exactly like known ones:
// otherwise the block itself would tell which receipts exist. In the database, not in memory, so
// that every instance of the app counts the same tries.
public sealed class ReceiptLookUpFailure
{
    public required string Receipt { get; set; }
    public DateTimeOffset WindowStartedAt { get; set; }
    public int Failures { get; set; }
}

public sealed class ReceiptLookUpFailureConfiguration : IEntityTypeConfiguration<ReceiptLookUpFailure>
{
    public void Configure(EntityTypeBuilder<ReceiptLookUpFailure> e)
    {
        e.ToTable("receipt_look_up_failures");
        e.HasKey(x => x.Receipt);
        e.Property(x => x.Receipt).HasMaxLength(RegistrationReceipt.Length);
        e.HasIndex(x => x.WindowStartedAt);
    }
}

// What a receipt + phone look-up found: the registration, nothing (a wrong phone and an unknown
// receipt alike), or a refusal because this receipt had too many wrong phones this hour.
public sealed record ReceiptLookUp(ResidenceRegistration? Registration, TimeSpan? RetryAfter)
{
    public static readonly ReceiptLookUp Miss = new(null, null);
    public bool Blocked => RetryAfter is not null;

    // A wrong phone and an unknown receipt answer alike: 404, then 429 once the receipt typed has
    // had its tries for the hour.
    public ProblemHttpResult Refusal(HttpResponse response)
    {
        if (RetryAfter is not { } wait)
            return TypedResults.Problem(title: RegistrationText.ReceiptNotFound.ToString(), statusCode: StatusCodes.Status404NotFound);
        Hosting.RetryAfter.Set(response, wait);
        return TypedResults.Problem(title: RegistrationText.ReceiptTooManyTries.ToString(), statusCode: StatusCodes.Status429TooManyRequests);
    }
}
