using System.Diagnostics.CodeAnalysis;

namespace SmartDoorplate.Analytics.Identity;

// The documents a person staying in Guiyang registers with (公安部 居住登记 practice).
public enum DocumentType
{
    ResidentId,                 // 居民身份证 (GB 11643)
    ResidencePermit,            // 港澳居民居住证 / 台湾居民居住证: GB 11643 numbers of 810000, 820000, 830000
    HongKongMacaoTravelPermit,  // 港澳居民来往内地通行证 (回乡证)
    TaiwanTravelPermit,         // 台湾居民来往大陆通行证 (台胞证)
    ForeignPassport,            // 外国护照 with the holder's nationality
    ForeignPermanentResidentId, // 外国人永久居留身份证 (2004/2017 15-character and 2023 18-digit numbers)
}

public enum DocumentError
{
    Empty,
    Format,
    WrongCheckDigit,
    InvalidBirthDate,
    NationalityRequired,
    NationalityUnknown,
    NationalityMismatch,
}

/// <summary>A document number valid for its type, normalised (NFKC, upper case, no spaces).</summary>
public sealed record IdentityDocument(DocumentType Type, string Number, string? Nationality, ResidentIdNumber? ResidentId)
{
    // Foreigners staying outside a hotel must be registered with the police within 24 hours
    // (出境入境管理法 第三十九条).
    public bool IsForeigner => Type is DocumentType.ForeignPassport or DocumentType.ForeignPermanentResidentId;

    // Birth date, sex and the issuing region can be read from the number itself only for the
    // GB 11643 numbers; for every other document the person states them.
    public bool CarriesBirthDate => ResidentId is not null;

    public static DocumentValidation Validate(DocumentType type, string? number, string? nationality, DateOnly today)
    {
        if (string.IsNullOrWhiteSpace(number))
        {
            return type == DocumentType.ResidentId
                ? DocumentValidation.FromResidentId(Identity.ResidentIdError.Empty)
                : DocumentValidation.Invalid(DocumentError.Empty);
        }
        switch (type)
        {
            case DocumentType.ResidentId:
            {
                var id = ResidentIdNumber.Validate(number, today);
                return id.IsValid
                    ? DocumentValidation.Valid(new(type, id.Number.Value, null, id.Number))
                    : DocumentValidation.FromResidentId(id.Error.Value);
            }
            case DocumentType.ResidencePermit:
            {
                var permit = ResidencePermitNumber.Validate(number, today);
                return permit.Number is { } valid
                    ? DocumentValidation.Valid(new(type, valid.Value, null, valid))
                    : DocumentValidation.Invalid(permit.Error!.Value);
            }
            case DocumentType.HongKongMacaoTravelPermit:
                return HongKongMacaoTravelPermitNumber.Normalize(number) is { } hkmo
                    ? DocumentValidation.Valid(new(type, hkmo, null, null))
                    : DocumentValidation.Invalid(DocumentError.Format);
            case DocumentType.TaiwanTravelPermit:
                return TaiwanTravelPermitNumber.Normalize(number) is { } tw
                    ? DocumentValidation.Valid(new(type, tw, null, null))
                    : DocumentValidation.Invalid(DocumentError.Format);
            case DocumentType.ForeignPassport:
            {
                if (string.IsNullOrWhiteSpace(nationality)) return DocumentValidation.Invalid(DocumentError.NationalityRequired);
                if (!Countries.TryGet(nationality, out var country)) return DocumentValidation.Invalid(DocumentError.NationalityUnknown);
                return PassportNumber.Normalize(number) is { } passport
                    ? DocumentValidation.Valid(new(type, passport, country.Alpha3, null))
                    : DocumentValidation.Invalid(DocumentError.Format);
            }
            case DocumentType.ForeignPermanentResidentId:
            {
                if (string.IsNullOrWhiteSpace(nationality)) return DocumentValidation.Invalid(DocumentError.NationalityRequired);
                if (!Countries.TryGet(nationality, out var country)) return DocumentValidation.Invalid(DocumentError.NationalityUnknown);
                var card = ForeignPermanentResidentIdNumber.Validate(number, today);
                if (card.Number is not { } value) return DocumentValidation.Invalid(card.Error!.Value);
                // The 15-character number begins with the holder's nationality: it must be the one chosen.
                if (card.Alpha3 is { } printed && printed != country.Alpha3) return DocumentValidation.Invalid(DocumentError.NationalityMismatch);
                return DocumentValidation.Valid(new(type, value, country.Alpha3, null));
            }
            default:
                return DocumentValidation.Invalid(DocumentError.Format);
        }
    }
}

public sealed record DocumentValidation
{
    private DocumentValidation(IdentityDocument? document, DocumentError? error, ResidentIdError? residentIdError)
    {
        Document = document;
        Error = error;
        ResidentIdError = residentIdError;
    }

    public IdentityDocument? Document { get; }

    public DocumentError? Error { get; }

    // For a 居民身份证, the GB 11643 rule the number broke (the form names it precisely).
    public ResidentIdError? ResidentIdError { get; }

    [MemberNotNullWhen(true, nameof(Document))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsValid => Document is not null;

    internal static DocumentValidation Valid(IdentityDocument document) => new(document, null, null);

    internal static DocumentValidation Invalid(DocumentError error) => new(null, error, null);

    internal static DocumentValidation FromResidentId(ResidentIdError error) => new(null, error switch
    {
        Identity.ResidentIdError.Empty => DocumentError.Empty,
        Identity.ResidentIdError.WrongCheckDigit => DocumentError.WrongCheckDigit,
        Identity.ResidentIdError.InvalidBirthDate or Identity.ResidentIdError.BirthDateInFuture => DocumentError.InvalidBirthDate,
        _ => DocumentError.Format,
    }, error);
}
