using SmartDoorplate.Localization;

namespace SmartDoorplate.Gis;

public static class GisText
{
    public static readonly Bilingual BboxTitle = new("范围 bbox 无效", "Invalid bbox");
    public static readonly Bilingual BboxFormat = new("bbox 应为 最小经度,最小纬度,最大经度,最大纬度", "bbox is minLon,minLat,maxLon,maxLat");
    public static readonly Bilingual BboxRange = new("经度须在 −180–180、纬度在 −90–90 之间，且最小值小于最大值", "Longitudes lie in −180..180, latitudes in −90..90, and each minimum below its maximum");
    public static readonly Bilingual BboxTooLarge = new("范围过大（{0:0.#} 平方公里），最多 {1} 平方公里，请放大地图", "The box is too large ({0:0.#} km²); at most {1} km²: zoom in");
}
