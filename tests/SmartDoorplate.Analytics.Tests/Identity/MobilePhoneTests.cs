using SmartDoorplate.Analytics.Identity;

namespace SmartDoorplate.Analytics.Tests.Identity;

public class MobilePhoneTests
{
    [Theory]
    [InlineData("13812345678")]
    [InlineData("138 1234 5678")]
    [InlineData("138-1234-5678")]
    [InlineData(" 138-1234 5678 ")]
    [InlineData("+8613812345678")]
    [InlineData("+86 138 1234 5678")]
    [InlineData("(+86) 138-1234-5678")]
    [InlineData("008613812345678")]
    [InlineData("8613812345678")]
    [InlineData("86-138-1234-5678")]
    [InlineData("１３８１２３４５６７８")]
    [InlineData("＋８６　１３８－１２３４－５６７８")]
    public void CommonWritingsNormaliseToElevenDigits(string input)
    {
        var result = MobilePhone.Validate(input);

        Assert.True(result.IsValid);
        Assert.Equal("13812345678", result.Number);
    }

    [Theory]
    [InlineData("13000000000")]
    [InlineData("19999999999")]
    [InlineData("16612345678")]
    public void EverySecondDigitFrom3To9IsAccepted(string input)
    {
        Assert.Equal(input, MobilePhone.Validate(input).Number);
    }

    [Fact]
    public void NationalNumberThatLooksLikeCountryCodeIsNotTruncated()
    {
        // 11 digits only: the leading "86" cannot be a country code here, and "18612345678"
        // itself is a valid number that must survive unchanged.
        Assert.Equal("18612345678", MobilePhone.Validate("18612345678").Number);
    }

    [Theory]
    [InlineData(null, MobilePhoneError.Empty)]
    [InlineData("", MobilePhoneError.Empty)]
    [InlineData("  ", MobilePhoneError.Empty)]
    [InlineData("12812345678", MobilePhoneError.NotAMainlandMobileNumber)]
    [InlineData("23812345678", MobilePhoneError.NotAMainlandMobileNumber)]
    [InlineData("1381234567", MobilePhoneError.NotAMainlandMobileNumber)]
    [InlineData("138123456789", MobilePhoneError.NotAMainlandMobileNumber)]
    [InlineData("0851-85551234", MobilePhoneError.NotAMainlandMobileNumber)]
    [InlineData("+85291234567", MobilePhoneError.NotAMainlandMobileNumber)]
    [InlineData("+86 0851 8555 1234", MobilePhoneError.NotAMainlandMobileNumber)]
    [InlineData("1381234567٨", MobilePhoneError.NotAMainlandMobileNumber)]
    [InlineData("138.1234.5678", MobilePhoneError.NotAMainlandMobileNumber)]
    public void InvalidInputReportsWhy(string? input, MobilePhoneError expected)
    {
        var result = MobilePhone.Validate(input);

        Assert.False(result.IsValid);
        Assert.Null(result.Number);
        Assert.Equal(expected, result.Error);
    }
}
