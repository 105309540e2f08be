using SmartDoorplate.Analytics.Identity;

namespace SmartDoorplate.Analytics.Tests.Identity;

public class ProvinceTests
{
    // GB/T 2260: 34 province-level divisions (23 provinces incl. 台湾, 5 autonomous regions,
    // 4 municipalities, 2 SARs), plus 83 for the residence permits of Taiwan residents.
    [Fact]
    public void TheTableHoldsTheThirtyFourProvinceLevelDivisionsAndThePermitPrefix()
    {
        Assert.Equal(35, Province.All.Count);
        Assert.Equal(Province.All.Count, Province.All.Select(p => p.Code).Distinct().Count());
        Assert.All(Province.All, p => Assert.Matches("^[1-8][0-9]$", p.Code));
    }

    [Theory]
    [InlineData("520102", "贵州省", "Guizhou")]
    [InlineData("110105", "北京市", "Beijing")]
    [InlineData("511302", "四川省", "Sichuan")]
    [InlineData("650102", "新疆维吾尔自治区", "Xinjiang")]
    [InlineData("830000", "台湾居民居住证", "Taiwan resident (residence permit)")]
    public void ARegionCodeNamesItsProvince(string region, string chinese, string english)
    {
        Assert.True(Province.TryGetOfRegion(region, out var province));
        Assert.Equal(region[..2], province.Code);
        Assert.Equal(chinese, province.ChineseName);
        Assert.Equal(english, province.EnglishName);
    }

    [Theory]
    [InlineData("")]
    [InlineData("5")]
    [InlineData("990000")]
    [InlineData("200000")]
    public void CodesOfNoProvinceAreUnknown(string region)
    {
        Assert.False(Province.TryGetOfRegion(region, out _));
    }

    [Fact]
    public void IdNumbersNameTheirProvinceFromTheSameTable()
    {
        var id = ResidentIdNumber.Validate("11010519491231002X", new DateOnly(2025, 6, 1)).Number!;

        Assert.True(Province.TryGet(id.ProvinceCode, out var province));
        Assert.Equal(province.ChineseName, id.ProvinceNameChinese);
    }
}
