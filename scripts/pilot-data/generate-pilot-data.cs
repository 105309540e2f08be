#!/usr/bin/env dotnet
// Deterministic generator of the SYNTHETIC pilot GIS data set for 改茶村 (Gaicha village), 黔灵镇, 云岩区, 贵阳市.
//
//   dotnet run scripts/pilot-data/generate-pilot-data.cs -- --out gis-data/pilot [--seed N]
//   (or scripts/generate-pilot-data.sh)
//
// A .NET 10 file-based app: BCL only, no packages. Everything comes from one System.Random(seed), consumed in a
// fixed order, and all text is formatted with the invariant culture, so the output is byte-identical on every run.
// The only real facts used are the village's name, codes, size, household/population figures, postcode and
// approximate location (see gis-data/README.md); every geometry, name, number and person is generated.
// The generator validates its own output (topology, non-overlap, containment, ID check digits, counts, the
// before/after 两抢一盗 change) and exits non-zero without writing anything if a check fails.

using System.Diagnostics;
using System.Globalization;
using System.Text;

var stopwatch = Stopwatch.StartNew();
string outDir = "gis-data/pilot";
int seed = Gen.DefaultSeed;
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--out" when i + 1 < args.Length: outDir = args[++i]; break;
        case "--seed" when i + 1 < args.Length: seed = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "-h" or "--help":
            Console.WriteLine("usage: dotnet run scripts/pilot-data/generate-pilot-data.cs -- [--out DIR] [--seed N]");
            return 0;
        default:
            Console.Error.WriteLine($"unknown or incomplete argument: {args[i]}");
            return 2;
    }
}

try
{
    var gen = new Gen(seed);
    gen.Generate();
    var files = gen.Render();
    gen.Validate(files);
    Directory.CreateDirectory(outDir);
    foreach (var (name, text) in files)
        File.WriteAllText(Path.Combine(outDir, name), text, new UTF8Encoding(false));
    gen.PrintSummary(outDir, files, stopwatch.Elapsed);
    return 0;
}
catch (GenerationException ex)
{
    Console.Error.WriteLine($"PILOT DATA GENERATION FAILED: {ex.Message}");
    return 1;
}

sealed class GenerationException(string message) : Exception(message);

// ---------------------------------------------------------------------------------------------------------------
// Plane geometry in a local metric frame (x east, y north, metres), converted to WGS84 only when written.
// ---------------------------------------------------------------------------------------------------------------
readonly record struct V(double X, double Y)
{
    public static V operator +(V a, V b) => new(a.X + b.X, a.Y + b.Y);
    public static V operator -(V a, V b) => new(a.X - b.X, a.Y - b.Y);
    public static V operator *(V a, double k) => new(a.X * k, a.Y * k);
    public double Dot(V o) => X * o.X + Y * o.Y;
    public double Cross(V o) => X * o.Y - Y * o.X;
    public double Len => Math.Sqrt(X * X + Y * Y);
    public V Unit => this * (1.0 / Len);
    public V Left => new(-Y, X);
    public V Rot(double a) { double c = Math.Cos(a), s = Math.Sin(a); return new(X * c - Y * s, X * s + Y * c); }
}

readonly record struct Box(double MinX, double MinY, double MaxX, double MaxY)
{
    public static Box Of(IReadOnlyList<V> pts)
    {
        double a = double.MaxValue, b = double.MaxValue, c = double.MinValue, d = double.MinValue;
        foreach (var p in pts) { a = Math.Min(a, p.X); b = Math.Min(b, p.Y); c = Math.Max(c, p.X); d = Math.Max(d, p.Y); }
        return new(a, b, c, d);
    }
    public bool Overlaps(Box o, double margin) =>
        MinX - margin <= o.MaxX && o.MinX - margin <= MaxX && MinY - margin <= o.MaxY && o.MinY - margin <= MaxY;
}

static class Geo
{
    static double Orient(V a, V b, V c) => (b - a).Cross(c - a);

    static bool OnSeg(V a, V b, V p) =>
        Math.Min(a.X, b.X) <= p.X && p.X <= Math.Max(a.X, b.X) && Math.Min(a.Y, b.Y) <= p.Y && p.Y <= Math.Max(a.Y, b.Y);

    public static double SignedArea(IReadOnlyList<V> ring)
    {
        double s = 0;
        for (int i = 0; i < ring.Count; i++) s += ring[i].Cross(ring[(i + 1) % ring.Count]);
        return s / 2;
    }

    public static V Centroid(IReadOnlyList<V> ring)
    {
        double cx = 0, cy = 0, a = 0;
        for (int i = 0; i < ring.Count; i++)
        {
            V p = ring[i], q = ring[(i + 1) % ring.Count];
            double c = p.Cross(q);
            a += c; cx += (p.X + q.X) * c; cy += (p.Y + q.Y) * c;
        }
        return new(cx / (3 * a), cy / (3 * a));
    }

    public static bool SegIntersect(V a, V b, V c, V d)
    {
        double d1 = Orient(c, d, a), d2 = Orient(c, d, b), d3 = Orient(a, b, c), d4 = Orient(a, b, d);
        if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))) return true;
        return (d1 == 0 && OnSeg(c, d, a)) || (d2 == 0 && OnSeg(c, d, b)) || (d3 == 0 && OnSeg(a, b, c)) || (d4 == 0 && OnSeg(a, b, d));
    }

    public static double PointSegDist(V p, V a, V b)
    {
        V ab = b - a;
        double l2 = ab.Dot(ab);
        double t = l2 == 0 ? 0 : Math.Clamp((p - a).Dot(ab) / l2, 0, 1);
        return (a + ab * t - p).Len;
    }

    public static double SegSegDist(V a, V b, V c, V d) =>
        SegIntersect(a, b, c, d) ? 0 : Math.Min(Math.Min(PointSegDist(a, c, d), PointSegDist(b, c, d)), Math.Min(PointSegDist(c, a, b), PointSegDist(d, a, b)));

    public static bool PointInPoly(V p, IReadOnlyList<V> poly)
    {
        bool inside = false;
        for (int i = 0, j = poly.Count - 1; i < poly.Count; j = i++)
        {
            V a = poly[i], b = poly[j];
            if ((a.Y > p.Y) != (b.Y > p.Y) && p.X < (b.X - a.X) * (p.Y - a.Y) / (b.Y - a.Y) + a.X) inside = !inside;
        }
        return inside;
    }

    public static double PointRingDist(V p, IReadOnlyList<V> ring)
    {
        double m = double.MaxValue;
        for (int i = 0; i < ring.Count; i++) m = Math.Min(m, PointSegDist(p, ring[i], ring[(i + 1) % ring.Count]));
        return m;
    }

    public static double PolySegDist(IReadOnlyList<V> poly, V a, V b)
    {
        if (PointInPoly(a, poly)) return 0;
        double m = double.MaxValue;
        for (int i = 0; i < poly.Count; i++) m = Math.Min(m, SegSegDist(poly[i], poly[(i + 1) % poly.Count], a, b));
        return m;
    }

    public static double PolyPolyDist(IReadOnlyList<V> p, IReadOnlyList<V> q)
    {
        if (PointInPoly(p[0], q) || PointInPoly(q[0], p)) return 0;
        double m = double.MaxValue;
        for (int i = 0; i < p.Count; i++)
            for (int j = 0; j < q.Count; j++)
                m = Math.Min(m, SegSegDist(p[i], p[(i + 1) % p.Count], q[j], q[(j + 1) % q.Count]));
        return m;
    }

    /// <summary>Every vertex of inner strictly inside outer, at least margin from its boundary, and no edges crossing.</summary>
    public static bool InsideWithMargin(IReadOnlyList<V> inner, IReadOnlyList<V> outer, double margin)
    {
        foreach (var p in inner)
            if (!PointInPoly(p, outer) || PointRingDist(p, outer) < margin) return false;
        for (int i = 0; i < inner.Count; i++)
            for (int j = 0; j < outer.Count; j++)
                if (SegIntersect(inner[i], inner[(i + 1) % inner.Count], outer[j], outer[(j + 1) % outer.Count])) return false;
        return true;
    }

    /// <summary>No two non-adjacent edges touch, adjacent edges meet only at their shared vertex, no repeated vertex.</summary>
    public static bool IsSimple(IReadOnlyList<V> r)
    {
        int n = r.Count;
        if (n < 3) return false;
        for (int i = 0; i < n; i++)
        {
            if (r[i] == r[(i + 1) % n]) return false;
            for (int j = i + 1; j < n; j++)
            {
                V a = r[i], b = r[(i + 1) % n], c = r[j], d = r[(j + 1) % n];
                bool adjacent = j == i + 1 || (i == 0 && j == n - 1);
                if (!adjacent) { if (SegIntersect(a, b, c, d)) return false; }
                else
                {
                    // adjacent edges share one vertex; they must not fold back onto each other
                    V shared = j == i + 1 ? b : a, p = j == i + 1 ? a : b, q = j == i + 1 ? d : c;
                    if (Orient(shared, p, q) == 0 && (p - shared).Dot(q - shared) > 0) return false;
                }
            }
        }
        return true;
    }

    /// <summary>Separating-axis test for convex polygons: true when some edge normal separates them by at least gap.</summary>
    public static bool SatSeparated(IReadOnlyList<V> p, IReadOnlyList<V> q, double gap)
    {
        foreach (var poly in new[] { p, q })
            for (int i = 0; i < poly.Count; i++)
            {
                V axis = (poly[(i + 1) % poly.Count] - poly[i]).Left.Unit;
                double a0 = double.MaxValue, a1 = double.MinValue, b0 = double.MaxValue, b1 = double.MinValue;
                foreach (var v in p) { double t = v.Dot(axis); a0 = Math.Min(a0, t); a1 = Math.Max(a1, t); }
                foreach (var v in q) { double t = v.Dot(axis); b0 = Math.Min(b0, t); b1 = Math.Max(b1, t); }
                if (a1 + gap <= b0 || b1 + gap <= a0) return true;
            }
        return false;
    }

    public static bool IsConvex(IReadOnlyList<V> r)
    {
        for (int i = 0; i < r.Count; i++)
            if (Orient(r[i], r[(i + 1) % r.Count], r[(i + 2) % r.Count]) <= 0) return false;
        return true;
    }
}

/// <summary>Local tangent-plane frame around the village: metres ↔ WGS84 degrees, rounded to 7 decimals (~1 cm).</summary>
static class Proj
{
    public const double Lon0 = 106.660, Lat0 = 26.600;
    static readonly double Phi = 26.61 * Math.PI / 180;
    public static readonly double MPerDegLat = 111132.92 - 559.82 * Math.Cos(2 * Phi) + 1.175 * Math.Cos(4 * Phi) - 0.0023 * Math.Cos(6 * Phi);
    public static readonly double MPerDegLon = 111412.84 * Math.Cos(Phi) - 93.5 * Math.Cos(3 * Phi) + 0.118 * Math.Cos(5 * Phi);
    public static double Lon(V p) => Math.Round(Lon0 + p.X / MPerDegLon, 7, MidpointRounding.AwayFromZero);
    public static double Lat(V p) => Math.Round(Lat0 + p.Y / MPerDegLat, 7, MidpointRounding.AwayFromZero);
    /// <summary>The point as it will read back from the files.</summary>
    public static V Snap(V p) => new((Lon(p) - Lon0) * MPerDegLon, (Lat(p) - Lat0) * MPerDegLat);
    public static string F(double deg) => deg.ToString("F7", CultureInfo.InvariantCulture);
}

// ---------------------------------------------------------------------------------------------------------------
// The model
// ---------------------------------------------------------------------------------------------------------------
sealed class Station(string code, string name, string prefix, string villageCode, string villageName, int i0, int i1)
{
    public string Code { get; } = code;
    public string Name { get; } = name;
    public string Prefix { get; } = prefix;          // building-code prefix: GC, XH
    public string VillageCode { get; } = villageCode;
    public string VillageName { get; } = villageName;
    public int I0 { get; } = i0;                     // lattice columns [I0, I1)
    public int I1 { get; } = i1;
    public string Hotline { get; set; } = "";
    public string OfficerName { get; set; } = "";
    public string OfficerPhone { get; set; } = "";
    public List<V> Ring { get; set; } = [];
    public bool IsPilot => Prefix == "GC";
    public string LandlordPrefix => "landlord." + Code.ToLowerInvariant() + ".";
}

sealed class Grid(Station station, int no, List<V> ring)
{
    public Station Station { get; } = station;
    public int No { get; } = no;
    public List<V> Ring { get; } = ring;
    public Box Box { get; } = Box.Of(ring);
    public string Code => $"{Station.VillageCode}-{No:00}";
    public string Name => $"{Station.VillageName}第{Gen.Cn(No)}村民组";
    public int Target { get; set; }
    public List<Building> Buildings { get; } = [];
}

sealed class Road(string name, double halfWidth, List<V> pts, Road? parent)
{
    public string Name { get; set; } = name;
    public double HalfWidth { get; } = halfWidth;
    public List<V> Pts { get; } = pts;
    public Road? Parent { get; } = parent;           // lanes (巷) hang off a main road
    public double StartS { get; set; }               // a lane's position along its parent road
    public Box Box { get; } = Box.Of(pts);
    public bool IsLane => Parent != null;
    public int Order { get; set; }
    public bool At(double s, out int seg, out double t)
    {
        double acc = 0;
        for (seg = 0; seg + 1 < Pts.Count; seg++)
        {
            double len = (Pts[seg + 1] - Pts[seg]).Len;
            t = s - acc;
            if (t >= 0 && t < len) return t > 6 && t < len - 6;
            acc += len;
        }
        seg = 0; t = 0;
        return false;
    }
    public double CumAt(int seg) { double s = 0; for (int i = 0; i < seg; i++) s += (Pts[i + 1] - Pts[i]).Len; return s; }
}

sealed class Building(V[] corners, V entrance, Road road, double s, int side, string use, int floors, Grid grid)
{
    public V[] Corners { get; } = corners;           // CCW, not closed
    public V Entrance { get; } = entrance;
    public Road Road { get; } = road;
    public double S { get; } = s;                    // position along the road, for numbering
    public int Side { get; } = side;                 // +1 left of the road direction (odd numbers), -1 right (even)
    public string Use { get; } = use;
    public int Floors { get; } = floors;
    public Grid Grid { get; } = grid;
    public Box Box { get; } = Box.Of(corners);
    public double Area => Geo.SignedArea(Corners);
    public string Code { get; set; } = "";
    public int Number { get; set; }
    public string? Landlord { get; set; }
    public List<Room> Rooms { get; } = [];
}

sealed class Room(Building building, int floor, string number, int areaM2, int beds)
{
    public Building Building { get; } = building;
    public int Floor { get; } = floor;
    public string Number { get; } = number;
    public int AreaM2 { get; } = areaM2;
    public int Beds { get; } = beds;
    public int Current { get; set; }
    public bool Overcrowded { get; set; }
}

sealed record Resident(Room Room, string Name, string IdNumber, string Phone, DateOnly MoveIn, DateOnly? MoveOut,
    string Reason, string Employer, string Status);

sealed record Case(string Type, DateTime OccurredAt, V Location, string Status, string Origin)
{
    public string Number { get; set; } = "";
}

sealed record Hotspot(string Name, V Center, double Sigma, double Weight);

// ---------------------------------------------------------------------------------------------------------------
// The generator
// ---------------------------------------------------------------------------------------------------------------
sealed class Gen(int seed)
{
    public const int DefaultSeed = 20251101;          // the day the doorplates went up
    static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    public static readonly DateOnly RefDate = new(2026, 11, 1);        // "today" for ages, move-ins and case status
    public static readonly DateOnly InstallDate = new(2025, 11, 1);    // smart doorplates installed in the pilot
    public static readonly DateOnly CasesFrom = new(2024, 11, 1);      // cases cover [CasesFrom, RefDate)

    readonly Random rng = new(seed);
    public int Seed { get; } = seed;

    // lattice of jittered, shared vertices: 6 columns x 3 rows; columns 0-4 are the pilot (15 grids), column 5 the second station
    const int NX = 6, NY = 3;
    static readonly double[] LatticeX = [0, 600, 1200, 1800, 2400, 3000, 3520];
    static readonly double[] LatticeY = [0, 750, 1500, 2250];
    readonly V[,] lattice = new V[NX + 1, NY + 1];
    readonly Dictionary<(int, int, int, int), List<V>> edges = [];

    public List<V> DistrictRing { get; private set; } = [];
    public List<Station> Stations { get; } = [];
    public List<Grid> Grids { get; } = [];
    public List<Road> Roads { get; } = [];
    public List<Building> Buildings { get; } = [];
    public List<Resident> Residents { get; } = [];
    public List<Case> Cases { get; } = [];
    public List<Hotspot> Hotspots { get; } = [];
    readonly HashSet<string> ids = [];
    readonly HashSet<string> phones = [];
    readonly List<string> employers = [];
    readonly List<string> notes = [];

    // ---------------- random helpers ----------------
    double U(double a, double b) => a + (b - a) * rng.NextDouble();
    int I(int a, int bInclusive) => rng.Next(a, bInclusive + 1);
    bool P(double p) => rng.NextDouble() < p;
    T Pick<T>(IReadOnlyList<T> xs) => xs[rng.Next(xs.Count)];
    int PickIndex(IReadOnlyList<double> w)
    {
        double total = 0; foreach (var x in w) total += x;
        double r = rng.NextDouble() * total;
        for (int i = 0; i < w.Count; i++) { r -= w[i]; if (r < 0) return i; }
        return w.Count - 1;
    }
    T PickWeighted<T>(IReadOnlyList<(T Item, double Weight)> xs)
    {
        var w = new double[xs.Count];
        for (int i = 0; i < xs.Count; i++) w[i] = xs[i].Weight;
        return xs[PickIndex(w)].Item;
    }
    double Gauss() => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
    void Shuffle<T>(IList<T> xs) { for (int i = xs.Count - 1; i > 0; i--) { int j = rng.Next(i + 1); (xs[i], xs[j]) = (xs[j], xs[i]); } }

    static GenerationException Fail(string m) => new(m);

    public static string Cn(int n)
    {
        string[] d = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
        if (n < 1 || n > 99) throw Fail($"numeral out of range: {n}");
        if (n < 10) return d[n];
        return (n / 10 == 1 ? "" : d[n / 10]) + "十" + (n % 10 == 0 ? "" : d[n % 10]);
    }

    public void Generate()
    {
        BuildJurisdictions();
        BuildRoads();
        PlaceBuildings();
        NumberBuildings();
        AssignLandlords();
        BuildRooms();
        BuildEmployers();
        PopulateResidents();
        GenerateCases();
    }

    // ================= jurisdictions =================
    void BuildJurisdictions()
    {
        for (int i = 0; i <= NX; i++)
            for (int j = 0; j <= NY; j++)
            {
                bool outer = i == 0 || i == NX || j == 0 || j == NY;
                double jx = outer ? 70 : 110, jy = outer ? 70 : 110;
                lattice[i, j] = new V(LatticeX[i] + U(-jx, jx), LatticeY[j] + U(-jy, jy));
            }
        // every lattice edge once, with 2-3 gently displaced intermediate vertices shared by both neighbours
        for (int i = 0; i <= NX; i++)
            for (int j = 0; j <= NY; j++)
            {
                if (i < NX) MakeEdge(i, j, i + 1, j);
                if (j < NY) MakeEdge(i, j, i, j + 1);
            }

        var pilot = new Station("QL-GC", "黔灵派出所改茶警务区", "GC", "520103100207", "改茶村", 0, 5)
        { Hotline = "0851-86821110", OfficerName = "罗建华", OfficerPhone = "0851-86821137" };
        var second = new Station("QL-XH", "黔灵派出所新华警务区", "XH", "520103100208", "新华村", 5, 6)
        { Hotline = "0851-86825110", OfficerName = "杨志刚", OfficerPhone = "0851-86825142" };
        Stations.Add(pilot);
        Stations.Add(second);
        foreach (var st in Stations) st.Ring = StationRing(st.I0, st.I1);

        // pilot villager groups 1-15, snaking from the north-west corner; the second station numbered north to south
        int no = 1;
        for (int row = NY - 1; row >= 0; row--)
        {
            var cols = Enumerable.Range(0, 5).ToList();
            if ((NY - 1 - row) % 2 == 1) cols.Reverse();
            foreach (int i in cols) Grids.Add(new Grid(pilot, no++, CellRing(i, row)));
        }
        no = 1;
        for (int row = NY - 1; row >= 0; row--) Grids.Add(new Grid(second, no++, CellRing(5, row)));

        // district: a generated star-shaped outline around both stations (NOT the real 云岩区 boundary)
        var all = Stations.SelectMany(s => s.Ring).ToList();
        var box = Box.Of(all);
        var c = new V((box.MinX + box.MaxX) / 2, (box.MinY + box.MaxY) / 2);
        const int n = 32;
        double step = 2 * Math.PI / n, ph1 = U(0, 2 * Math.PI), ph2 = U(0, 2 * Math.PI);
        var ring = new List<V>();
        for (int k = 0; k < n; k++)
        {
            double th = k * step + U(-0.3, 0.3) * step;
            double need = 0;
            foreach (var p in all)
            {
                var d = p - c;
                double diff = Math.Abs(Math.IEEERemainder(Math.Atan2(d.Y, d.X) - th, 2 * Math.PI));
                if (diff < 1.6 * step) need = Math.Max(need, d.Len);
            }
            double margin = Math.Max(320, 760 + 380 * Math.Sin(2 * th + ph1) + 220 * Math.Sin(3 * th + ph2) + U(-80, 80));
            ring.Add(c + new V(Math.Cos(th), Math.Sin(th)) * (need + margin));
        }
        DistrictRing = ring;
    }

    void MakeEdge(int i1, int j1, int i2, int j2)
    {
        V a = lattice[i1, j1], b = lattice[i2, j2];
        var pts = new List<V> { a };
        int k = I(3, 4);
        V nrm = (b - a).Left.Unit;
        for (int m = 1; m <= k; m++)
        {
            double t = (m + U(-0.25, 0.25)) / (k + 1);
            pts.Add(a + (b - a) * t + nrm * U(-35, 35));
        }
        pts.Add(b);
        edges[(i1, j1, i2, j2)] = pts;
    }

    List<V> Edge(int i1, int j1, int i2, int j2)
    {
        if (edges.TryGetValue((i1, j1, i2, j2), out var e)) return e;
        var r = new List<V>(edges[(i2, j2, i1, j1)]);
        r.Reverse();
        return r;
    }

    static List<V> Chain(IEnumerable<List<V>> parts)
    {
        var r = new List<V>();
        foreach (var p in parts)
            for (int k = r.Count == 0 ? 0 : 1; k < p.Count; k++) r.Add(p[k]);
        if (r[0] != r[^1]) throw Fail("ring does not close");
        r.RemoveAt(r.Count - 1);
        return r;
    }

    List<V> CellRing(int i, int j) => Chain([Edge(i, j, i + 1, j), Edge(i + 1, j, i + 1, j + 1), Edge(i + 1, j + 1, i, j + 1), Edge(i, j + 1, i, j)]);

    List<V> StationRing(int i0, int i1)
    {
        var parts = new List<List<V>>();
        for (int i = i0; i < i1; i++) parts.Add(Edge(i, 0, i + 1, 0));
        for (int j = 0; j < NY; j++) parts.Add(Edge(i1, j, i1, j + 1));
        for (int i = i1; i > i0; i--) parts.Add(Edge(i, NY, i - 1, NY));
        for (int j = NY; j > 0; j--) parts.Add(Edge(i0, j, i0, j - 1));
        return Chain(parts);
    }

    Grid DenseGrid => Grids.First(g => g.Station.IsPilot && g.No == 4);

    Grid? GridAt(V p)
    {
        foreach (var g in Grids)
            if (p.X >= g.Box.MinX && p.X <= g.Box.MaxX && p.Y >= g.Box.MinY && p.Y <= g.Box.MaxY && Geo.PointInPoly(p, g.Ring)) return g;
        return null;
    }

    // ================= roads =================
    Road main = null!;
    V marketPoint, busStopPoint, junctionPoint;

    void BuildRoads()
    {
        // main roads (generated names); the N-S roads start and end on vertices of the E-W roads (junctions)
        main = new Road("改茶路", 4.5, [new(30, 1060), new(650, 1120), new(1150, 1090), new(1530, 1110), new(2100, 1160), new(2650, 1100), new(3260, 1140)], null);
        var north = new Road("改茶北路", 4.0, [new(60, 1830), new(700, 1900), new(1500, 1850), new(2250, 1910), new(2990, 1860), new(3260, 1880)], null);
        var south = new Road("改茶南路", 4.0, [new(60, 400), new(800, 340), new(1500, 390), new(2650, 340), new(3260, 380)], null);
        var chayuan = new Road("茶园路", 3.5, [new(1500, 390), new(1540, 800), new(1530, 1110), new(1480, 1500), new(1500, 1850)], null);
        var xinzhai = new Road("新寨路", 3.5, [new(2650, 340), new(2700, 700), new(2650, 1100)], null);
        var xinhua = new Road("新华路", 5.0, [new(3250, 20), new(3260, 380), new(3270, 800), new(3260, 1140), new(3250, 1500), new(3260, 1880), new(3240, 2230)], null);
        Roads.AddRange([main, north, south, chayuan, xinzhai, xinhua]);
        for (int k = 0; k < Roads.Count; k++) Roads[k].Order = k;
        marketPoint = new V(1530, 1110);                  // 改茶路 x 茶园路: the farmers' market corner
        busStopPoint = new V(650, 1120) + new V(0, -9);   // 改茶村 bus stop on 改茶路
        junctionPoint = new V(2650, 340);                 // 改茶南路 x 新寨路
    }

    IEnumerable<(V A, V B)> Segs(Road r)
    {
        for (int k = 0; k + 1 < r.Pts.Count; k++) yield return (r.Pts[k], r.Pts[k + 1]);
    }

    double DistToRoad(V p, Road r)
    {
        double m = double.MaxValue;
        foreach (var (a, b) in Segs(r)) m = Math.Min(m, Geo.PointSegDist(p, a, b));
        return m;
    }

    // ================= buildings =================
    static readonly double[] RentalFloorWeights = [0.04, 0.10, 0.18, 0.24, 0.20, 0.13, 0.07, 0.04]; // 2..9

    bool Fits(V[] poly, out Grid grid, bool ignoreTarget = false)
    {
        grid = null!;
        var g = GridAt(Geo.Centroid(poly));
        if (g == null || (!ignoreTarget && g.Buildings.Count >= g.Target)) return false;
        if (!Geo.InsideWithMargin(poly, g.Ring, 0.5)) return false;
        var box = Box.Of(poly);
        foreach (var r in Roads)
        {
            if (!box.Overlaps(r.Box, r.HalfWidth + 1)) continue;
            foreach (var (a, b) in Segs(r))
                if (Geo.PolySegDist(poly, a, b) < r.HalfWidth + 0.4) return false;
        }
        foreach (var o in Buildings)
            if (box.Overlaps(o.Box, 1.2) && Geo.PolyPolyDist(poly, o.Corners) < 1.0) return false;
        grid = g;
        return true;
    }

    (double F, double D) Dims(string use) => use switch
    {
        "rental_house" => (U(6, 12), U(6.5, 12)),
        "shop" => (U(5, 10), U(8, 12)),
        "residential" => (U(18, 30), U(10, 14)),
        _ => (U(10, 20), U(8, 16)),
    };

    int FloorsFor(string use) => use switch
    {
        "rental_house" => 2 + PickIndex(RentalFloorWeights),
        "shop" => I(2, 4),
        "residential" => I(6, 9),
        _ => I(2, 3),
    };

    /// <summary>Tries to put one building with its front on the given side of segment a→b at distance t along it.</summary>
    Building? TryPlace(Road road, int seg, V a, V b, double t, int side, string use, double f, double d, bool ignoreTarget = false)
    {
        V u = (b - a).Unit, n = u.Left * side;
        double setback = road.HalfWidth + U(0.5, 1.6);
        double rot = U(-1.5, 1.5) * Math.PI / 180;
        V uu = u.Rot(rot), vv = n.Rot(rot);
        V front = a + u * (t + f / 2) + n * setback;
        V c = front + vv * (d / 2);
        var corners = new[] { c - uu * (f / 2) - vv * (d / 2), c + uu * (f / 2) - vv * (d / 2), c + uu * (f / 2) + vv * (d / 2), c - uu * (f / 2) + vv * (d / 2) };
        if (Geo.SignedArea(corners) < 0) Array.Reverse(corners);
        if (!Fits(corners, out var grid, ignoreTarget)) return null;
        V entrance = c - vv * (d / 2 + 0.3);
        var bld = new Building(corners, entrance, road, road.CumAt(seg) + t + f / 2, side, use, FloorsFor(use), grid);
        Buildings.Add(bld);
        grid.Buildings.Add(bld);
        return bld;
    }

    /// <summary>Fills one side of a segment between t0 and t1 with a row of buildings separated by 1-3 m gaps.</summary>
    void FillRow(Road road, int seg, int side, double t0, double t1, Func<string> chooseUse, Func<V, bool> allowed, Func<bool> stop)
    {
        V a = road.Pts[seg], b = road.Pts[seg + 1];
        double len = (b - a).Len, t = t0;
        while (t < Math.Min(t1, len) && !stop())
        {
            V here = a + (b - a).Unit * t;
            if (!allowed(here)) { t += 4; continue; }
            string use = chooseUse();
            Building? placed = null;
            for (int attempt = 0; attempt < 3 && placed == null; attempt++)
            {
                var (f, d) = Dims(attempt == 0 ? use : "rental_house");
                if (attempt == 2) { f = U(6, 8); d = U(6.5, 8); }
                if (t + f > Math.Min(t1, len)) break;
                placed = TryPlace(road, seg, a, b, t, side, attempt == 0 ? use : "rental_house", f, d);
                if (placed != null) t += f + U(1.2, 3.0);
            }
            if (placed == null) t += 2;
        }
    }

    string FrontageUse() => PickWeighted<string>([("shop", 0.45), ("rental_house", 0.38), ("residential", 0.09), ("other", 0.08)]);
    string LaneUse() => PickWeighted<string>([("rental_house", 0.93), ("shop", 0.03), ("other", 0.04)]);

    void PlaceBuildings()
    {
        // targets: 15 pilot grids of 38-62 buildings, 3 second-station grids of 95-125
        foreach (var g in Grids) g.Target = g.Station.IsPilot ? I(38, 62) : I(95, 125);
        DenseGrid.Target = I(72, 80);   // the biggest, densest hamlet: a burglary hotspot

        // the farmers' market hall on the 改茶路 x 茶园路 corner, placed first
        {
            var seg = main.Pts.IndexOf(marketPoint);
            Building? market = null;
            for (double t = 14; t < 60 && market == null; t += 2)
                market = TryPlace(main, seg, main.Pts[seg], main.Pts[seg + 1], t, +1, "other", 32, 22, ignoreTarget: true);
            if (market == null) throw Fail("could not place the market hall");
            marketPoint = market.Entrance;
            notes.Add($"market hall {market.Grid.Code}");
        }

        var mainRoads = Roads.ToList();
        // road samples every 4 m for lane mouths and cluster centres
        var samples = new List<(Road Road, int Seg, double T, V P)>();
        foreach (var r in mainRoads)
            for (int k = 0; k + 1 < r.Pts.Count; k++)
            {
                V a = r.Pts[k], b = r.Pts[k + 1];
                double len = (b - a).Len;
                for (double t = 6; t < len - 6; t += 4) samples.Add((r, k, t, a + (b - a).Unit * t));
            }

        foreach (var g in Grids)
        {
            bool Done() => g.Buildings.Count >= g.Target;
            var cand = samples.Where(s => Geo.PointInPoly(s.P, g.Ring) && Geo.PointRingDist(s.P, g.Ring) > 30
                && mainRoads.All(r => r == s.Road || DistToRoad(s.P, r) > r.HalfWidth + 28)).ToList();
            if (!g.Station.IsPilot) { var xh = cand.Where(s => s.Road.Name == "新华路").ToList(); if (xh.Count > 0) cand = xh; }
            if (cand.Count == 0) throw Fail($"no road runs through grid {g.Code}");
            // the hamlet (寨) of this villager group: a comb of lanes off one main road, growing outward from a centre
            // (the grids with the market, the bus stop and the 改茶南路 x 新寨路 junction have their hamlet there)
            V? anchor = new[] { marketPoint, busStopPoint, junctionPoint }.Where(a => Geo.PointInPoly(a, g.Ring)).Select(a => (V?)a).FirstOrDefault();
            var c0 = anchor is { } an ? cand.MinBy(x => (x.P - an).Len) : Pick(cand);
            V center = c0.P;
            Road spine = c0.Road;
            double s0 = spine.CumAt(c0.Seg) + c0.T;
            int before = g.Buildings.Count, frontageCap = (int)(g.Target * 0.3);
            bool FrontageDone() => Done() || g.Buildings.Count - before >= frontageCap;
            var positions = new List<double> { s0 };
            double plus = 0, minus = 0;
            for (int k = 0; k < 16; k++) { plus += U(23, 32); positions.Add(s0 + plus); minus += U(23, 32); positions.Add(s0 - minus); }
            double reach = 25;
            foreach (double s in positions)
            {
                if (Done()) break;
                reach = Math.Max(reach, Math.Abs(s - s0) + 20);
                var lanes = new List<Road>();
                if (spine.At(s, out int seg, out double t))
                    foreach (int side in P(0.5) ? new[] { 1, -1 } : new[] { -1, 1 })
                        if (TryLane(spine, seg, t, side, g.Station, U(35, 95)) is { } lane) lanes.Add(lane);
                for (int k = 0; k + 1 < spine.Pts.Count && !FrontageDone(); k++)
                    foreach (int side in new[] { 1, -1 })
                        FillRow(spine, k, side, 0, double.MaxValue, FrontageUse, p => (p - center).Len < reach && GridAt(p) == g, FrontageDone);
                foreach (var lane in lanes)
                    foreach (int side in new[] { 1, -1 })
                        FillRow(lane, 0, side, 0.8, double.MaxValue, LaneUse, _ => true, Done);
            }
            // rarely needed: scattered lanes anywhere along the roads of the grid
            for (int attempt = 0; attempt < 2000 && !Done(); attempt++)
            {
                var c = Pick(cand);
                if (TryLane(c.Road, c.Seg, c.T, P(0.5) ? 1 : -1, g.Station, U(35, 95)) is not { } lane) continue;
                foreach (int side in new[] { 1, -1 })
                    FillRow(lane, 0, side, 0.8, double.MaxValue, LaneUse, _ => true, Done);
            }
            if (g.Buildings.Count < Math.Min(g.Target, 20)) throw Fail($"grid {g.Code}: only {g.Buildings.Count} buildings placed");
        }

        // name the lanes along each main road in order of their mouth: 改茶路一巷, 改茶路二巷, ...
        foreach (var r in mainRoads)
        {
            var lanes = Roads.Where(l => l.Parent == r && Buildings.Any(b => b.Road == l)).OrderBy(l => l.StartS).ToList();
            for (int k = 0; k < lanes.Count; k++) { lanes[k].Name = r.Name + Cn(k + 1) + "巷"; lanes[k].Order = r.Order * 100 + k + 1; }
        }
        foreach (var r in Roads.Where(l => l.IsLane && !Buildings.Any(b => b.Road == l))) r.Name = r.Parent!.Name + "(未命名巷)";
    }

    Road? TryLane(Road parent, int seg, double t, int side, Station st, double len)
    {
        V a = parent.Pts[seg], b = parent.Pts[seg + 1];
        V u = (b - a).Unit, n = u.Left * side;
        V mouth = a + u * t;
        V dir = n.Rot(U(-0.05, 0.05));
        double hw = U(1.2, 2.0);
        V p0 = mouth + dir * parent.HalfWidth, p1 = p0 + dir * len;
        if (!Geo.PointInPoly(p1, st.Ring) || Geo.PointRingDist(p1, st.Ring) < 15) return null;
        foreach (var r in Roads)
        {
            if (r == parent) continue;
            double need = r.HalfWidth + hw + (r.IsLane ? 17 : 12);
            foreach (var (c, d) in Segs(r))
                if (Geo.SegSegDist(p0, p1, c, d) < need) return null;
        }
        if (DistToRoad(p1, parent) < len * 0.8) return null;  // lanes leave the road, they do not run along it
        var lbox = Box.Of([p0, p1]);
        foreach (var bld in Buildings)
            if (lbox.Overlaps(bld.Box, hw + 1) && Geo.PolySegDist(bld.Corners, p0, p1) < hw + 0.5) return null;
        var lane = new Road(parent.Name + "巷", hw, [p0, p1], parent) { StartS = parent.CumAt(seg) + t };
        Roads.Add(lane);
        return lane;
    }

    void NumberBuildings()
    {
        // doorplate numbers along each road: odd on the left, even on the right, increasing away from the road's start
        foreach (var grp in Buildings.GroupBy(b => b.Road))
        {
            int odd = 1, even = 2;
            foreach (var b in grp.OrderBy(b => b.S))
                if (b.Side > 0) { b.Number = odd; odd += 2; } else { b.Number = even; even += 2; }
        }
        // codes per grid: prefix-grid-sequence, ordered by road then number
        foreach (var g in Grids)
        {
            int k = 1;
            foreach (var b in g.Buildings.OrderBy(b => b.Road.Order).ThenBy(b => b.Number))
                b.Code = $"{g.Station.Prefix}-{g.No:00}-{k++:0000}";
        }
        Buildings.Sort((x, y) => string.CompareOrdinal(x.Code, y.Code));
    }

    // ================= landlords =================
    void AssignLandlords()
    {
        var pilotGrids = Grids.Where(g => g.Station.IsPilot).ToList();
        bool Rental(Building b) => b.Use == "rental_house" && b.Landlord == null;

        // landlord.demo: 24 rental houses, 6 in each of 4 grids, runs of neighbours on one lane
        void Give(string user, int gridNo, int count)
        {
            var g = pilotGrids.First(x => x.No == gridNo);
            var runs = g.Buildings.Where(Rental).GroupBy(b => b.Road).OrderByDescending(x => x.Count()).ThenBy(x => x.Key.Order).SelectMany(x => x.OrderBy(b => b.Number)).ToList();
            if (runs.Count < count) throw Fail($"grid {g.Code} has too few rental houses for {user}");
            foreach (var b in runs.Take(count)) b.Landlord = user;
        }
        foreach (int no in new[] { 3, 6, 8, 12 }) Give("landlord.demo", no, 6);
        foreach (int no in new[] { 1, 14 }) Give("landlord.other", no, 4);

        foreach (var st in Stations)
        {
            int next = 1;
            var open = Buildings.Where(b => b.Grid.Station == st && (b.Use is "rental_house" or "shop") && b.Landlord == null)
                .OrderBy(b => b.Road.Order).ThenBy(b => b.Side).ThenBy(b => b.Number).ToList();
            for (int k = 0; k < open.Count;)
            {
                if (P(0.10)) { k++; continue; }          // no landlord account on record
                string user = st.LandlordPrefix + next++.ToString("000", Inv);
                int own = 1 + PickIndex([0.45, 0.30, 0.15, 0.10]);
                for (int m = 0; m < own && k < open.Count; m++) open[k++].Landlord = user;
            }
        }
    }

    // ================= rooms =================
    void BuildRooms()
    {
        foreach (var b in Buildings)
        {
            double area = b.Area;
            switch (b.Use)
            {
                case "rental_house":
                {
                    int k = Math.Clamp((int)Math.Round(area / 24 + U(-0.5, 0.5)), 2, 6);
                    for (int f = 1; f <= b.Floors; f++) AddRentalRooms(b, f, k, area);
                    break;
                }
                case "shop":
                {
                    int k = Math.Clamp((int)Math.Round(area / 26 + U(-0.5, 0.5)), 2, 4);
                    for (int f = 2; f <= b.Floors; f++) AddRentalRooms(b, f, k, area);
                    break;
                }
                case "residential":
                {
                    int k = Math.Clamp((int)Math.Round(area / 85), 2, 4);
                    for (int f = 1; f <= b.Floors; f++)
                        for (int m = 1; m <= k; m++)
                        {
                            int a = (int)Math.Round(Math.Clamp(area * 0.85 / k * U(0.85, 1.15), 55, 130));
                            b.Rooms.Add(new Room(b, f, (f * 100 + m).ToString(Inv), a, a < 75 ? I(2, 3) : I(3, 4)));
                        }
                    break;
                }
            }
        }
    }

    void AddRentalRooms(Building b, int floor, int k, double area)
    {
        for (int m = 1; m <= k; m++)
        {
            int a = (int)Math.Round(Math.Clamp(area * 0.82 / k * U(0.8, 1.2), 12, 40));
            int beds = a < 18 ? 1 : a < 25 ? I(1, 2) : a < 32 ? I(2, 3) : I(3, 4);
            b.Rooms.Add(new Room(b, floor, (floor * 100 + m).ToString(Inv), a, beds));
        }
    }

    // ================= people =================
    static readonly string[] Surnames =
    [
        "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "高", "林", "罗",
        "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾", "肖", "田", "董", "袁", "潘", "蒋", "蔡", "余",
        "杜", "叶", "程", "苏", "魏", "吕", "丁", "任", "沈", "姚", "卢", "钟", "谭", "陆", "汪", "范", "石", "廖", "贾", "韦",
        "付", "方", "邹", "熊", "秦", "江", "雷", "龙", "陶", "黎", "贺", "龚", "万", "严", "覃", "莫", "向", "赖", "文", "欧阳",
    ];
    static readonly string[] CommonSurnames = ["王", "李", "张", "刘", "陈", "杨", "黄", "吴", "罗", "周", "赵", "龙", "石", "潘"];
    static readonly string MaleChars = "伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆旭宁龙林阳峰建国文志海成兵江云东亮松川坤洪福德贵忠义金永";
    static readonly string FemaleChars = "芳娜敏静丽艳娟霞秀英玲桂兰燕萍红梅琳倩婷雪慧颖佳欣怡悦晶莉丹蓉月琴露璐媛洁莎菊凤琼";

    string GivenName(bool male)
    {
        string pool = male ? MaleChars : FemaleChars;
        string one = pool[rng.Next(pool.Length)].ToString();
        return P(0.62) ? one + pool[rng.Next(pool.Length)] : one;
    }

    string Surname() => P(0.45) ? Pick(CommonSurnames) : Pick(Surnames);

    // ID region codes (GB/T 2260, county level): local Guiyang (5201xx) and the places the floating population comes from
    static readonly (string[] Codes, double Weight)[] LocalRegions =
    [
        (["520103"], 0.55), (["520102"], 0.25), (["520111", "520112", "520113", "520115"], 0.12), (["520121", "520122", "520123", "520181"], 0.08),
    ];
    static readonly (string[] Codes, double Weight)[] FloatingRegions =
    [
        (["520201", "520203", "520281"], 0.05),                                    // 六盘水
        (["520302", "520303", "520304", "520322", "520323", "520324", "520382"], 0.08), // 遵义
        (["520402", "520403", "520422", "520423"], 0.06),                          // 安顺
        (["520502", "520521", "520522", "520523", "520524", "520525", "520526", "520527"], 0.13), // 毕节
        (["520602", "520603", "520621", "520623", "520624"], 0.04),                // 铜仁
        (["522301", "522323", "522325"], 0.03),                                    // 黔西南州
        (["522601", "522622", "522623", "522631", "522632"], 0.06),                // 黔东南州
        (["522701", "522702", "522722", "522723", "522725", "522726", "522730", "522731"], 0.06), // 黔南州
        (["510302", "510502", "510521", "510603", "510703", "510802", "510903", "511002", "511302", "511402", "511502", "511602", "511702", "511902", "513401"], 0.14), // 四川
        (["500101", "500102", "500110", "500112", "500113", "500240", "500241", "500242", "500243"], 0.10), // 重庆
        (["430102", "430405", "430502", "430602", "430702", "430802", "431102", "431202", "431302", "433101"], 0.07), // 湖南
        (["530102", "530302", "530402", "530602", "530621", "532301", "532501", "532901"], 0.07), // 云南
        (["450102", "450202", "450302", "450802", "450902", "451002", "451202"], 0.04), // 广西
        (["360102", "360302", "360702", "360802", "360902", "361102"], 0.03),      // 江西
        (["410102", "410302", "411302", "411402", "411502", "411602", "411702"], 0.03), // 河南
        (["340102", "340202", "341202", "341302", "341502", "341602"], 0.03),      // 安徽
    ];

    string Region(bool local)
    {
        var table = local ? LocalRegions : FloatingRegions;
        var w = table.Select(x => x.Weight).ToArray();
        return Pick(table[PickIndex(w)].Codes);
    }

    public static char CheckDigit(string first17)
    {
        int[] w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
        int s = 0;
        for (int i = 0; i < 17; i++) s += (first17[i] - '0') * w[i];
        return "10X98765432"[s % 11];
    }

    public static int AgeAt(DateOnly birth, DateOnly on) => on.Year - birth.Year - (on < birth.AddYears(on.Year - birth.Year) ? 1 : 0);

    string IdNumber(string region, int age, bool male)
    {
        for (int tries = 0; tries < 100; tries++)
        {
            // a birth date that makes the person exactly `age` on RefDate
            var latest = RefDate.AddYears(-age);
            var birth = latest.AddDays(-rng.Next(365));
            string seq = rng.Next(0, 100).ToString("00", Inv) + (male ? (1 + 2 * rng.Next(5)) : 2 * rng.Next(5)).ToString(Inv);
            if (seq == "000") continue;
            string s17 = region + birth.ToString("yyyyMMdd", Inv) + seq;
            string id = s17 + CheckDigit(s17);
            if (ids.Add(id)) return id;
        }
        throw Fail("could not make a unique ID number");
    }

    static readonly string[] PhonePrefixes =
    [
        "130", "131", "132", "133", "134", "135", "136", "137", "138", "139", "150", "151", "152", "155", "156", "157", "158", "159",
        "166", "173", "175", "176", "177", "178", "180", "181", "182", "183", "185", "186", "187", "188", "189", "191", "198", "199",
    ];

    string Phone()
    {
        while (true)
        {
            string p = Pick(PhonePrefixes) + rng.Next(0, 100_000_000).ToString("00000000", Inv);
            if (phones.Add(p)) return p;
        }
    }

    void BuildEmployers()
    {
        string[] marks = ["鑫达", "宏远", "顺捷", "黔丰", "恒兴", "金阳", "盛源", "利民", "永安", "华通", "佳美", "众诚", "吉祥", "兴旺", "德润", "黔灵", "茶园", "新寨", "筑城", "山城", "百合", "蓝天", "天和", "福满"];
        string[] kinds = ["建材有限公司", "装饰工程有限公司", "物流有限公司", "餐饮店", "便利店", "汽车修理厂", "劳务有限公司", "家政服务部", "快递服务站", "酒店",
            "电子商务有限公司", "服装店", "理发店", "建筑工程有限公司", "保安服务有限公司", "物业管理有限公司", "小吃店", "五金店", "水果店", "火锅店", "网吧", "印刷厂", "食品加工厂"];
        string[] places = ["贵阳", "云岩区", "黔灵镇", "改茶村", ""];
        employers.Add("改茶农贸市场");
        employers.Add("改茶村农贸市场管理处");
        var seen = new HashSet<string>(employers);
        while (employers.Count < 110)
        {
            string kind = Pick(kinds);
            string place = kind.EndsWith("有限公司", StringComparison.Ordinal) ? Pick(["贵阳", "贵州", "贵阳市云岩区"]) : Pick(places);
            string name = place + Pick(marks) + kind;
            if (seen.Add(name)) employers.Add(name);
        }
    }

    string Employer()
    {
        // a few big employers (market, logistics) and a long tail of small firms
        double r = rng.NextDouble();
        int idx = (int)(employers.Count * r * r * r);
        return employers[Math.Min(idx, employers.Count - 1)];
    }

    DateOnly RandomMoveIn()
    {
        // floating population turns over fast: recent move-ins are commoner; all within the last 4 years
        int days = P(0.3) ? rng.Next(1, 1461) : Math.Min(1460, 1 + (int)(-Math.Log(1 - rng.NextDouble()) * 420));
        return RefDate.AddDays(-days);
    }

    string StatusFor(DateOnly moveIn)
    {
        int days = RefDate.DayNumber - moveIn.DayNumber;
        if (days <= 45) return PickWeighted<string>([("submitted", 0.55), ("confirmed", 0.40), ("verified", 0.05)]);
        if (days <= 150) return PickWeighted<string>([("submitted", 0.08), ("confirmed", 0.72), ("verified", 0.20)]);
        return PickWeighted<string>([("submitted", 0.01), ("confirmed", 0.86), ("verified", 0.13)]);
    }

    sealed record Person(string Name, bool Male, int Age, string Region, string Reason, bool NeedsEmployer);

    List<Person> Household(int size, bool residentialFlat, int yearsHere)
    {
        int minAge = 16 + yearsHere;
        bool local = P(residentialFlat ? 0.55 : 0.16);
        string region = Region(local);
        var people = new List<Person>();
        bool headMale = P(0.6);
        string headReason = PickWeighted<string>([("work", 0.68), ("business", 0.14), ("study", 0.06), ("family", 0.06), ("other", 0.06)]);
        int headAge = headReason == "study" ? I(Math.Max(17, minAge), Math.Max(24, minAge + 2))
            : Math.Clamp((int)Math.Round(33 + 9 * Gauss()), Math.Max(19, minAge), 68);
        if (headReason == "study" && size > 1) headReason = "work";
        string famName = Surname(), spouseName = Surname();
        people.Add(new Person(famName + GivenName(headMale), headMale, headAge, region, headReason, headReason is "work" or "business"));
        if (size >= 2)
        {
            int spouseAge = Math.Clamp(headAge + I(-5, 4), Math.Max(18, minAge), 70);
            bool spouseWorks = P(0.55);
            people.Add(new Person(spouseName + GivenName(!headMale), !headMale, spouseAge, P(0.8) ? region : Region(local),
                spouseWorks ? "work" : "family", spouseWorks));
        }
        for (int k = 2; k < size; k++)
        {
            bool male = P(0.5);
            string childSurname = headMale ? famName : spouseName;
            if (headAge >= 38 && P(0.7))
                people.Add(new Person(childSurname + GivenName(male), male, Math.Max(minAge, I(16, Math.Min(24, headAge - 20))), region,
                    P(0.6) ? "study" : "work", false));
            else if (P(0.3))
                people.Add(new Person(Surname() + GivenName(male), male, I(Math.Max(60, minAge), 75), region, "family", false));
            else
                people.Add(new Person(Surname() + GivenName(male), male, I(Math.Max(18, minAge), 35), region, "work", true));
        }
        return people;
    }

    void AddHousehold(Room room, DateOnly moveIn, DateOnly? moveOut, int size, bool current)
    {
        int yearsHere = (int)Math.Ceiling((RefDate.DayNumber - moveIn.DayNumber) / 365.25);
        string? sharedEmployer = P(0.5) ? Employer() : null;
        foreach (var p in Household(size, room.Building.Use == "residential", yearsHere))
        {
            string employer = p.NeedsEmployer && P(0.72) ? (sharedEmployer != null && P(0.5) ? sharedEmployer : Employer()) : "";
            if (p.Reason == "business" && P(0.6)) employer = room.Building.Grid.Station.VillageName + Pick(["利民", "顺心", "好邻居", "兴隆", "鸿运"]) + Pick(["便利店", "小吃店", "五金店", "理发店", "水果店"]);
            var m = moveIn.AddDays(P(0.85) ? 0 : rng.Next(0, 40));
            if (m >= RefDate) m = moveIn;
            if (moveOut is { } mo && m > mo) m = moveIn;
            string status = moveOut != null ? "ended" : StatusFor(m);
            Residents.Add(new Resident(room, p.Name, IdNumber(p.Region, p.Age, p.Male), Phone(), m, moveOut, p.Reason, employer, status));
            if (current) room.Current++;
        }
    }

    void PopulateResidents()
    {
        foreach (var st in Stations)
        {
            int target = st.IsPilot ? 4300 : 1050;
            var rooms = Buildings.Where(b => b.Grid.Station == st).SelectMany(b => b.Rooms).ToList();
            Shuffle(rooms);
            // the demo landlord's houses are fuller than average, so that the demo has tenants to show
            rooms = rooms.OrderBy(r => r.Building.Landlord == "landlord.demo" && P(0.6) ? 0 : 1).ToList();
            int current = 0;
            foreach (var room in rooms)
            {
                if (current >= target) break;
                int size = Math.Min(room.Beds, 1 + PickIndex([0.42, 0.30, 0.18, 0.10]));
                var moveIn = RandomMoveIn();
                AddHousehold(room, moveIn, null, size, current: true);
                current += size;
                // some occupied rooms had an earlier tenant who has moved out
                if (P(0.08) && moveIn.DayNumber - RefDate.AddYears(-4).DayNumber > 90)
                    AddPast(room, moveIn);
            }
            // some empty rooms whose last tenant left
            int past = Residents.Count(r => r.MoveOut != null && r.Room.Building.Grid.Station == st);
            foreach (var room in rooms.Where(r => r.Current == 0))
            {
                if (past >= (int)(current * 0.11)) break;
                int before = Residents.Count;
                AddPast(room, RefDate.AddDays(-rng.Next(1, 30)));
                past += Residents.Count - before;
            }
        }

        // ~10 deliberately overcrowded rooms in the pilot (2 of them in landlord.demo houses), for the police flag
        var pilotOccupied = Buildings.Where(b => b.Grid.Station.IsPilot && b.Use == "rental_house").SelectMany(b => b.Rooms).Where(r => r.Current > 0).ToList();
        var demoRooms = pilotOccupied.Where(r => r.Building.Landlord == "landlord.demo").ToList();
        var chosen = new List<Room>();
        while (chosen.Count < 2) { var r = Pick(demoRooms); if (!chosen.Contains(r)) chosen.Add(r); }
        while (chosen.Count < 10) { var r = Pick(pilotOccupied); if (!chosen.Contains(r) && r.Building.Landlord != "landlord.demo") chosen.Add(r); }
        foreach (var room in chosen)
        {
            room.Overcrowded = true;
            int extra = room.Beds - room.Current + I(1, 3);
            var moveIn = RefDate.AddDays(-rng.Next(20, 400));
            string employer = Employer();
            for (int k = 0; k < extra; k++)
            {
                bool male = P(0.75);
                int age = I(18, 45);
                string status = StatusFor(moveIn);
                Residents.Add(new Resident(room, Surname() + GivenName(male), IdNumber(Region(false), age, male), Phone(), moveIn, null, "work", employer, status));
                room.Current++;
            }
        }
        Residents.Sort((a, b) =>
        {
            int c = string.CompareOrdinal(a.Room.Building.Code, b.Room.Building.Code);
            if (c != 0) return c;
            c = int.Parse(a.Room.Number, Inv).CompareTo(int.Parse(b.Room.Number, Inv));
            if (c != 0) return c;
            c = a.MoveIn.CompareTo(b.MoveIn);
            return c != 0 ? c : string.CompareOrdinal(a.IdNumber, b.IdNumber);
        });
    }

    void AddPast(Room room, DateOnly nextMoveIn)
    {
        var start = RefDate.AddYears(-4);
        int span = nextMoveIn.DayNumber - start.DayNumber;
        if (span < 60) return;
        var moveOut = nextMoveIn.AddDays(-rng.Next(1, Math.Min(60, span / 3)));
        int stay = rng.Next(30, Math.Max(31, moveOut.DayNumber - start.DayNumber));
        var moveIn = moveOut.AddDays(-stay);
        if (moveIn < start) moveIn = start;
        int size = Math.Min(room.Beds, 1 + PickIndex([0.6, 0.3, 0.1]));
        AddHousehold(room, moveIn, moveOut, size, current: false);
    }

    // ================= cases =================
    static readonly string[] TwoRobberiesOneTheft = ["burglary", "theft", "robbery", "snatching"];
    // cases per year before (2024-11..2025-10) and after (2025-11..2026-10) the doorplates
    static readonly (string Type, int Before, int After)[] CaseTotals =
    [
        ("burglary", 126, 79), ("theft", 152, 112), ("robbery", 24, 17), ("snatching", 58, 42), ("fraud", 62, 60), ("assault", 36, 38),
    ];
    static readonly double[] Season = [1.15, 1.25, 0.95, 0.9, 0.95, 1.0, 1.05, 1.08, 0.95, 1.0, 0.92, 1.0]; // Jan..Dec

    void GenerateCases()
    {
        // hotspots: market corner, bus stop, main-road junction, and the densest lane cluster
        var dense = DenseGrid;
        var laneBlds = dense.Buildings.Where(b => b.Road.IsLane).ToList();
        var denseCenter = new V(laneBlds.Average(b => b.Entrance.X), laneBlds.Average(b => b.Entrance.Y));
        Hotspots.Add(new Hotspot("改茶农贸市场 (market, 改茶路 x 茶园路)", marketPoint, 80, 0.30));
        Hotspots.Add(new Hotspot("改茶村公交站 (bus stop on 改茶路)", busStopPoint, 60, 0.22));
        Hotspots.Add(new Hotspot("改茶南路 x 新寨路 junction", junctionPoint, 100, 0.20));
        Hotspots.Add(new Hotspot($"dense lane cluster ({dense.Name})", denseCenter, 120, 0.28));

        var pilot = Stations[0]; var second = Stations[1];
        foreach (var (type, before, after) in CaseTotals)
            for (int year = 0; year < 2; year++)
            {
                int count = year == 0 ? before : after;
                bool drops = TwoRobberiesOneTheft.Contains(type) && year == 1;
                var w = new double[12];
                for (int m = 0; m < 12; m++)
                {
                    int calMonth = (10 + m) % 12;         // m=0 is November
                    w[m] = Season[calMonth] * (drops ? 1.2 - 0.4 * m / 11.0 : 1.0);
                }
                var perMonth = Allocate(count, w);
                for (int m = 0; m < 12; m++)
                for (int k = 0; k < perMonth[m]; k++)
                {
                    var monthStart = CasesFrom.AddMonths(12 * year + m);
                    var day = monthStart.AddDays(rng.Next(DateTime.DaysInMonth(monthStart.Year, monthStart.Month)));
                    var at = day.ToDateTime(new TimeOnly(Hour(type), rng.Next(60), 0));
                    var (loc, origin) = CaseLocation(type, pilot, second);
                    Cases.Add(new Case(type, at, loc, CaseStatus(type, at), origin));
                }
            }
        Cases.Sort((a, b) => a.OccurredAt != b.OccurredAt ? a.OccurredAt.CompareTo(b.OccurredAt) : string.CompareOrdinal(a.Type, b.Type));
        var seqByYear = new Dictionary<int, int>();
        foreach (var c in Cases)
        {
            int y = c.OccurredAt.Year;
            seqByYear[y] = seqByYear.GetValueOrDefault(y) + 1;
            c.Number = $"A5201030000{y:0000}{seqByYear[y]:000000}";
        }
    }

    /// <summary>Splits total over the months in proportion to the weights with a little noise, keeping the total exact.</summary>
    int[] Allocate(int total, double[] w)
    {
        var e = w.Select(x => x * Math.Max(0.6, 1 + 0.10 * Gauss())).ToArray();
        double sum = e.Sum();
        var exact = e.Select(x => total * x / sum).ToArray();
        var n = exact.Select(x => (int)Math.Floor(x)).ToArray();
        foreach (int i in Enumerable.Range(0, w.Length).OrderByDescending(i => exact[i] - n[i]).ThenBy(i => i).Take(total - n.Sum())) n[i]++;
        return n;
    }

    int Hour(string type)
    {
        switch (type)
        {
            case "burglary": return P(0.45) ? I(9, 16) : P(0.8) ? I(0, 5) : I(17, 23);
            case "robbery":
            case "snatching": return P(0.75) ? (I(18, 26) % 24) : I(7, 17);
            case "assault": return P(0.7) ? (I(19, 27) % 24) : I(8, 18);
            case "fraud": return I(8, 21);
            default: return P(0.85) ? I(7, 22) : I(0, 6);
        }
    }

    string CaseStatus(string type, DateTime at)
    {
        int age = RefDate.DayNumber - DateOnly.FromDateTime(at).DayNumber;
        double solve = type switch { "fraud" => 0.6, "burglary" => 0.8, _ => 1.0 };
        if (age < 60) return PickWeighted<string>([("open", 0.6), ("solved", 0.25 * solve), ("closed", 0.15)]);
        if (age < 365) return PickWeighted<string>([("open", 0.28), ("solved", 0.42 * solve), ("closed", 0.30)]);
        return PickWeighted<string>([("open", 0.12), ("solved", 0.48 * solve), ("closed", 0.40)]);
    }

    (V, string) CaseLocation(string type, Station pilot, Station second)
    {
        V p;
        string origin;
        if (P(0.60))
        {
            var w = Hotspots.Select(h => h.Weight * (type == "burglary" && h.Name.StartsWith("dense", StringComparison.Ordinal) ? 2.0 : 1.0)
                                        * (type == "snatching" && h.Name.Contains("公交", StringComparison.Ordinal) ? 2.0 : 1.0)).ToArray();
            var h = Hotspots[PickIndex(w)];
            do p = h.Center + new V(Gauss(), Gauss()) * h.Sigma; while (!Geo.PointInPoly(p, DistrictRing));
            origin = "hotspot";
        }
        else
        {
            double r = rng.NextDouble();
            var ring = r < 0.72 ? pilot.Ring : r < 0.86 ? second.Ring : DistrictRing;
            var box = Box.Of(ring);
            do p = new V(U(box.MinX, box.MaxX), U(box.MinY, box.MaxY));
            while (!Geo.PointInPoly(p, ring) || (ring == DistrictRing && (Geo.PointInPoly(p, pilot.Ring) || Geo.PointInPoly(p, second.Ring))));
            origin = ring == pilot.Ring ? "pilot" : ring == second.Ring ? "second" : "district";
        }
        if (type == "burglary")
        {
            // a break-in happens at a building: snap to the nearest entrance within 150 m
            Building? best = null; double bd = 150;
            foreach (var b in Buildings) { double d = (b.Entrance - p).Len; if (d < bd) { bd = d; best = b; } }
            if (best != null) p = best.Entrance + new V(U(-1, 1), U(-1, 1));
        }
        return (p, origin);
    }

    // ================= output =================
    static string Esc(string s)
    {
        var sb = new StringBuilder(s.Length + 2).Append('"');
        foreach (char ch in s)
        {
            switch (ch)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                default:
                    if (ch < 0x20) sb.Append("\\u").Append(((int)ch).ToString("x4", Inv)); else sb.Append(ch);
                    break;
            }
        }
        return sb.Append('"').ToString();
    }

    static string Pt(V p) => $"[{Proj.F(Proj.Lon(p))},{Proj.F(Proj.Lat(p))}]";

    static string RingJson(IReadOnlyList<V> ring)
    {
        if (Geo.SignedArea(ring) <= 0) throw Fail("ring is not counter-clockwise");
        var sb = new StringBuilder("[");
        foreach (var p in ring) sb.Append(Pt(p)).Append(',');
        return sb.Append(Pt(ring[0])).Append(']').ToString();
    }

    static string Feature(string geometry, IEnumerable<(string Key, string Json)> props) =>
        "{\"type\":\"Feature\",\"geometry\":" + geometry + ",\"properties\":{" + string.Join(",", props.Select(p => Esc(p.Key) + ":" + p.Json)) + "}}";

    static string Collection(IEnumerable<string> features) =>
        "{\"type\":\"FeatureCollection\",\"features\":[\n" + string.Join(",\n", features) + "\n]}\n";

    static string MultiPolygon(IReadOnlyList<V> ring) => "{\"type\":\"MultiPolygon\",\"coordinates\":[[" + RingJson(ring) + "]]}";

    static string Csv(params string[] fields) => string.Join(",", fields.Select(f =>
        f.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + f.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : f));

    public List<(string Name, string Text)> Render()
    {
        var files = new List<(string, string)>();
        files.Add(("districts.geojson", Collection([Feature(MultiPolygon(DistrictRing), [("code", Esc("520103")), ("name", Esc("云岩区"))])])));
        files.Add(("stations.geojson", Collection(Stations.Select(s => Feature(MultiPolygon(s.Ring),
            [("code", Esc(s.Code)), ("name", Esc(s.Name)), ("districtCode", Esc("520103")), ("hotline", Esc(s.Hotline)),
             ("officerName", Esc(s.OfficerName)), ("officerPhone", Esc(s.OfficerPhone))])))));
        files.Add(("grids.geojson", Collection(Grids.Select(g => Feature(MultiPolygon(g.Ring),
            [("code", Esc(g.Code)), ("name", Esc(g.Name)), ("stationCode", Esc(g.Station.Code)), ("villageCode", Esc(g.Station.VillageCode))])))));
        files.Add(("buildings.geojson", Collection(Buildings.Select(b => Feature("{\"type\":\"Polygon\",\"coordinates\":[" + RingJson(b.Corners) + "]}",
            [("code", Esc(b.Code)), ("gridCode", Esc(b.Grid.Code)), ("use", Esc(b.Use)), ("floors", b.Floors.ToString(Inv)),
             ("entranceLon", Proj.F(Proj.Lon(b.Entrance))), ("entranceLat", Proj.F(Proj.Lat(b.Entrance))),
             ("street", Esc("黔灵镇")), ("community", Esc(b.Grid.Station.VillageName)), ("road", Esc(b.Road.Name)),
             ("number", Esc(b.Number.ToString(Inv) + "号")), ("postcode", Esc("550001")), ("landlord", b.Landlord == null ? "null" : Esc(b.Landlord))])))));
        var rooms = new StringBuilder(Csv("buildingCode", "floor", "number", "areaM2", "beds")).Append('\n');
        foreach (var b in Buildings)
            foreach (var r in b.Rooms)
                rooms.Append(Csv(b.Code, r.Floor.ToString(Inv), r.Number, r.AreaM2.ToString(Inv), r.Beds.ToString(Inv))).Append('\n');
        files.Add(("rooms.csv", rooms.ToString()));
        var res = new StringBuilder(Csv("buildingCode", "room", "name", "idNumber", "phone", "moveInDate", "moveOutDate", "reason", "employer", "status")).Append('\n');
        foreach (var r in Residents)
            res.Append(Csv(r.Room.Building.Code, r.Room.Number, r.Name, r.IdNumber, r.Phone, r.MoveIn.ToString("yyyy-MM-dd", Inv),
                r.MoveOut?.ToString("yyyy-MM-dd", Inv) ?? "", r.Reason, r.Employer, r.Status)).Append('\n');
        files.Add(("residents.csv", res.ToString()));
        files.Add(("cases.geojson", Collection(Cases.Select(c => Feature("{\"type\":\"Point\",\"coordinates\":" + Pt(c.Location) + "}",
            [("caseNumber", Esc(c.Number)), ("type", Esc(c.Type)), ("occurredAt", Esc(c.OccurredAt.ToString("yyyy-MM-dd'T'HH:mm:ss", Inv) + "+08:00")),
             ("status", Esc(c.Status))])))));
        files.Add(("roads.geojson", Collection(MappedRoads().Select(r => Feature(
            "{\"type\":\"LineString\",\"coordinates\":[" + string.Join(",", RoadLine(r).Select(Pt)) + "]}",
            [("code", Esc(RoadCode(r))), ("name", Esc(r.Name)), ("kind", Esc(RoadKind(r))), ("widthM", (2 * r.HalfWidth).ToString("0.0", Inv))])))));
        files.Add(("landmarks.geojson", Collection(Landmarks().Select(l => Feature("{\"type\":\"Point\",\"coordinates\":" + Pt(l.At) + "}",
            [("code", Esc(l.Code)), ("name", Esc(l.Name)), ("kind", Esc(l.Kind))])))));
        return files;
    }

    // ================= base map: roads and landmarks =================
    // Written after everything else is generated and drawing nothing from the random sequence, so the
    // other files do not change. The roads are the centre lines the buildings were placed and numbered
    // along: main roads, and every lane (巷) that has a building (a lane nobody lives on has no name).
    IEnumerable<Road> MappedRoads() => Roads.Where(r => !r.IsLane || Buildings.Any(b => b.Road == r)).OrderBy(r => r.Order);

    // A lane starts on its parent road's centre line, so the network joins up.
    static IEnumerable<V> RoadLine(Road r) => r.IsLane ? [r.Pts[0] - (r.Pts[1] - r.Pts[0]).Unit * r.Parent!.HalfWidth, r.Pts[1]] : r.Pts;

    // R01 … for the main roads, R01-03 for the third lane off R01.
    static string RoadCode(Road r) => r.IsLane ? $"R{r.Parent!.Order + 1:00}-{r.Order % 100:00}" : $"R{r.Order + 1:00}";

    static string RoadKind(Road r) => r.IsLane ? "lane" : r.HalfWidth >= 4.5 ? "main" : "branch";

    sealed record Landmark(string Code, string Name, string Kind, V At);

    // The stations' offices and the village committees sit in `other` buildings near the middle of their
    // village's main road (the nearest one not taken), the market is the market hall, the bus stop where the
    // cases' hotspot puts it.
    List<Landmark> Landmarks()
    {
        var taken = new HashSet<Building>();
        V Office(Station s, V near)
        {
            var building = Buildings.Where(b => b.Grid.Station == s && b.Use == "other" && !taken.Contains(b))
                .OrderBy(b => (b.Entrance - near).Len).First();
            taken.Add(building);
            return new V(building.Corners.Average(c => c.X), building.Corners.Average(c => c.Y));
        }
        var market = Buildings.Single(b => b.Entrance == marketPoint);
        taken.Add(market);
        var pilot = Stations.Single(s => s.IsPilot);
        var second = Stations.Single(s => !s.IsPilot);
        return
        [
            new("LM-QL-GC", pilot.Name, "police_station", Office(pilot, new V(1150, 1090))),
            new("LM-QL-XH", second.Name, "police_station", Office(second, new V(3260, 1140))),
            new("LM-GC-CWH", "改茶村村民委员会", "village_committee", Office(pilot, new V(2100, 1160))),
            new("LM-XH-CWH", "新华村村民委员会", "village_committee", Office(second, new V(3250, 1500))),
            new("LM-GC-MARKET", "改茶农贸市场", "market", new V(market.Corners.Average(c => c.X), market.Corners.Average(c => c.Y))),
            new("LM-GC-BUS", "改茶村公交站", "bus_stop", busStopPoint),
        ];
    }

    // ================= validation =================
    public void Validate(List<(string Name, string Text)> files)
    {
        var errors = new List<string>();
        void Check(bool ok, string what) { if (!ok && errors.Count < 50) errors.Add(what); }

        List<V> Snap(IEnumerable<V> ring) => ring.Select(Proj.Snap).ToList();
        bool ValidRing(List<V> r) => r.Count >= 3 && Geo.SignedArea(r) > 0 && Geo.IsSimple(r);

        // polygons as written (rounded): CCW, simple
        var district = Snap(DistrictRing);
        Check(ValidRing(district), "district ring invalid");
        var st = Stations.Select(s => Snap(s.Ring)).ToList();
        for (int k = 0; k < st.Count; k++)
        {
            Check(ValidRing(st[k]), $"station {Stations[k].Code} ring invalid");
            Check(Geo.InsideWithMargin(st[k], district, 1), $"station {Stations[k].Code} not inside the district");
        }
        var gr = Grids.Select(g => Snap(g.Ring)).ToList();
        for (int k = 0; k < gr.Count; k++) Check(ValidRing(gr[k]), $"grid {Grids[k].Code} ring invalid");

        // exact tiling: each directed grid edge is either on its station's boundary or matched by the reverse edge of
        // exactly one other grid of the same station; station boundaries are covered exactly; areas add up
        static string Key(V a, V b) => $"{a.X:R},{a.Y:R}>{b.X:R},{b.Y:R}";
        for (int s = 0; s < Stations.Count; s++)
        {
            var mine = Enumerable.Range(0, Grids.Count).Where(k => Grids[k].Station == Stations[s]).ToList();
            var directed = new Dictionary<string, int>();
            foreach (int k in mine)
                for (int i = 0; i < gr[k].Count; i++)
                {
                    string key = Key(gr[k][i], gr[k][(i + 1) % gr[k].Count]);
                    directed[key] = directed.GetValueOrDefault(key) + 1;
                }
            var boundary = new HashSet<string>();
            for (int i = 0; i < st[s].Count; i++) boundary.Add(Key(st[s][i], st[s][(i + 1) % st[s].Count]));
            foreach (var (key, count) in directed)
            {
                var parts = key.Split('>');
                string rev = parts[1] + ">" + parts[0];
                bool onBoundary = boundary.Contains(key);
                Check(count == 1, $"edge {key} used {count} times in {Stations[s].Code}");
                Check(onBoundary ^ directed.ContainsKey(rev), $"edge {key} of {Stations[s].Code} is neither shared nor on the boundary");
            }
            foreach (var b in boundary) Check(directed.ContainsKey(b), $"station {Stations[s].Code} boundary edge {b} not covered by a grid");
            double sum = mine.Sum(k => Geo.SignedArea(gr[k])), area = Geo.SignedArea(st[s]);
            Check(Math.Abs(sum - area) < 1e-6 * area, $"grid areas of {Stations[s].Code} ({sum:F1}) differ from the station's ({area:F1})");
        }
        // the two stations share a border (the reverse of each other's edges) and do not overlap
        {
            var e0 = new HashSet<string>(); for (int i = 0; i < st[0].Count; i++) e0.Add(Key(st[0][i], st[0][(i + 1) % st[0].Count]));
            int shared = 0;
            for (int i = 0; i < st[1].Count; i++) if (e0.Contains(Key(st[1][(i + 1) % st[1].Count], st[1][i]))) shared++;
            Check(shared >= 3, "the stations do not share a border");
            Check(st[1].All(p => !Geo.PointInPoly(p, st[0]) || Geo.PointRingDist(p, st[0]) < 1e-6), "station QL-XH overlaps QL-GC");
            Check(st[0].All(p => !Geo.PointInPoly(p, st[1]) || Geo.PointRingDist(p, st[1]) < 1e-6), "station QL-GC overlaps QL-XH");
        }

        // buildings as written: valid, convex, sized, inside their grid, separated from each other
        var fp = Buildings.Select(b => Snap(b.Corners)).ToList();
        var boxes = fp.Select(Box.Of).ToList();
        for (int k = 0; k < Buildings.Count; k++)
        {
            var b = Buildings[k];
            Check(ValidRing(fp[k]) && Geo.IsConvex(fp[k]), $"building {b.Code} footprint invalid");
            int gi = Grids.IndexOf(b.Grid);
            Check(Geo.InsideWithMargin(fp[k], gr[gi], 0.1), $"building {b.Code} not inside grid {b.Grid.Code}");
            double side1 = (fp[k][1] - fp[k][0]).Len, side2 = (fp[k][2] - fp[k][1]).Len;
            Check(Math.Min(side1, side2) >= 4.9 && Math.Max(side1, side2) <= 32.5, $"building {b.Code} odd size {side1:F1}x{side2:F1}");
            var e = Proj.Snap(b.Entrance);
            double d = Geo.PointRingDist(e, fp[k]);
            Check(!Geo.PointInPoly(e, fp[k]) && d <= 1.0, $"building {b.Code} entrance not at the footprint edge ({d:F2} m)");
            Check(b.Floors is >= 2 and <= 9, $"building {b.Code} floors {b.Floors}");
        }
        var order = Enumerable.Range(0, fp.Count).OrderBy(k => boxes[k].MinX).ToList();
        int pairsTested = 0;
        for (int a = 0; a < order.Count; a++)
            for (int c = a + 1; c < order.Count; c++)
            {
                int i = order[a], j = order[c];
                if (boxes[j].MinX > boxes[i].MaxX + 0.5) break;
                if (!boxes[i].Overlaps(boxes[j], 0.5)) continue;
                pairsTested++;
                Check(Geo.SatSeparated(fp[i], fp[j], 0.5), $"buildings {Buildings[i].Code} and {Buildings[j].Code} overlap or touch");
            }
        notes.Add($"{pairsTested} close building pairs checked by separating axes");
        Check(Buildings.Select(b => b.Code).Distinct().Count() == Buildings.Count, "building codes not unique");
        Check(Buildings.Select(b => b.Grid.Station.VillageName + b.Road.Name + b.Number).Distinct().Count() == Buildings.Count, "addresses not unique");
        Check(Buildings.All(b => !b.Road.Name.Contains('(')), "a building on an unnamed lane");

        // counts
        var pilotB = Buildings.Where(b => b.Grid.Station.IsPilot).ToList();
        Check(pilotB.Count is >= 600 and <= 900, $"pilot has {pilotB.Count} buildings (600-900 wanted)");
        int secondCount = Buildings.Count - pilotB.Count;
        Check(secondCount is >= 250 and <= 400, $"second station has {secondCount} buildings (250-400 wanted)");
        foreach (var g in Grids) Check(g.Buildings.Count >= 20, $"grid {g.Code} has {g.Buildings.Count} buildings");
        Check(Grids.Count(g => g.Station.IsPilot) == 15, "pilot must have 15 grids");
        var demo = Buildings.Where(b => b.Landlord == "landlord.demo").ToList();
        Check(demo.Count == 24 && demo.All(b => b.Grid.Station.IsPilot) && demo.Select(b => b.Grid).Distinct().Count() >= 3, "landlord.demo must own 24 pilot buildings in >= 3 grids");
        var other = Buildings.Where(b => b.Landlord == "landlord.other").ToList();
        Check(other.Count == 8 && other.All(b => b.Grid.Station.IsPilot), "landlord.other must own 8 pilot buildings");
        foreach (var grp in Buildings.Where(b => b.Landlord != null && b.Landlord.Count(ch => ch == '.') == 2).GroupBy(b => b.Landlord!))
            Check(grp.Count() is >= 1 and <= 4 && grp.All(b => grp.Key.StartsWith(b.Grid.Station.LandlordPrefix, StringComparison.Ordinal)), $"landlord {grp.Key} owns {grp.Count()}");

        // rooms
        foreach (var b in Buildings)
        {
            Check(b.Rooms.Select(r => r.Number).Distinct().Count() == b.Rooms.Count, $"duplicate room in {b.Code}");
            if (b.Use == "rental_house")
                foreach (var f in b.Rooms.GroupBy(r => r.Floor)) Check(f.Count() is >= 2 and <= 6, $"{b.Code} floor {f.Key} has {f.Count()} rooms");
            foreach (var r in b.Rooms)
                Check(r.Floor >= 1 && r.Floor <= b.Floors && r.Beds is >= 1 and <= 4 && (b.Use == "residential" || r.AreaM2 is >= 12 and <= 40), $"room {b.Code}/{r.Number} out of range");
        }

        // residents
        var seenIds = new HashSet<string>(); var seenPhones = new HashSet<string>();
        foreach (var r in Residents)
        {
            string id = r.IdNumber;
            Check(id.Length == 18 && id[..17].All(char.IsAsciiDigit) && CheckDigit(id[..17]) == id[17], $"bad ID check digit {id}");
            Check(seenIds.Add(id), $"duplicate ID {id}");
            Check(seenPhones.Add(r.Phone) && r.Phone.Length == 11 && r.Phone[0] == '1' && r.Phone[1] >= '3' && r.Phone.All(char.IsAsciiDigit), $"bad phone {r.Phone}");
            var birth = DateOnly.ParseExact(id.Substring(6, 8), "yyyyMMdd", Inv);
            int age = AgeAt(birth, RefDate);
            Check(age is >= 16 and <= 75, $"age {age} out of range for {id}");
            Check(AgeAt(birth, r.MoveIn) >= 12, $"{id} moved in as a child");
            Check(!id.StartsWith("5201", StringComparison.Ordinal) || id[..6] is "520102" or "520103" or "520111" or "520112" or "520113" or "520115" or "520121" or "520122" or "520123" or "520181", $"unknown Guiyang region {id[..6]}");
            Check(r.MoveIn >= RefDate.AddYears(-4) && r.MoveIn < RefDate, $"move-in {r.MoveIn} out of range");
            Check(r.MoveOut == null || (r.MoveOut >= r.MoveIn && r.MoveOut < RefDate && r.Status == "ended"), $"bad move-out for {id}");
            Check(r.MoveOut != null || r.Status is "submitted" or "confirmed" or "verified", $"bad status {r.Status}");
            Check(r.Reason is "work" or "study" or "business" or "family" or "other", $"bad reason {r.Reason}");
        }
        var occupancy = Residents.Where(r => r.MoveOut == null).GroupBy(r => r.Room).ToList();
        int over = occupancy.Count(g => g.Count() > g.Key.Beds);
        Check(over == 10 && occupancy.Where(g => g.Count() > g.Key.Beds).All(g => g.Key.Overcrowded), $"{over} overcrowded rooms (10 wanted)");
        int pilotCurrent = Residents.Count(r => r.MoveOut == null && r.Room.Building.Grid.Station.IsPilot);
        Check(pilotCurrent is >= 3000 and <= 5000, $"{pilotCurrent} current pilot residents (3000-5000 wanted)");
        double local = Residents.Count(r => r.IdNumber.StartsWith("5201", StringComparison.Ordinal)) / (double)Residents.Count;
        Check(local is > 0.12 and < 0.28, $"local share {local:P1} (about 20% wanted)");

        // cases
        Check(Cases.Count is >= 600 and <= 1200, $"{Cases.Count} cases");
        Check(Cases.Select(c => c.Number).Distinct().Count() == Cases.Count, "case numbers not unique");
        var from = CasesFrom.ToDateTime(TimeOnly.MinValue); var to = RefDate.ToDateTime(TimeOnly.MinValue);
        Check(Cases.All(c => c.OccurredAt >= from && c.OccurredAt < to), "case outside the two years");
        Check(Cases.All(c => Geo.PointInPoly(Proj.Snap(c.Location), district)), "case outside the district");
        var (_, _, pct) = Drop(Cases);
        Check(pct is >= 28 and <= 33, $"两抢一盗 change {pct:F1}% (28-33% drop wanted)");
        var (pb, pa, ppct) = Drop(Cases.Where(c => GridAt(c.Location)?.Station.IsPilot == true));
        Check(ppct is >= 25 and <= 36, $"pilot-only 两抢一盗 change {ppct:F1}% ({pb}->{pa})");
        foreach (var t in new[] { "fraud", "assault" })
        {
            int x = Cases.Count(c => c.Type == t && c.OccurredAt < InstallDate.ToDateTime(TimeOnly.MinValue)), y = Cases.Count(c => c.Type == t) - x;
            Check(Math.Abs(y - x) <= 0.15 * x, $"{t} not flat ({x}->{y})");
        }

        // roads: codes unique, every building's road and lane is drawn under its name
        var mapped = MappedRoads().ToList();
        Check(mapped.Select(RoadCode).Distinct().Count() == mapped.Count, "road codes not unique");
        Check(Buildings.All(b => mapped.Contains(b.Road)), "a building's road is not in roads.geojson");
        Check(mapped.All(r => !r.Name.Contains('(')), "an unnamed road in roads.geojson");
        var landmarks = Landmarks();
        Check(landmarks.All(l => Geo.PointInPoly(Proj.Snap(l.At), district)), "a landmark outside the district");

        // file-level sanity: the JSON and CSV we wrote parse back
        foreach (var (name, text) in files)
        {
            if (name.EndsWith(".geojson", StringComparison.Ordinal))
            {
                try { using var doc = System.Text.Json.JsonDocument.Parse(text); Check(doc.RootElement.GetProperty("type").GetString() == "FeatureCollection", name); }
                catch (System.Text.Json.JsonException ex) { errors.Add($"{name}: {ex.Message}"); }
            }
        }
        Check(files.Sum(f => Encoding.UTF8.GetByteCount(f.Text)) < 5_000_000, "output larger than 5 MB");

        if (errors.Count > 0) throw Fail($"{errors.Count} check(s) failed:\n  " + string.Join("\n  ", errors));
    }

    public static (int Before, int After, double DropPct) Drop(IEnumerable<Case> cases)
    {
        var install = InstallDate.ToDateTime(TimeOnly.MinValue);
        var rt = cases.Where(c => TwoRobberiesOneTheft.Contains(c.Type)).ToList();
        int before = rt.Count(c => c.OccurredAt < install), after = rt.Count - before;
        return (before, after, before == 0 ? 0 : 100.0 * (before - after) / before);
    }

    // ================= summary =================
    public void PrintSummary(string outDir, List<(string Name, string Text)> files, TimeSpan elapsed)
    {
        var o = Console.Out;
        o.WriteLine($"Synthetic pilot GIS data for 改茶村 (seed {Seed}) -> {outDir}");
        double km2(IReadOnlyList<V> r) => Geo.SignedArea(r) / 1e6;
        o.WriteLine($"district 520103 云岩区 (generated outline): {km2(DistrictRing):F2} km²");
        foreach (var s in Stations)
        {
            var bs = Buildings.Where(b => b.Grid.Station == s).ToList();
            var cur = Residents.Count(r => r.MoveOut == null && r.Room.Building.Grid.Station == s);
            var past = Residents.Count(r => r.MoveOut != null && r.Room.Building.Grid.Station == s);
            o.WriteLine($"station {s.Code} {s.Name}: {km2(s.Ring):F2} km², {Grids.Count(g => g.Station == s)} grids, {bs.Count} buildings, {bs.Sum(b => b.Rooms.Count)} rooms, {cur} current + {past} moved-out residents");
        }
        o.WriteLine();
        static string Pad(string s, int width) => s + new string(' ', Math.Max(1, width - s.Sum(ch => ch >= 0x2E80 ? 2 : 1)));
        o.WriteLine("grid            name                 buildings rental  shop resid other rooms  beds current moved-out");
        foreach (var g in Grids)
        {
            var rooms = g.Buildings.SelectMany(b => b.Rooms).ToList();
            int cur = Residents.Count(r => r.MoveOut == null && r.Room.Building.Grid == g), past = Residents.Count(r => r.MoveOut != null && r.Room.Building.Grid == g);
            o.WriteLine($"{g.Code} {Pad(g.Name, 20)}{g.Buildings.Count,9} {g.Buildings.Count(b => b.Use == "rental_house"),6} {g.Buildings.Count(b => b.Use == "shop"),5} {g.Buildings.Count(b => b.Use == "residential"),5} {g.Buildings.Count(b => b.Use == "other"),5} {rooms.Count,5} {rooms.Sum(r => r.Beds),5} {cur,7} {past,9}");
        }
        o.WriteLine();
        o.WriteLine($"roads: {Roads.Count(r => !r.IsLane)} main roads, {Roads.Count(r => r.IsLane && Buildings.Any(b => b.Road == r))} named lanes (巷)");
        o.WriteLine($"landlords: landlord.demo {Buildings.Count(b => b.Landlord == "landlord.demo")} buildings in grids {string.Join(",", Buildings.Where(b => b.Landlord == "landlord.demo").Select(b => b.Grid.No).Distinct())}; landlord.other {Buildings.Count(b => b.Landlord == "landlord.other")}; "
            + $"{Buildings.Where(b => b.Landlord?.StartsWith("landlord.ql-", StringComparison.Ordinal) == true).Select(b => b.Landlord).Distinct().Count()} synthetic landlords; {Buildings.Count(b => b.Landlord == null)} buildings without");
        var cur2 = Residents.Where(r => r.MoveOut == null).ToList();
        o.WriteLine($"residents: {Residents.Count} rows, {cur2.Count} current, {Residents.Count - cur2.Count} moved out; local (5201xx) {100.0 * Residents.Count(r => r.IdNumber.StartsWith("5201", StringComparison.Ordinal)) / Residents.Count:F1}%");
        o.WriteLine("  status: " + string.Join(", ", Residents.GroupBy(r => r.Status).OrderByDescending(g => g.Count()).Select(g => $"{g.Key} {g.Count()}")));
        o.WriteLine("  reason: " + string.Join(", ", Residents.GroupBy(r => r.Reason).OrderByDescending(g => g.Count()).Select(g => $"{g.Key} {g.Count()}")));
        o.WriteLine("  origin: " + string.Join(", ", Residents.GroupBy(r => r.IdNumber[..2] == "52" ? (r.IdNumber[..4] == "5201" ? "贵阳 5201" : "贵州其他 52") : r.IdNumber[..2])
            .OrderByDescending(g => g.Count()).Select(g => $"{g.Key} {g.Count()}")));
        o.WriteLine($"  overcrowded rooms (current > beds): {Residents.Where(r => r.MoveOut == null).GroupBy(r => r.Room).Count(g => g.Count() > g.Key.Beds)}: "
            + string.Join(" ", Buildings.SelectMany(b => b.Rooms).Where(r => r.Overcrowded).Select(r => $"{r.Building.Code}/{r.Number}({r.Current}>{r.Beds})")));
        var demoRes = Residents.Where(r => r.Room.Building.Landlord == "landlord.demo").ToList();
        o.WriteLine($"  in landlord.demo houses: {demoRes.Count(r => r.MoveOut == null)} current ({demoRes.Count(r => r.Status == "submitted")} submitted awaiting confirmation), {demoRes.Count(r => r.MoveOut != null)} moved out");
        o.WriteLine();
        o.WriteLine($"cases: {Cases.Count} ({CasesFrom:yyyy-MM-dd} .. {RefDate.AddDays(-1):yyyy-MM-dd}); doorplates installed {InstallDate:yyyy-MM-dd}");
        o.WriteLine("  type        before  after  change");
        var install = InstallDate.ToDateTime(TimeOnly.MinValue);
        foreach (var (type, _, _) in CaseTotals)
        {
            int x = Cases.Count(c => c.Type == type && c.OccurredAt < install), y = Cases.Count(c => c.Type == type) - x;
            o.WriteLine($"  {type,-10} {x,6} {y,6}  {100.0 * (y - x) / x,6:+0.0;-0.0}%");
        }
        var (b4, af, pct) = Drop(Cases);
        o.WriteLine($"  两抢一盗 (robbery+snatching+burglary+theft): {b4} -> {af} per year, monthly mean {b4 / 12.0:F1} -> {af / 12.0:F1}: -{pct:F1}%");
        var (pb, pa, ppct) = Drop(Cases.Where(c => GridAt(c.Location)?.Station.IsPilot == true));
        o.WriteLine($"  of which inside the pilot station QL-GC: {pb} -> {pa}: -{ppct:F1}%");
        o.Write("  monthly 两抢一盗:");
        for (int m = 0; m < 24; m++)
        {
            var ms = CasesFrom.AddMonths(m).ToDateTime(TimeOnly.MinValue); var me = CasesFrom.AddMonths(m + 1).ToDateTime(TimeOnly.MinValue);
            if (m % 12 == 0) o.Write(m == 0 ? "\n    before: " : "\n    after:  ");
            o.Write($"{Cases.Count(c => TwoRobberiesOneTheft.Contains(c.Type) && c.OccurredAt >= ms && c.OccurredAt < me),3}");
        }
        o.WriteLine();
        o.WriteLine("  status: " + string.Join(", ", Cases.GroupBy(c => c.Status).OrderByDescending(g => g.Count()).Select(g => $"{g.Key} {g.Count()}")));
        o.WriteLine("  where: " + string.Join(", ", Cases.GroupBy(c => c.Origin).OrderByDescending(g => g.Count()).Select(g => $"{g.Key} {g.Count()}"))
            + $"; inside QL-GC {Cases.Count(c => GridAt(c.Location)?.Station.IsPilot == true)}, inside QL-XH {Cases.Count(c => GridAt(c.Location)?.Station.IsPilot == false)}");
        foreach (var h in Hotspots)
            o.WriteLine($"  hotspot {h.Name}: centre {Proj.F(Proj.Lon(h.Center))},{Proj.F(Proj.Lat(h.Center))} sigma {h.Sigma} m, {Cases.Count(c => (c.Location - h.Center).Len < 2 * h.Sigma)} cases within 2 sigma");
        o.WriteLine();
        foreach (var n in notes) o.WriteLine("note: " + n);
        foreach (var (name, text) in files) o.WriteLine($"{name,-18} {Encoding.UTF8.GetByteCount(text),9:N0} bytes");
        o.WriteLine($"total              {files.Sum(f => Encoding.UTF8.GetByteCount(f.Text)),9:N0} bytes; generated and validated in {elapsed.TotalSeconds:F1} s");
    }
}
