using SmartDoorplate.Analytics.Identity;

namespace SmartDoorplate.Analytics.Tests.Identity;

public class IdentityDocumentTests
{
    private static readonly DateOnly Today = new(2026, 6, 1);

    private static string WithCheck(string first17) => first17 + ResidentIdNumber.ComputeCheckDigit(first17);

    [Theory]
    [InlineData("810000", "Hong Kong")]
    [InlineData("820000", "Macao")]
    [InlineData("830000", "Taiwan")]
    public void AResidencePermitIsAGb11643NumberOfTheHongKongMacaoOrTaiwanAddressCode(string addressCode, string because)
    {
        var number = WithCheck(addressCode + "19940823002");

        var result = IdentityDocument.Validate(DocumentType.ResidencePermit, number, null, Today);

        Assert.True(result.IsValid, because);
        Assert.Equal(new DateOnly(1994, 8, 23), result.Document.ResidentId!.BirthDate);
        Assert.Equal(addressCode, result.Document.ResidentId.RegionCode);
        Assert.False(result.Document.IsForeigner);
    }

    [Fact]
    public void AResidencePermitWithAMainlandAddressCodeOrAWrongCheckDigitIsRefused()
    {
        var mainland = WithCheck("52010219940823002");
        var good = WithCheck("81000019940823002");
        var typo = good[..17] + (good[17] == '1' ? '2' : '1');

        Assert.Equal(DocumentError.Format, IdentityDocument.Validate(DocumentType.ResidencePermit, mainland, null, Today).Error);
        Assert.Equal(DocumentError.WrongCheckDigit, IdentityDocument.Validate(DocumentType.ResidencePermit, typo, null, Today).Error);
    }

    [Theory]
    [InlineData("H01234567", "H01234567")]
    [InlineData("M87654321", "M87654321")]
    [InlineData("h0123456701", "H01234567")]   // a card before 2013: two more digits count the re-issues
    [InlineData("Ｈ０１２３４５６７", "H01234567")] // typed in full width
    [InlineData("H 0123 4567", "H01234567")]
    public void AHongKongOrMacaoTravelPermitKeepsTheLetterAndTheLifelongNumber(string input, string expected)
    {
        var result = IdentityDocument.Validate(DocumentType.HongKongMacaoTravelPermit, input, null, Today);

        Assert.True(result.IsValid);
        Assert.Equal(expected, result.Document.Number);
    }

    [Theory]
    [InlineData("A01234567")]
    [InlineData("H0123456")]
    [InlineData("H012345678")]
    [InlineData("H012345670123")]
    [InlineData("01234567")]
    public void OtherShapesAreNotAHongKongOrMacaoTravelPermit(string input) =>
        Assert.Equal(DocumentError.Format, IdentityDocument.Validate(DocumentType.HongKongMacaoTravelPermit, input, null, Today).Error);

    [Theory]
    [InlineData("01234567", true)]
    [InlineData("０１２３４５６７", true)]
    [InlineData("0123456", false)]
    [InlineData("012345678", false)]
    [InlineData("T1234567", false)]
    public void ATaiwanTravelPermitHasEightDigits(string input, bool valid) =>
        Assert.Equal(valid, IdentityDocument.Validate(DocumentType.TaiwanTravelPermit, input, null, Today).IsValid);

    [Theory]
    [InlineData("E12345678", "usa", "E12345678", "USA")]
    [InlineData("c01x00t47", "DEU", "C01X00T47", "DEU")]   // the German specimen passport's number
    [InlineData("ＴＫ１２３４５", "ＪＰＮ", "TK12345", "JPN")]
    [InlineData("12345", "GBR", "12345", "GBR")]
    [InlineData("AB1234567890123456CD", "FRA", "AB1234567890123456CD", "FRA")]
    public void AForeignPassportIsFiveToTwentyLettersAndDigitsWithAKnownNationality(string input, string nationality, string number, string alpha3)
    {
        var result = IdentityDocument.Validate(DocumentType.ForeignPassport, input, nationality, Today);

        Assert.True(result.IsValid);
        Assert.Equal(number, result.Document.Number);
        Assert.Equal(alpha3, result.Document.Nationality);
        Assert.True(result.Document.IsForeigner);
        Assert.False(result.Document.CarriesBirthDate);
    }

    [Theory]
    [InlineData("1234", "USA", DocumentError.Format)]
    [InlineData("AB1234567890123456CDE", "USA", DocumentError.Format)]
    [InlineData("E1234<567", "USA", DocumentError.Format)]
    [InlineData("E12345678", null, DocumentError.NationalityRequired)]
    [InlineData("E12345678", "XXX", DocumentError.NationalityUnknown)]
    [InlineData("E12345678", "US", DocumentError.NationalityUnknown)]
    public void APassportWithABadNumberOrNationalityIsRefused(string input, string? nationality, DocumentError expected) =>
        Assert.Equal(expected, IdentityDocument.Validate(DocumentType.ForeignPassport, input, nationality, Today).Error);

    [Fact]
    public void TheNewPermanentResidenceCardIsNineThenAGb11643Number()
    {
        // 9, province 11 (Beijing), nationality 840 (United States), born 1985-03-15, sequence 001.
        var number = WithCheck("91184019850315001");

        var result = IdentityDocument.Validate(DocumentType.ForeignPermanentResidentId, number, "USA", Today);

        Assert.True(result.IsValid);
        Assert.Equal(number, result.Document.Number);
        Assert.True(result.Document.IsForeigner);
        var typo = number[..17] + (number[17] == '1' ? '2' : '1');
        Assert.Equal(DocumentError.WrongCheckDigit, IdentityDocument.Validate(DocumentType.ForeignPermanentResidentId, typo, "USA", Today).Error);
        Assert.Equal(DocumentError.InvalidBirthDate,
            IdentityDocument.Validate(DocumentType.ForeignPermanentResidentId, WithCheck("91184019850230001"), "USA", Today).Error);
    }

    [Fact]
    public void TheOldPermanentResidenceCardBeginsWithTheHoldersNationality()
    {
        Assert.True(IdentityDocument.Validate(DocumentType.ForeignPermanentResidentId, "USA110085031501", "USA", Today).IsValid);
        Assert.True(IdentityDocument.Validate(DocumentType.ForeignPermanentResidentId, "usa 1100 850315 01", "usa", Today).IsValid);
        Assert.Equal(DocumentError.NationalityMismatch,
            IdentityDocument.Validate(DocumentType.ForeignPermanentResidentId, "USA110085031501", "CAN", Today).Error);
        Assert.Equal(DocumentError.NationalityUnknown,
            IdentityDocument.Validate(DocumentType.ForeignPermanentResidentId, "QQQ110085031501", "USA", Today).Error);
        Assert.Equal(DocumentError.InvalidBirthDate,
            IdentityDocument.Validate(DocumentType.ForeignPermanentResidentId, "USA110085133101", "USA", Today).Error);
        Assert.Equal(DocumentError.Format,
            IdentityDocument.Validate(DocumentType.ForeignPermanentResidentId, "US1100850315011", "USA", Today).Error);
    }

    [Fact]
    public void AResidentIdKeepsItsPreciseGb11643Error()
    {
        var result = IdentityDocument.Validate(DocumentType.ResidentId, "99010519491231002X", null, Today);

        Assert.Equal(DocumentError.Format, result.Error);
        Assert.Equal(ResidentIdError.UnknownRegion, result.ResidentIdError);
        Assert.Equal(DocumentError.Empty, IdentityDocument.Validate(DocumentType.ResidentId, " ", null, Today).Error);
        Assert.Equal(ResidentIdError.Empty, IdentityDocument.Validate(DocumentType.ResidentId, " ", null, Today).ResidentIdError);
    }

    [Fact]
    public void TheNationalityListIsIso3166Alpha3()
    {
        Assert.Equal(249, Countries.All.Count);
        Assert.Equal(249, Countries.All.Select(c => c.Alpha3).Distinct().Count());
        Assert.All(Countries.All, c => Assert.Matches("^[A-Z]{3}$", c.Alpha3));
        Assert.True(Countries.TryGet("gbr", out var uk));
        Assert.Equal("英国", uk.ChineseName);
    }
}
