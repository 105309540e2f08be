using SmartDoorplate.Analytics.Privacy;

namespace SmartDoorplate.Analytics.Tests.Privacy;

public class MaskingTests
{
    [Fact]
    public void ResidentIdKeepsFirstFourAndLastFour()
    {
        Assert.Equal("5201**********123X", Masking.MaskResidentId("52010319850615123X"));
    }

    [Fact]
    public void ResidentIdIsTrimmedBeforeMasking()
    {
        Assert.Equal("1101**********002X", Masking.MaskResidentId(" 11010519491231002X "));
    }

    [Theory]
    [InlineData(null, "")]
    [InlineData("", "")]
    [InlineData("5201", "****")]
    [InlineData("52010312345", "***********")]
    public void ShortResidentIdIsMaskedCompletely(string? input, string expected)
    {
        Assert.Equal(expected, Masking.MaskResidentId(input));
    }

    [Theory]
    [InlineData("13812345678")]
    [InlineData("+86 138-1234-5678")]
    public void MobilePhoneKeepsFirstThreeAndLastFour(string input)
    {
        Assert.Equal("138****5678", Masking.MaskMobilePhone(input));
    }

    [Theory]
    [InlineData(null, "")]
    [InlineData("", "")]
    [InlineData("5678", "****")]
    [InlineData("0851-85551234", "*************")]
    public void UnrecognisedPhoneIsMaskedCompletely(string? input, string expected)
    {
        Assert.Equal(expected, Masking.MaskMobilePhone(input));
    }

    [Theory]
    [InlineData("张三", "张*")]
    [InlineData("王小明", "王**")]
    [InlineData("欧阳娜娜", "欧***")]
    [InlineData(" 李四 ", "李*")]
    public void ChineseNameKeepsOnlyTheFirstCharacter(string input, string expected)
    {
        Assert.Equal(expected, Masking.MaskChineseName(input));
    }

    [Fact]
    public void SurrogatePairFamilyNameIsKeptWhole()
    {
        // U+20000 (CJK Extension B) is two UTF-16 code units; splitting it would leave half a character.
        var rareCharacter = char.ConvertFromUtf32(0x20000);

        Assert.Equal(rareCharacter + "*", Masking.MaskChineseName(rareCharacter + "明"));
    }

    [Theory]
    [InlineData(null, "")]
    [InlineData("", "")]
    [InlineData("张", "*")]
    public void NameOfAtMostOneCharacterIsMaskedCompletely(string? input, string expected)
    {
        Assert.Equal(expected, Masking.MaskChineseName(input));
    }

    [Theory]
    [InlineData("520102", "5201")]
    [InlineData(" 110105 ", "1101")]
    [InlineData("52", "**")]
    [InlineData(null, "")]
    public void TheOriginIsShownOnlyToTheDigitsTheIdMaskShows(string? region, string expected)
    {
        Assert.Equal(expected, Masking.OriginPrefecture(region));
        if (region is { Length: >= 6 })
            Assert.StartsWith(Masking.OriginPrefecture(region), Masking.MaskResidentId(region.Trim() + "199003071236"));
    }

    [Theory]
    [InlineData("2008-12-08", "2026-12-07", "0-17")]   // seventeen until tomorrow
    [InlineData("2008-12-07", "2026-12-07", "18-29")]  // eighteen today
    [InlineData("1982-01-01", "2026-12-07", "30-44")]
    [InlineData("1966-12-08", "2026-12-07", "45-59")]
    [InlineData("1966-12-07", "2026-12-07", "60+")]
    public void TheAgeBandCountsCompletedYears(string birth, string today, string band)
    {
        Assert.Equal(band, Masking.AgeBandOf(DateOnly.Parse(birth, System.Globalization.CultureInfo.InvariantCulture), DateOnly.Parse(today, System.Globalization.CultureInfo.InvariantCulture)));
    }
}
