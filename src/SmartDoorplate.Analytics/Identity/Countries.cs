using System.Diagnostics.CodeAnalysis;

namespace SmartDoorplate.Analytics.Identity;

public sealed record Country(string Alpha3, string EnglishName, string ChineseName);

// ISO 3166-1 alpha-3: the nationality of a foreign passport or permanent residence card, as the
// machine-readable zone of a passport (ICAO 9303) writes it. China itself (CHN) is in the list for
// completeness; Hong Kong (HKG), Macao (MAC) and Taiwan (TWN) are listed as ISO lists them.
public static class Countries
{
    public static readonly IReadOnlyList<Country> All = Parse("""
        ABW|Aruba|阿鲁巴
        AFG|Afghanistan|阿富汗
        AGO|Angola|安哥拉
        AIA|Anguilla|安圭拉
        ALA|Åland Islands|奥兰群岛
        ALB|Albania|阿尔巴尼亚
        AND|Andorra|安道尔
        ARE|United Arab Emirates|阿联酋
        ARG|Argentina|阿根廷
        ARM|Armenia|亚美尼亚
        ASM|American Samoa|美属萨摩亚
        ATA|Antarctica|南极洲
        ATF|French Southern Territories|法属南部领地
        ATG|Antigua and Barbuda|安提瓜和巴布达
        AUS|Australia|澳大利亚
        AUT|Austria|奥地利
        AZE|Azerbaijan|阿塞拜疆
        BDI|Burundi|布隆迪
        BEL|Belgium|比利时
        BEN|Benin|贝宁
        BES|Bonaire, Sint Eustatius and Saba|荷兰加勒比区
        BFA|Burkina Faso|布基纳法索
        BGD|Bangladesh|孟加拉国
        BGR|Bulgaria|保加利亚
        BHR|Bahrain|巴林
        BHS|Bahamas|巴哈马
        BIH|Bosnia and Herzegovina|波黑
        BLM|Saint Barthélemy|圣巴泰勒米
        BLR|Belarus|白俄罗斯
        BLZ|Belize|伯利兹
        BMU|Bermuda|百慕大
        BOL|Bolivia|玻利维亚
        BRA|Brazil|巴西
        BRB|Barbados|巴巴多斯
        BRN|Brunei Darussalam|文莱
        BTN|Bhutan|不丹
        BVT|Bouvet Island|布韦岛
        BWA|Botswana|博茨瓦纳
        CAF|Central African Republic|中非
        CAN|Canada|加拿大
        CCK|Cocos (Keeling) Islands|科科斯（基林）群岛
        CHE|Switzerland|瑞士
        CHL|Chile|智利
        CHN|China|中国
        CIV|Côte d'Ivoire|科特迪瓦
        CMR|Cameroon|喀麦隆
        COD|Congo, Democratic Republic of the|刚果（金）
        COG|Congo|刚果（布）
        COK|Cook Islands|库克群岛
        COL|Colombia|哥伦比亚
        COM|Comoros|科摩罗
        CPV|Cabo Verde|佛得角
        CRI|Costa Rica|哥斯达黎加
        CUB|Cuba|古巴
        CUW|Curaçao|库拉索
        CXR|Christmas Island|圣诞岛
        CYM|Cayman Islands|开曼群岛
        CYP|Cyprus|塞浦路斯
        CZE|Czechia|捷克
        DEU|Germany|德国
        DJI|Djibouti|吉布提
        DMA|Dominica|多米尼克
        DNK|Denmark|丹麦
        DOM|Dominican Republic|多米尼加
        DZA|Algeria|阿尔及利亚
        ECU|Ecuador|厄瓜多尔
        EGY|Egypt|埃及
        ERI|Eritrea|厄立特里亚
        ESH|Western Sahara|西撒哈拉
        ESP|Spain|西班牙
        EST|Estonia|爱沙尼亚
        ETH|Ethiopia|埃塞俄比亚
        FIN|Finland|芬兰
        FJI|Fiji|斐济
        FLK|Falkland Islands (Malvinas)|福克兰群岛（马尔维纳斯）
        FRA|France|法国
        FRO|Faroe Islands|法罗群岛
        FSM|Micronesia|密克罗尼西亚联邦
        GAB|Gabon|加蓬
        GBR|United Kingdom|英国
        GEO|Georgia|格鲁吉亚
        GGY|Guernsey|根西
        GHA|Ghana|加纳
        GIB|Gibraltar|直布罗陀
        GIN|Guinea|几内亚
        GLP|Guadeloupe|瓜德罗普
        GMB|Gambia|冈比亚
        GNB|Guinea-Bissau|几内亚比绍
        GNQ|Equatorial Guinea|赤道几内亚
        GRC|Greece|希腊
        GRD|Grenada|格林纳达
        GRL|Greenland|格陵兰
        GTM|Guatemala|危地马拉
        GUF|French Guiana|法属圭亚那
        GUM|Guam|关岛
        GUY|Guyana|圭亚那
        HKG|Hong Kong, China|中国香港
        HMD|Heard Island and McDonald Islands|赫德岛和麦克唐纳群岛
        HND|Honduras|洪都拉斯
        HRV|Croatia|克罗地亚
        HTI|Haiti|海地
        HUN|Hungary|匈牙利
        IDN|Indonesia|印度尼西亚
        IMN|Isle of Man|马恩岛
        IND|India|印度
        IOT|British Indian Ocean Territory|英属印度洋领地
        IRL|Ireland|爱尔兰
        IRN|Iran|伊朗
        IRQ|Iraq|伊拉克
        ISL|Iceland|冰岛
        ISR|Israel|以色列
        ITA|Italy|意大利
        JAM|Jamaica|牙买加
        JEY|Jersey|泽西
        JOR|Jordan|约旦
        JPN|Japan|日本
        KAZ|Kazakhstan|哈萨克斯坦
        KEN|Kenya|肯尼亚
        KGZ|Kyrgyzstan|吉尔吉斯斯坦
        KHM|Cambodia|柬埔寨
        KIR|Kiribati|基里巴斯
        KNA|Saint Kitts and Nevis|圣基茨和尼维斯
        KOR|Korea, Republic of|韩国
        KWT|Kuwait|科威特
        LAO|Lao People's Democratic Republic|老挝
        LBN|Lebanon|黎巴嫩
        LBR|Liberia|利比里亚
        LBY|Libya|利比亚
        LCA|Saint Lucia|圣卢西亚
        LIE|Liechtenstein|列支敦士登
        LKA|Sri Lanka|斯里兰卡
        LSO|Lesotho|莱索托
        LTU|Lithuania|立陶宛
        LUX|Luxembourg|卢森堡
        LVA|Latvia|拉脱维亚
        MAC|Macao, China|中国澳门
        MAF|Saint Martin (French part)|法属圣马丁
        MAR|Morocco|摩洛哥
        MCO|Monaco|摩纳哥
        MDA|Moldova|摩尔多瓦
        MDG|Madagascar|马达加斯加
        MDV|Maldives|马尔代夫
        MEX|Mexico|墨西哥
        MHL|Marshall Islands|马绍尔群岛
        MKD|North Macedonia|北马其顿
        MLI|Mali|马里
        MLT|Malta|马耳他
        MMR|Myanmar|缅甸
        MNE|Montenegro|黑山
        MNG|Mongolia|蒙古国
        MNP|Northern Mariana Islands|北马里亚纳群岛
        MOZ|Mozambique|莫桑比克
        MRT|Mauritania|毛里塔尼亚
        MSR|Montserrat|蒙特塞拉特
        MTQ|Martinique|马提尼克
        MUS|Mauritius|毛里求斯
        MWI|Malawi|马拉维
        MYS|Malaysia|马来西亚
        MYT|Mayotte|马约特
        NAM|Namibia|纳米比亚
        NCL|New Caledonia|新喀里多尼亚
        NER|Niger|尼日尔
        NFK|Norfolk Island|诺福克岛
        NGA|Nigeria|尼日利亚
        NIC|Nicaragua|尼加拉瓜
        NIU|Niue|纽埃
        NLD|Netherlands|荷兰
        NOR|Norway|挪威
        NPL|Nepal|尼泊尔
        NRU|Nauru|瑙鲁
        NZL|New Zealand|新西兰
        OMN|Oman|阿曼
        PAK|Pakistan|巴基斯坦
        PAN|Panama|巴拿马
        PCN|Pitcairn|皮特凯恩群岛
        PER|Peru|秘鲁
        PHL|Philippines|菲律宾
        PLW|Palau|帕劳
        PNG|Papua New Guinea|巴布亚新几内亚
        POL|Poland|波兰
        PRI|Puerto Rico|波多黎各
        PRK|Korea, Democratic People's Republic of|朝鲜
        PRT|Portugal|葡萄牙
        PRY|Paraguay|巴拉圭
        PSE|Palestine, State of|巴勒斯坦
        PYF|French Polynesia|法属波利尼西亚
        QAT|Qatar|卡塔尔
        REU|Réunion|留尼汪
        ROU|Romania|罗马尼亚
        RUS|Russian Federation|俄罗斯
        RWA|Rwanda|卢旺达
        SAU|Saudi Arabia|沙特阿拉伯
        SDN|Sudan|苏丹
        SEN|Senegal|塞内加尔
        SGP|Singapore|新加坡
        SGS|South Georgia and the South Sandwich Islands|南乔治亚和南桑威奇群岛
        SHN|Saint Helena, Ascension and Tristan da Cunha|圣赫勒拿、阿森松和特里斯坦-达库尼亚
        SJM|Svalbard and Jan Mayen|斯瓦尔巴和扬马延
        SLB|Solomon Islands|所罗门群岛
        SLE|Sierra Leone|塞拉利昂
        SLV|El Salvador|萨尔瓦多
        SMR|San Marino|圣马力诺
        SOM|Somalia|索马里
        SPM|Saint Pierre and Miquelon|圣皮埃尔和密克隆
        SRB|Serbia|塞尔维亚
        SSD|South Sudan|南苏丹
        STP|Sao Tome and Principe|圣多美和普林西比
        SUR|Suriname|苏里南
        SVK|Slovakia|斯洛伐克
        SVN|Slovenia|斯洛文尼亚
        SWE|Sweden|瑞典
        SWZ|Eswatini|斯威士兰
        SXM|Sint Maarten (Dutch part)|荷属圣马丁
        SYC|Seychelles|塞舌尔
        SYR|Syrian Arab Republic|叙利亚
        TCA|Turks and Caicos Islands|特克斯和凯科斯群岛
        TCD|Chad|乍得
        TGO|Togo|多哥
        THA|Thailand|泰国
        TJK|Tajikistan|塔吉克斯坦
        TKL|Tokelau|托克劳
        TKM|Turkmenistan|土库曼斯坦
        TLS|Timor-Leste|东帝汶
        TON|Tonga|汤加
        TTO|Trinidad and Tobago|特立尼达和多巴哥
        TUN|Tunisia|突尼斯
        TUR|Türkiye|土耳其
        TUV|Tuvalu|图瓦卢
        TWN|Taiwan, China|中国台湾
        TZA|Tanzania|坦桑尼亚
        UGA|Uganda|乌干达
        UKR|Ukraine|乌克兰
        UMI|United States Minor Outlying Islands|美国本土外小岛屿
        URY|Uruguay|乌拉圭
        USA|United States of America|美国
        UZB|Uzbekistan|乌兹别克斯坦
        VAT|Holy See|梵蒂冈
        VCT|Saint Vincent and the Grenadines|圣文森特和格林纳丁斯
        VEN|Venezuela|委内瑞拉
        VGB|Virgin Islands (British)|英属维尔京群岛
        VIR|Virgin Islands (U.S.)|美属维尔京群岛
        VNM|Viet Nam|越南
        VUT|Vanuatu|瓦努阿图
        WLF|Wallis and Futuna|瓦利斯和富图纳
        WSM|Samoa|萨摩亚
        YEM|Yemen|也门
        ZAF|South Africa|南非
        ZMB|Zambia|赞比亚
        ZWE|Zimbabwe|津巴布韦
        """);

    private static readonly Dictionary<string, Country> ByCode = All.ToDictionary(c => c.Alpha3, StringComparer.Ordinal);

    // Trimmed, NFKC and upper case, so "usa" or "ＵＳＡ" find the United States.
    public static bool TryGet(string? alpha3, [NotNullWhen(true)] out Country? country)
    {
        country = null;
        return alpha3 is not null && ByCode.TryGetValue(TypedText.Compact(alpha3), out country);
    }

    private static Country[] Parse(string table) =>
        table.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split('|'))
            .Select(f => new Country(f[0], f[1], f[2]))
            .ToArray();
}
