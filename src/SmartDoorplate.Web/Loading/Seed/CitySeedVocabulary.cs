using SmartDoorplate.Gis;

namespace SmartDoorplate.Loading.Seed;

// Words the synthetic city is named with. Place names are built from morphemes of Guiyang's
// toponymy so that addresses read plausibly, but the combinations are invented: a generated
// "沙冲东路12号" need not exist, and nothing here is meant to match a real address.
internal static class CitySeedVocabulary
{
    public sealed record DistrictInfo(string Code, string Name, string Postcode);

    // Guiyang's six urban districts (GB/T 2260 codes); boundaries are generated, see CityLayout.
    public static readonly DistrictInfo Huaxi = new("520111", "花溪区", "550025");
    public static readonly DistrictInfo Guanshanhu = new("520115", "观山湖区", "550081");
    public static readonly DistrictInfo Yunyan = new("520103", "云岩区", "550001");
    public static readonly DistrictInfo Baiyun = new("520113", "白云区", "550014");
    public static readonly DistrictInfo Nanming = new("520102", "南明区", "550002");
    public static readonly DistrictInfo Wudang = new("520112", "乌当区", "550018");

    public static readonly string[] PlaceMorphemes =
    [
        "中华", "延安", "北京", "黔灵", "枣山", "普陀", "宅吉", "盐务", "贵乌", "市西", "威清", "头桥",
        "金关", "三桥", "鹿冲关", "大营坡", "红边门", "水东", "渔安", "油榨", "沙冲", "兴关", "花果园",
        "太慈", "湘雅", "五里冲", "二戈", "新华", "遵义", "水口寺", "龙洞堡", "小碧", "后巢", "云关",
        "金竹", "孟关", "石板", "青岩", "党武", "麦坪", "溪北", "贵筑", "黔陶", "燕楼", "马铃", "高坡",
        "沙文", "都拉", "牛场", "艳山红", "大山洞", "泉湖", "都溪", "蓬莱", "新添", "东风", "水田",
        "偏坡", "羊昌", "百宜", "下坝", "新堡", "高新", "振华", "顺新", "金华", "朱昌", "长岭", "世纪城",
        "观山", "宾阳", "会展城", "金源", "碧海", "野鸭", "百花", "金阳", "麒龙", "未来方舟", "阿哈",
        "甘荫塘", "小孟", "清溪", "明珠", "竹林", "翠微", "杉木", "松柏", "梨园", "桃源", "杏坛",
        "荷塘", "兰亭", "瑞金", "富水", "公园", "文昌", "南厂", "博爱", "箭道", "省府", "护国",
        "六广门", "八角岩", "东山", "茶店", "马王", "摆郎", "大关", "黄金", "白沙", "龙井", "螺丝",
    ];

    public static readonly string[] RoadSuffixes = ["路", "街", "巷", "大道", "东路", "西路", "南路", "北路", "中路", "一路", "二路"];

    // Frequent surnames, most frequent first (Guizhou has more 杨, 吴, 龙, 潘 than the national list).
    public static readonly string[] Surnames =
    [
        "王", "李", "杨", "张", "刘", "陈", "吴", "黄", "罗", "周", "赵", "龙", "徐", "胡", "何", "唐",
        "潘", "田", "石", "谢", "郑", "马", "孙", "朱", "高", "林", "梁", "宋", "蒋", "韩", "冯", "邓",
        "曹", "彭", "曾", "肖", "董", "袁", "于", "蔡", "余", "杜", "叶", "程", "苏", "魏", "吕", "丁",
        "任", "沈", "姚", "卢", "姜", "崔", "钟", "谭", "陆", "汪", "范", "金", "廖", "贾", "夏", "韦",
        "付", "方", "白", "邹", "孟", "熊", "秦", "邱", "江", "尹", "薛", "段", "雷", "侯", "史", "陶",
        "黎", "贺", "顾", "毛", "郝", "龚", "邵", "万", "严", "覃", "武", "戴", "莫", "孔", "向", "汤",
    ];

    public static readonly string[] MaleGivenCharacters =
    [
        "伟", "强", "磊", "军", "勇", "杰", "涛", "斌", "超", "明", "刚", "平", "辉", "鹏", "华", "飞",
        "鑫", "波", "宇", "浩", "凯", "健", "俊", "帆", "帅", "旭", "宁", "龙", "林", "阳", "建", "国",
        "文", "志", "海", "峰", "亮", "成", "东", "兵", "坤", "豪", "睿", "博", "晨", "轩", "泽", "航",
    ];

    public static readonly string[] FemaleGivenCharacters =
    [
        "芳", "娜", "敏", "静", "丽", "艳", "娟", "霞", "秀", "英", "玲", "燕", "萍", "红", "丹", "婷",
        "雪", "琳", "倩", "颖", "慧", "莉", "梅", "晶", "欣", "悦", "洁", "佳", "蓉", "薇", "璐", "月",
        "琴", "云", "兰", "凤", "媛", "妍", "思", "雨", "梦", "瑶", "涵", "诗", "怡", "萱", "彤", "露",
    ];

    public static readonly string[] CompanyTrades = ["建筑工程", "物流", "餐饮管理", "商贸", "电子科技", "家政服务", "物业管理", "大数据科技", "装饰工程", "汽车服务", "医药", "劳务"];

    public static readonly string[] RejectionReasons = ["房东表示此人未在此居住", "房间号与房屋不符", "重复登记", "信息不完整，请重新提交"];

    // Where residents' ID numbers were first issued (GB/T 2260 county codes, real ones, so that
    // origin statistics group sensibly): most of Guiyang's floating population comes from the rest of
    // Guizhou, then from the neighbouring provinces.
    public static readonly (string Code, double Weight)[] OriginRegions =
    [
        ("520102", 5), ("520103", 5), ("520111", 3), ("520112", 2), ("520113", 2), ("520115", 2),
        ("520121", 3), ("520122", 2), ("520123", 2), ("520181", 3),
        ("520201", 3), ("520203", 2), ("520204", 2), ("520281", 3),
        ("520302", 4), ("520303", 3), ("520304", 3), ("520322", 2), ("520381", 1), ("520382", 2),
        ("520402", 3), ("520403", 2),
        ("520502", 5), ("520521", 3), ("520523", 3), ("520524", 3), ("520525", 3), ("520526", 4), ("520527", 3),
        ("520602", 2), ("520603", 1), ("522301", 3), ("522601", 3), ("522701", 3),
        ("500101", 1.5), ("500103", 1), ("500104", 0.5), ("510104", 1), ("511302", 1), ("510502", 1),
        ("530102", 1), ("530602", 1.5), ("530302", 1), ("430102", 0.8), ("431202", 1.2),
        ("450102", 0.8), ("451202", 1), ("420106", 0.5), ("360102", 0.4), ("440106", 0.4),
        ("410102", 0.4), ("340102", 0.3),
    ];
}
