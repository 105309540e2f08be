using SmartDoorplate.Analytics.Identity;

namespace SmartDoorplate.Analytics.Tests.Identity;

public class ResidentIdNumberTests
{
    private static readonly DateOnly Today = new(2025, 6, 1);

    // GB 11643-1999 §8.2 worked example (also the example on the Chinese Wikipedia page
    // 中华人民共和国公民身份号码): a woman born 31 December 1949 in 北京市朝阳区.
    private const string PublishedExample = "11010519491231002X";

    // GB 11643-1999 appendix example: a man born 1 January 1880 in 广东省潮阳.
    private const string AppendixExample = "440524188001010014";

    [Fact]
    public void CheckDigitOfPublishedExampleIsX()
    {
        Assert.Equal('X', ResidentIdNumber.ComputeCheckDigit("11010519491231002"));
    }

    [Fact]
    public void CheckDigitOfAppendixExampleIs4()
    {
        Assert.Equal('4', ResidentIdNumber.ComputeCheckDigit("44052418800101001"));
    }

    [Theory]
    [InlineData("1101051949123100")]
    [InlineData("110105194912310021")]
    [InlineData("1101051949123100A")]
    public void CheckDigitNeedsExactly17Digits(string notSeventeenDigits)
    {
        Assert.Throws<ArgumentException>(() => ResidentIdNumber.ComputeCheckDigit(notSeventeenDigits));
    }

    [Fact]
    public void PublishedExampleParsesIntoItsParts()
    {
        var result = ResidentIdNumber.Validate(PublishedExample, Today);

        Assert.True(result.IsValid);
        var id = result.Number;
        Assert.Equal(PublishedExample, id.Value);
        Assert.Equal("110105", id.RegionCode);
        Assert.Equal("11", id.ProvinceCode);
        Assert.Equal("北京市", id.ProvinceNameChinese);
        Assert.Equal("Beijing", id.ProvinceNameEnglish);
        Assert.Equal(new DateOnly(1949, 12, 31), id.BirthDate);
        Assert.Equal("002", id.SequenceCode);
        Assert.Equal(Sex.Female, id.Sex);
    }

    [Fact]
    public void LowerCaseXAndSurroundingWhitespaceAreNormalised()
    {
        var result = ResidentIdNumber.Validate("  11010519491231002x\t", Today);

        Assert.True(result.IsValid);
        Assert.Equal(PublishedExample, result.Number.Value);
    }

    [Fact]
    public void AppendixExampleHasValidCheckDigitButIsRejectedByThe1900BirthYearFloor()
    {
        // The standard's own example predates 1900; we deliberately refuse such birth dates.
        var result = ResidentIdNumber.Validate(AppendixExample, Today);

        Assert.False(result.IsValid);
        Assert.Equal(ResidentIdError.InvalidBirthDate, result.Error);
    }

    [Fact]
    public void GuiyangNumberReportsGuizhouAndMale()
    {
        // 520103 = 贵阳市云岩区; sequence 123 is odd.
        var result = ResidentIdNumber.Validate("52010319850615123X", Today);

        Assert.True(result.IsValid);
        Assert.Equal("贵州省", result.Number.ProvinceNameChinese);
        Assert.Equal("Guizhou", result.Number.ProvinceNameEnglish);
        Assert.Equal(Sex.Male, result.Number.Sex);
    }

    [Fact]
    public void LeapDayBirthDateIsAccepted()
    {
        var result = ResidentIdNumber.Validate("520102200002290029", Today);

        Assert.True(result.IsValid);
        Assert.Equal(new DateOnly(2000, 2, 29), result.Number.BirthDate);
    }

    [Theory]
    [InlineData(2025, 12, 30, 75)]
    [InlineData(2025, 12, 31, 76)]
    [InlineData(1949, 12, 31, 0)]
    public void AgeCountsCompletedYears(int year, int month, int day, int expectedAge)
    {
        var id = ResidentIdNumber.Validate(PublishedExample, new DateOnly(2030, 1, 1)).Number!;

        Assert.Equal(expectedAge, id.AgeOn(new DateOnly(year, month, day)));
    }

    [Theory]
    [InlineData(2001, 2, 28, 0)]
    [InlineData(2001, 3, 1, 1)]
    [InlineData(2004, 2, 29, 4)]
    public void LeapDayBabiesAgeOnFirstOfMarchInCommonYears(int year, int month, int day, int expectedAge)
    {
        var id = ResidentIdNumber.Validate("520102200002290029", Today).Number!;

        Assert.Equal(expectedAge, id.AgeOn(new DateOnly(year, month, day)));
    }

    [Fact]
    public void FullWidthDigitsAndXFromAChineseInputMethodAreTheSameNumber()
    {
        var result = ResidentIdNumber.Validate("１１０１０５１９４９１２３１００２Ｘ", Today);

        Assert.True(result.IsValid);
        Assert.Equal("11010519491231002X", result.Number.Value);
    }

    [Theory]
    [InlineData(null, ResidentIdError.Empty)]
    [InlineData("", ResidentIdError.Empty)]
    [InlineData("   ", ResidentIdError.Empty)]
    [InlineData("11010519491231002", ResidentIdError.WrongLength)]
    [InlineData("11010519491231002X0", ResidentIdError.WrongLength)]
    [InlineData("110105194912310021X", ResidentIdError.WrongLength)]
    [InlineData("1101051949123100XX", ResidentIdError.InvalidCharacters)]
    [InlineData("11010519491231002Y", ResidentIdError.InvalidCharacters)]
    [InlineData("11010519491231٠٠2X", ResidentIdError.InvalidCharacters)]
    [InlineData("99010519491231002X", ResidentIdError.UnknownRegion)]
    [InlineData("10010519491231002X", ResidentIdError.UnknownRegion)]
    [InlineData("11010519490231002X", ResidentIdError.InvalidBirthDate)]
    [InlineData("11010519491301002X", ResidentIdError.InvalidBirthDate)]
    [InlineData("11010518991231002X", ResidentIdError.InvalidBirthDate)]
    [InlineData("520102200102290029", ResidentIdError.InvalidBirthDate)]
    [InlineData("11010520250602002X", ResidentIdError.BirthDateInFuture)]
    [InlineData("110105194912310021", ResidentIdError.WrongCheckDigit)]
    [InlineData("11010519491231003X", ResidentIdError.WrongCheckDigit)]
    public void InvalidInputReportsTheBrokenRule(string? input, ResidentIdError expected)
    {
        var result = ResidentIdNumber.Validate(input, Today);

        Assert.False(result.IsValid);
        Assert.Null(result.Number);
        Assert.Equal(expected, result.Error);
    }

    [Fact]
    public void BirthTodayIsNotInTheFuture()
    {
        var bornToday = "5201032025060100" + "1";
        var number = bornToday + ResidentIdNumber.ComputeCheckDigit(bornToday);

        Assert.True(ResidentIdNumber.Validate(number, Today).IsValid);
        Assert.Equal(ResidentIdError.BirthDateInFuture,
            ResidentIdNumber.Validate(number, Today.AddDays(-1)).Error);
    }

    [Theory]
    [InlineData("11")]
    [InlineData("52")]
    [InlineData("65")]
    [InlineData("71")]
    [InlineData("81")]
    [InlineData("82")]
    [InlineData("83")]
    public void EveryListedProvinceLevelCodeIsAccepted(string provinceCode)
    {
        var first17 = provinceCode + "010519491231002";
        var number = first17 + ResidentIdNumber.ComputeCheckDigit(first17);

        var result = ResidentIdNumber.Validate(number, Today);

        Assert.True(result.IsValid);
        Assert.Equal(provinceCode, result.Number.ProvinceCode);
    }

    [Theory]
    [InlineData("16")]
    [InlineData("20")]
    [InlineData("24")]
    [InlineData("38")]
    [InlineData("47")]
    [InlineData("55")]
    [InlineData("66")]
    [InlineData("72")]
    [InlineData("84")]
    [InlineData("91")]
    public void CodesBetweenTheProvinceBlocksAreUnknown(string provinceCode)
    {
        var first17 = provinceCode + "010519491231002";
        var number = first17 + ResidentIdNumber.ComputeCheckDigit(first17);

        Assert.Equal(ResidentIdError.UnknownRegion, ResidentIdNumber.Validate(number, Today).Error);
    }
}
