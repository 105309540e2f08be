using NetTopologySuite.Geometries;
using SmartDoorplate.Data;
using SmartDoorplate.Gis;

namespace SmartDoorplate.Loading.Seed;

// A rectangle of whole blocks, end-exclusive.
internal readonly record struct BlockRect(int Column0, int Row0, int Column1, int Row1)
{
    public int Columns => Column1 - Column0;
    public int Rows => Row1 - Row0;
    public int BlockCount => Columns * Rows;
}

internal sealed record CityDistrict(CitySeedVocabulary.DistrictInfo Info, BlockRect Area);

internal sealed record CityStation(int DistrictIndex, string Code, string Name, string Street, BlockRect Area);

internal sealed record CityGrid(int StationIndex, string Code, string Name, string Community, BlockRect Area, double StreetAngle, string[] Roads);

internal struct PlannedBuilding
{
    public int Cell;
    public int Grid;
    public BuildingUse Use;
    public int Floors;
    public int Rooms;
    public int FirstRoom;          // index of its first room among all generated rooms
    public int Owner;              // landlord index, -1 when nobody owns it
    public double Longitude;       // footprint centre
    public double Latitude;
    public double Width;           // metres along the street
    public double Depth;
    public double Angle;           // radians, anticlockwise from east
    public int Road;               // index into its grid's roads
    public int HouseNumber;
    public int CreatedDaysAgo;
    public double Urbanity;        // 0 (countryside) .. 1 (the busiest centre)
}

// The synthetic Guiyang: where every jurisdiction and building is, computed before any row is written.
//
// Everything sits on one lattice of 800 × 800 cells over 106.55–106.85 E, 26.45–26.75 N. A cell
// (~37 × 42 m) holds at most one building, inset from its edges, so footprints never overlap. 5 × 5
// cells make a block (~190 × 210 m); districts, stations and grids are rectangles of whole blocks, so
// grids tile stations and stations tile districts with exactly shared edges, and the grid of any point
// is found by arithmetic on the same lattice coordinates the boundaries were written with.
//
// The lattice is in degrees, not UTM metres, on purpose: rectangles in longitude/latitude keep their
// shared edges identical vertex for vertex, where projected rectangles would bend into curves that only
// nearly match. Shapes are sized in metres with the local length of a degree (LocalMetres).
internal sealed class CityLayout
{
    public const double MinLongitude = 106.55;
    public const double MinLatitude = 26.45;
    public const int CellsPerSide = 800;
    public const int CellsPerBlock = 5;
    public const int BlocksPerSide = CellsPerSide / CellsPerBlock;
    public const double CellDegrees = 0.30 / CellsPerSide;
    public const int StationCount = 60;
    public const int GridCount = 1500;

    // Footprints stay this far inside their cell, so neighbours never touch.
    private const double CellMarginMetres = 1.5;

    // Kept at a door's depth inside the front wall: a point computed exactly on an edge can round to
    // either side of it, and "the entrance is in the building" should hold for every row.
    private const double EntranceInsetMetres = 0.5;

    // Density centres, an exponential decay around each (Clark's urban density model), times lognormal
    // noise per block so that the city is lumpy: villages, estates, hills and parks with nothing.
    private static readonly (double Longitude, double Latitude, double Peak, double DecayKm)[] Centres =
    [
        (106.712, 26.582, 1.00, 2.6),   // old town: 云岩/南明 around 大十字
        (106.632, 26.622, 0.65, 2.6),   // 观山湖: 金阳 new town
        (106.640, 26.688, 0.35, 1.8),   // 白云
        (106.665, 26.492, 0.40, 2.2),   // 花溪 north, the university town
        (106.765, 26.640, 0.30, 1.8),   // 乌当: 新添
    ];
    private const double BackgroundDensity = 0.015;
    private const double BlockNoiseSigma = 0.8;
    private const double EmptyBlockShare = 0.07;

    private readonly int[] gridOfBlock;
    private readonly IReadOnlyList<Envelope> reservedAreas;

    private CityLayout(
        IReadOnlyList<CityDistrict> districts, IReadOnlyList<CityStation> stations, IReadOnlyList<CityGrid> grids,
        int[] gridOfBlock, PlannedBuilding[] buildings, int roomCount, int landlordCount, IReadOnlyList<Envelope> reservedAreas)
    {
        Districts = districts;
        Stations = stations;
        Grids = grids;
        this.gridOfBlock = gridOfBlock;
        Buildings = buildings;
        RoomCount = roomCount;
        LandlordCount = landlordCount;
        this.reservedAreas = reservedAreas;
    }

    public IReadOnlyList<CityDistrict> Districts { get; }
    public IReadOnlyList<CityStation> Stations { get; }
    public IReadOnlyList<CityGrid> Grids { get; }
    public PlannedBuilding[] Buildings { get; }
    public int RoomCount { get; }
    public int LandlordCount { get; }

    public static double MaxLongitude => ColumnLongitude(CellsPerSide);
    public static double MaxLatitude => RowLatitude(CellsPerSide);

    // The only way lattice lines become coordinates, for boundaries and look-ups alike.
    public static double ColumnLongitude(int column) => MinLongitude + column * CellDegrees;
    public static double RowLatitude(int row) => MinLatitude + row * CellDegrees;

    // reservedAreas: extents of data already in the database (the pilot's grids), kept free of
    // generated buildings and cases so that the two data sets do not pile up on the same ground.
    public static CityLayout Create(int seed, int buildingCount, IReadOnlyList<Envelope> reservedAreas)
    {
        var cells = SelectBuildingCells(seed, buildingCount, reservedAreas);
        var blockLoads = BlockLoads(cells, buildingCount);
        var districts = DistrictLayout();
        var (stations, grids, gridOfBlock) = Jurisdictions(seed, districts, blockLoads);
        var (buildings, roomCount, landlordCount) = PlanBuildings(seed, cells, gridOfBlock, grids);
        return new CityLayout(districts, stations, grids, gridOfBlock, buildings, roomCount, landlordCount, reservedAreas);
    }

    public int GridAt(double longitude, double latitude)
    {
        var column = LatticeIndex(longitude, MinLongitude, ColumnLongitude);
        var row = LatticeIndex(latitude, MinLatitude, RowLatitude);
        return gridOfBlock[row / CellsPerBlock * BlocksPerSide + column / CellsPerBlock];
    }

    public static bool IsInside(double longitude, double latitude) =>
        longitude > MinLongitude && longitude < MaxLongitude && latitude > MinLatitude && latitude < MaxLatitude;

    public bool IsReserved(double longitude, double latitude) =>
        reservedAreas.Any(e => e.Contains(longitude, latitude));

    public static MultiPolygon Boundary(BlockRect area)
    {
        var west = ColumnLongitude(area.Column0 * CellsPerBlock);
        var east = ColumnLongitude(area.Column1 * CellsPerBlock);
        var south = RowLatitude(area.Row0 * CellsPerBlock);
        var north = RowLatitude(area.Row1 * CellsPerBlock);
        var ring = Geo.Factory.CreatePolygon(
        [
            new Coordinate(west, south), new Coordinate(east, south), new Coordinate(east, north),
            new Coordinate(west, north), new Coordinate(west, south),
        ]);
        return Geo.Factory.CreateMultiPolygon([ring]);
    }

    public static Polygon Footprint(in PlannedBuilding b)
    {
        var coordinates = new Coordinate[5];
        var halfWidth = b.Width / 2;
        var halfDepth = b.Depth / 2;
        ReadOnlySpan<(double X, double Y)> corners = [(-halfWidth, -halfDepth), (halfWidth, -halfDepth), (halfWidth, halfDepth), (-halfWidth, halfDepth)];
        for (var i = 0; i < 4; i++) coordinates[i] = Offset(b, corners[i].X, corners[i].Y);
        coordinates[4] = coordinates[0].Copy();
        return Geo.Factory.CreatePolygon(coordinates);
    }

    // The door is in the middle of the front (street-side) wall.
    public static Coordinate Entrance(in PlannedBuilding b) => Offset(b, 0, -b.Depth / 2 + EntranceInsetMetres);

    private static Coordinate Offset(in PlannedBuilding b, double alongMetres, double acrossMetres)
    {
        var (sin, cos) = Math.SinCos(b.Angle);
        var east = alongMetres * cos - acrossMetres * sin;
        var north = alongMetres * sin + acrossMetres * cos;
        return new Coordinate(
            b.Longitude + east / LocalMetres.PerDegreeLongitude(b.Latitude),
            b.Latitude + north / LocalMetres.PerDegreeLatitude(b.Latitude));
    }

    // Floor division checked against the very doubles the boundaries use, so a point near a lattice
    // line lands in the cell whose polygon really contains it.
    private static int LatticeIndex(double value, double origin, Func<int, double> line)
    {
        var index = Math.Clamp((int)Math.Floor((value - origin) / CellDegrees), 0, CellsPerSide - 1);
        if (index > 0 && line(index) > value) index--;
        else if (index < CellsPerSide - 1 && line(index + 1) <= value) index++;
        return index;
    }

    public static double Urbanity(double longitude, double latitude)
    {
        var density = 0.0;
        var metresPerDegreeLongitude = LocalMetres.PerDegreeLongitude(latitude);
        var metresPerDegreeLatitude = LocalMetres.PerDegreeLatitude(latitude);
        foreach (var c in Centres)
        {
            var eastKm = (longitude - c.Longitude) * metresPerDegreeLongitude / 1000;
            var northKm = (latitude - c.Latitude) * metresPerDegreeLatitude / 1000;
            density += c.Peak * Math.Exp(-Math.Sqrt(eastKm * eastKm + northKm * northKm) / c.DecayKm);
        }
        return Math.Min(1.0, density);
    }

    // Exactly buildingCount cells, drawn without replacement with probability growing with density
    // (Efraimidis–Spirakis: the largest keys u^(1/w)), so dense areas fill up and the count is exact.
    private static int[] SelectBuildingCells(int seed, int buildingCount, IReadOnlyList<Envelope> reservedAreas)
    {
        const int cellCount = CellsPerSide * CellsPerSide;
        var blockFactor = new double[BlocksPerSide * BlocksPerSide];
        for (var block = 0; block < blockFactor.Length; block++)
        {
            var random = new SeedRandom(seed, SeedStream.Lattice, -1 - block);
            blockFactor[block] = random.Chance(EmptyBlockShare)
                ? 0
                : Math.Exp(BlockNoiseSigma * random.Normal() - BlockNoiseSigma * BlockNoiseSigma / 2);
        }

        var keys = new double[cellCount];
        var order = new int[cellCount];
        for (var cell = 0; cell < cellCount; cell++)
        {
            var column = cell % CellsPerSide;
            var row = cell / CellsPerSide;
            var longitude = ColumnLongitude(column) + CellDegrees / 2;
            var latitude = RowLatitude(row) + CellDegrees / 2;
            var weight = (Urbanity(longitude, latitude) + BackgroundDensity)
                         * blockFactor[row / CellsPerBlock * BlocksPerSide + column / CellsPerBlock];
            if (weight > 0 && reservedAreas.Count > 0)
            {
                var envelope = new Envelope(ColumnLongitude(column), ColumnLongitude(column + 1), RowLatitude(row), RowLatitude(row + 1));
                if (reservedAreas.Any(envelope.Intersects)) weight = 0;
            }
            var random = new SeedRandom(seed, SeedStream.Lattice, cell);
            keys[cell] = weight > 0 ? Math.Log(1.0 - random.NextDouble()) / weight : double.NegativeInfinity;
            order[cell] = cell;
        }

        Array.Sort(keys, order);
        if (double.IsNegativeInfinity(keys[cellCount - buildingCount]))
            throw new InvalidOperationException($"Only {keys.Count(k => !double.IsNegativeInfinity(k))} lattice cells can hold a building; {buildingCount} were asked for.");
        var selected = order[(cellCount - buildingCount)..];
        Array.Sort(selected);   // row by row: neighbours get neighbouring ids, which keeps indexes compact
        return selected;
    }

    // The weight that stations and grids are balanced on: buildings, plus an area term so that
    // countryside grids stay a walkable size instead of swallowing half a district.
    private static double[] BlockLoads(int[] cells, int buildingCount)
    {
        var loads = new double[BlocksPerSide * BlocksPerSide];
        Array.Fill(loads, 0.5 * buildingCount / loads.Length);
        foreach (var cell in cells)
            loads[cell / CellsPerSide / CellsPerBlock * BlocksPerSide + cell % CellsPerSide / CellsPerBlock] += 1;
        return loads;
    }

    // Six rectangles of blocks roughly where the real districts lie: 观山湖 west, 白云 north,
    // 乌当 north-east, 云岩 in the middle, 南明 south-east, 花溪 south.
    private static List<CityDistrict> DistrictLayout() =>
    [
        new(CitySeedVocabulary.Huaxi, new BlockRect(0, 0, 92, 52)),
        new(CitySeedVocabulary.Guanshanhu, new BlockRect(0, 52, 68, 116)),
        new(CitySeedVocabulary.Yunyan, new BlockRect(68, 52, 92, 116)),
        new(CitySeedVocabulary.Baiyun, new BlockRect(0, 116, 92, BlocksPerSide)),
        new(CitySeedVocabulary.Nanming, new BlockRect(92, 0, BlocksPerSide, 80)),
        new(CitySeedVocabulary.Wudang, new BlockRect(92, 80, BlocksPerSide, BlocksPerSide)),
    ];

    private static (List<CityStation>, List<CityGrid>, int[]) Jurisdictions(int seed, List<CityDistrict> districts, double[] blockLoads)
    {
        var loads = new BlockLoadSums(blockLoads);
        var random = new SeedRandom(seed, SeedStream.Jurisdiction, 0);
        var morphemes = CitySeedVocabulary.PlaceMorphemes.Distinct().ToArray();
        Shuffle(morphemes, ref random);

        var stationsPerDistrict = Apportion(districts.Select(d => loads.Sum(d.Area)).ToArray(), StationCount, minimum: 3);
        var stations = new List<CityStation>();
        for (var d = 0; d < districts.Count; d++)
        {
            var areas = new List<BlockRect>();
            Bisect(districts[d].Area, stationsPerDistrict[d], loads, areas);
            for (var n = 0; n < areas.Count; n++)
            {
                var place = morphemes[stations.Count % morphemes.Length];
                stations.Add(new CityStation(d, $"CITY-{districts[d].Info.Code}-{n + 1:D2}", $"{place}派出所", $"{place}街道", areas[n]));
            }
        }

        var gridsPerStation = Apportion(stations.Select(s => loads.Sum(s.Area)).ToArray(), GridCount, minimum: 4);
        var grids = new List<CityGrid>();
        var gridOfBlock = new int[BlocksPerSide * BlocksPerSide];
        for (var s = 0; s < stations.Count; s++)
        {
            var areas = new List<BlockRect>();
            Bisect(stations[s].Area, gridsPerStation[s], loads, areas);
            var community = "";
            var gridsLeftInCommunity = 0;
            var numberInCommunity = 0;
            for (var g = 0; g < areas.Count; g++)
            {
                var area = areas[g];
                if (gridsLeftInCommunity-- <= 0)
                {
                    var centre = (ColumnLongitude((area.Column0 + area.Column1) * CellsPerBlock / 2), RowLatitude((area.Row0 + area.Row1) * CellsPerBlock / 2));
                    community = random.Pick(morphemes) + (Urbanity(centre.Item1, centre.Item2) > 0.12 ? "社区" : "村");
                    gridsLeftInCommunity = random.Next(0, 3);
                    numberInCommunity = 0;
                }
                numberInCommunity++;
                var roads = Enumerable.Range(0, random.Next(2, 5))
                    .Select(_ => random.Pick(morphemes) + random.Pick(CitySeedVocabulary.RoadSuffixes))
                    .Distinct()
                    .ToArray();
                for (var row = area.Row0; row < area.Row1; row++)
                for (var column = area.Column0; column < area.Column1; column++)
                    gridOfBlock[row * BlocksPerSide + column] = grids.Count;
                grids.Add(new CityGrid(s, $"{stations[s].Code}-{g + 1:D3}", $"{community}第{numberInCommunity}网格", community, area,
                    random.Uniform(0, Math.PI / 2), roads));
            }
        }
        return (stations, grids, gridOfBlock);
    }

    private static (PlannedBuilding[], int, int) PlanBuildings(int seed, int[] cells, int[] gridOfBlock, List<CityGrid> grids)
    {
        var buildings = new PlannedBuilding[cells.Length];
        var nextHouseNumber = new int[grids.Count * 8];
        var currentLandlord = new int[grids.Count];
        var buildingsLeftForLandlord = new int[grids.Count];
        var landlordCount = 0;
        var roomCount = 0;
        for (var i = 0; i < cells.Length; i++)
        {
            var cell = cells[i];
            var column = cell % CellsPerSide;
            var row = cell / CellsPerSide;
            var gridIndex = gridOfBlock[row / CellsPerBlock * BlocksPerSide + column / CellsPerBlock];
            var grid = grids[gridIndex];
            var random = new SeedRandom(seed, SeedStream.Building, cell);
            ref var b = ref buildings[i];
            b.Cell = cell;
            b.Grid = gridIndex;
            b.Urbanity = Urbanity(ColumnLongitude(column) + CellDegrees / 2, RowLatitude(row) + CellDegrees / 2);
            b.Use = PickUse(b.Urbanity, ref random);
            (b.Floors, b.Width, b.Depth, b.Rooms) = b.Use switch
            {
                BuildingUse.Residential when b.Urbanity > 0.45 => (random.Next(8, 34), random.Uniform(18, 26), random.Uniform(12, 17), random.Next(4, 9)),
                BuildingUse.Residential => (random.Next(3, 12), random.Uniform(12, 22), random.Uniform(9, 14), random.Next(2, 7)),
                BuildingUse.RentalHouse => (random.Next(3, 8), random.Uniform(9, 16), random.Uniform(8, 13), random.Next(4, 9)),
                BuildingUse.Shop => (random.Next(1, 4), random.Uniform(10, 20), random.Uniform(8, 14), random.Next(2, 4)),
                _ => (random.Next(1, 6), random.Uniform(8, 18), random.Uniform(8, 14), random.Next(2, 5)),
            };
            b.Angle = grid.StreetAngle + random.Normal(0, 0.08);
            PlaceInCell(ref b, column, row, ref random);

            b.FirstRoom = roomCount;
            roomCount += b.Rooms;
            // Roads run east–west across the grid, each serving a band of rows.
            b.Road = (row - grid.Area.Row0 * CellsPerBlock) * grid.Roads.Length / (grid.Area.Rows * CellsPerBlock);
            b.HouseNumber = ++nextHouseNumber[gridIndex * 8 + b.Road];
            // Most buildings were recorded in the first survey months, the rest as they were built or found.
            b.CreatedDaysAgo = random.Chance(0.6) ? random.Next(1700, 1826) : random.Next(1, 1700);

            // Landlords own a few buildings each, near one another.
            if (b.Use == BuildingUse.Other || random.Chance(0.08))
            {
                b.Owner = -1;
            }
            else
            {
                if (buildingsLeftForLandlord[gridIndex]-- <= 0)
                {
                    currentLandlord[gridIndex] = landlordCount++;
                    buildingsLeftForLandlord[gridIndex] = random.Next(0, 8);
                }
                b.Owner = currentLandlord[gridIndex];
            }
        }
        return (buildings, roomCount, landlordCount);
    }

    private static BuildingUse PickUse(double urbanity, ref SeedRandom random)
    {
        var u = random.NextDouble();
        return urbanity switch
        {
            > 0.45 => u < 0.55 ? BuildingUse.Residential : u < 0.70 ? BuildingUse.Shop : u < 0.90 ? BuildingUse.RentalHouse : BuildingUse.Other,
            > 0.12 => u < 0.45 ? BuildingUse.RentalHouse : u < 0.80 ? BuildingUse.Residential : u < 0.92 ? BuildingUse.Shop : BuildingUse.Other,
            _ => u < 0.40 ? BuildingUse.RentalHouse : u < 0.80 ? BuildingUse.Residential : u < 0.88 ? BuildingUse.Shop : BuildingUse.Other,
        };
    }

    // Shrinks the rotated rectangle until its bounding box fits the cell inside the margin, then
    // jitters its centre within the slack left over.
    private static void PlaceInCell(ref PlannedBuilding b, int column, int row, ref SeedRandom random)
    {
        var centreLatitude = RowLatitude(row) + CellDegrees / 2;
        var metresPerDegreeLongitude = LocalMetres.PerDegreeLongitude(centreLatitude);
        var metresPerDegreeLatitude = LocalMetres.PerDegreeLatitude(centreLatitude);
        var cellWidth = CellDegrees * metresPerDegreeLongitude - 2 * CellMarginMetres;
        var cellHeight = CellDegrees * metresPerDegreeLatitude - 2 * CellMarginMetres;
        var (sin, cos) = Math.SinCos(b.Angle);
        var extentX = b.Width * Math.Abs(cos) + b.Depth * Math.Abs(sin);
        var extentY = b.Width * Math.Abs(sin) + b.Depth * Math.Abs(cos);
        var shrink = Math.Min(1.0, Math.Min(cellWidth / extentX, cellHeight / extentY));
        b.Width *= shrink;
        b.Depth *= shrink;
        var slackX = cellWidth - extentX * shrink;
        var slackY = cellHeight - extentY * shrink;
        var eastOfCellWest = CellMarginMetres + extentX * shrink / 2 + random.NextDouble() * slackX;
        var northOfCellSouth = CellMarginMetres + extentY * shrink / 2 + random.NextDouble() * slackY;
        b.Longitude = ColumnLongitude(column) + eastOfCellWest / metresPerDegreeLongitude;
        b.Latitude = RowLatitude(row) + northOfCellSouth / metresPerDegreeLatitude;
    }

    // Largest-remainder shares of total, each at least minimum.
    private static int[] Apportion(double[] loads, int total, int minimum)
    {
        var result = loads.Select(_ => minimum).ToArray();
        var toShare = total - minimum * loads.Length;
        var sum = loads.Sum();
        var quotas = loads.Select(l => toShare * l / sum).ToArray();
        for (var i = 0; i < loads.Length; i++) result[i] += (int)Math.Floor(quotas[i]);
        var left = total - result.Sum();
        foreach (var i in Enumerable.Range(0, loads.Length).OrderByDescending(i => quotas[i] - Math.Floor(quotas[i])).Take(left))
            result[i]++;
        return result;
    }

    // Recursive bisection into `parts` rectangles of about equal load, cutting across the longer side.
    private static void Bisect(BlockRect area, int parts, BlockLoadSums loads, List<BlockRect> output)
    {
        if (parts <= 1)
        {
            output.Add(area);
            return;
        }
        var firstParts = parts / 2;
        var target = loads.Sum(area) * firstParts / parts;
        // Blocks are ~187 m wide and ~208 m tall.
        var cutColumns = area.Columns * 187.0 >= area.Rows * 208.0;
        if (!TryCut(area, cutColumns, firstParts, parts - firstParts, target, loads, out var first, out var second)
            && !TryCut(area, !cutColumns, firstParts, parts - firstParts, target, loads, out first, out second))
            throw new InvalidOperationException($"Cannot split {area} into {parts} parts.");
        Bisect(first, firstParts, loads, output);
        Bisect(second, parts - firstParts, loads, output);
    }

    private static bool TryCut(BlockRect area, bool cutColumns, int firstParts, int secondParts, double target, BlockLoadSums loads,
        out BlockRect first, out BlockRect second)
    {
        first = second = default;
        var best = double.MaxValue;
        var length = cutColumns ? area.Columns : area.Rows;
        for (var at = 1; at < length; at++)
        {
            var a = cutColumns ? area with { Column1 = area.Column0 + at } : area with { Row1 = area.Row0 + at };
            var b = cutColumns ? area with { Column0 = area.Column0 + at } : area with { Row0 = area.Row0 + at };
            if (a.BlockCount < firstParts || b.BlockCount < secondParts) continue;
            var miss = Math.Abs(loads.Sum(a) - target);
            if (miss < best)
            {
                best = miss;
                (first, second) = (a, b);
            }
        }
        return best < double.MaxValue;
    }

    private static void Shuffle<T>(T[] items, ref SeedRandom random)
    {
        for (var i = items.Length - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    // Summed-area table: the load of any block rectangle in four look-ups.
    private sealed class BlockLoadSums
    {
        private const int Side = BlocksPerSide + 1;
        private readonly double[] sums = new double[Side * Side];

        public BlockLoadSums(double[] blockLoads)
        {
            for (var row = 0; row < BlocksPerSide; row++)
            for (var column = 0; column < BlocksPerSide; column++)
                sums[(row + 1) * Side + column + 1] = blockLoads[row * BlocksPerSide + column]
                    + sums[row * Side + column + 1] + sums[(row + 1) * Side + column] - sums[row * Side + column];
        }

        public double Sum(BlockRect r) =>
            sums[r.Row1 * Side + r.Column1] - sums[r.Row0 * Side + r.Column1] - sums[r.Row1 * Side + r.Column0] + sums[r.Row0 * Side + r.Column0];
    }
}

// WGS84 length of one degree at a latitude (the standard series for meridian and parallel arcs).
// Used only to size generated shapes in metres around their own position; distances between places
// are never measured this way.
internal static class LocalMetres
{
    public static double PerDegreeLatitude(double latitude)
    {
        var phi = latitude * Math.PI / 180;
        return 111132.954 - 559.822 * Math.Cos(2 * phi) + 1.175 * Math.Cos(4 * phi);
    }

    public static double PerDegreeLongitude(double latitude)
    {
        var phi = latitude * Math.PI / 180;
        return 111412.84 * Math.Cos(phi) - 93.5 * Math.Cos(3 * phi) + 0.118 * Math.Cos(5 * phi);
    }
}
