namespace SmartDoorplate.Map;

// The base map an officer reads the data layers on, from our own tables: road centre lines with their
// names (Gis/BaseMap, `sdp import roads`), grid names, landmarks (`sdp import landmarks`: stations,
// village committees, markets…) and, from NumbersFromZoom, each building's doorplate number (门牌号)
// from its standard address. Nothing in it names or counts a person.
//
// Not scoped by jurisdiction, unlike every other layer: an officer at the edge of their station finds
// their way by the streets beyond it, as on any street map, and roads, grid names and the numbers on
// the plates are what anyone reads in the street. Still behind the map's sign-in (police, admin), as
// the whole of /api/map is: a bulk list of every address of the city is not for anonymous download.
public sealed class BaseMapTileLayer : VectorTileLayer
{
    // Lanes (巷) are 2–4 m wide and 25–30 m apart: below this zoom they are a grey smear.
    public const int LanesFromZoom = 15;

    // A footprint is about 10 px at z17; numbers on smaller ones cover each other.
    public const int NumbersFromZoom = 17;

    // Grid names and landmarks need room: at z12 a grid is a few pixels.
    public const int LabelsFromZoom = 13;

    private readonly string roadsSql;
    private readonly string labelsSql;
    private readonly string lanesSql;
    private readonly string numbersSql;

    public BaseMapTileLayer() : base("basemap", minZoom: 12, sourceMaxZoom: NumbersFromZoom)
    {
        roadsSql = SqlOf(lanes: false, labels: false, numbers: false);
        labelsSql = SqlOf(lanes: false, labels: true, numbers: false);
        lanesSql = SqlOf(lanes: true, labels: true, numbers: false);
        numbersSql = SqlOf(lanes: true, labels: true, numbers: true);
    }

    public override string SqlFor(TileAddress tile) => tile.Z switch
    {
        >= NumbersFromZoom => numbersSql,
        >= LanesFromZoom => lanesSql,
        >= LabelsFromZoom => labelsSql,
        _ => roadsSql,
    };

    // kind: road | grid | landmark | number; class: the road's or landmark's kind code; name: the text
    // to draw (a number is "12号"). A label point is kept by the tiles whose buffer holds it, like the
    // points of other layers, so MapLibre can place a label that straddles a tile edge.
    private string SqlOf(bool lanes, bool labels, bool numbers)
    {
        var parts = new List<string>
        {
            $"""
            select 'road' as kind, r.kind::text as class, r.name, r.code::text as code,
                   {MvtGeom("ST_Transform(r.geometry, 3857)")} as geom
            from tile join roads r on r.geometry && tile.bounds_with_margin
            {(lanes ? "" : "where r.kind <> 'lane'")}
            """,
        };
        if (labels)
        {
            parts.Add($"""
                select 'grid', null, g.name, g.code::text, {MvtGeom("ST_Transform(label.point, 3857)")}
                from tile join community_grids g on g.boundary && tile.bounds_with_margin
                cross join lateral (select ST_PointOnSurface(g.boundary) as point) label
                where label.point && tile.bounds_with_margin
                """);
            parts.Add($"""
                select 'landmark', l.kind::text, l.name, l.code::text, {MvtGeom("ST_Transform(l.location, 3857)")}
                from tile join landmarks l on l.location && tile.bounds_with_margin
                """);
        }
        if (numbers)
        {
            // The label sits inside the footprint, as the plate does on the wall.
            parts.Add($"""
                select 'number', null, a.number::text, b.code::text, {MvtGeom("ST_Transform(ST_PointOnSurface(b.footprint), 3857)")}
                from tile join buildings b on b.footprint && tile.bounds_with_margin
                join standard_addresses a on a.id = b.address_id
                """);
        }
        return Wrap(string.Join("\nunion all\n", parts), "features.kind, features.code");
    }
}
