using SmartDoorplate.Localization;

namespace SmartDoorplate.Map;

public static class MapText
{
    public static readonly Bilingual TileTitle = new("瓦片地址无效", "Invalid tile address");
    public static readonly Bilingual LayerUnknown = new("图层不存在，可用：{0}", "Unknown layer; layers: {0}");
    public static readonly Bilingual ZoomRange = new("缩放级别 z 须为 0–22 的整数", "Zoom z must be a whole number from 0 to 22");
    public static readonly Bilingual TileRange = new("x、y 须为 0 到 2^z−1 的整数", "x and y must be whole numbers from 0 to 2^z − 1");
    public static readonly Bilingual AreaTitle = new("查询范围无效", "Invalid area");
    public static readonly Bilingual AreaShape = new("请给出 GeoJSON 多边形 polygon，或圆心 center [经度,纬度] 与半径 radiusMetres（二选一）", "Give either a GeoJSON polygon, or a center [lon,lat] and radiusMetres");
    public static readonly Bilingual PolygonInvalid = new("多边形无效：", "Invalid polygon: ");
    public static readonly Bilingual RadiusRange = new("半径须为 1–{0} 米", "The radius must be 1–{0} metres");
    public static readonly Bilingual AreaTooLarge = new("范围过大（{0:0.##} 平方公里），最多 {1} 平方公里", "The area is too large ({0:0.##} km²); at most {1} km²");
    public static readonly Bilingual RunNotFound = new("热点分析不存在或不在您的辖区", "No such hot-spot run in your jurisdiction");
    public static readonly Bilingual SearchTerm = new("请输入 2–50 个字的地址或楼栋编号", "Enter 2–50 characters of an address or building code");
}
