using SmartDoorplate.Data;

namespace SmartDoorplate.Loading.Import;

// The importer's own statements, beside the COPY statements of its tables. Table and column names are
// fixed strings matching Data/Migrations; values are parameters.
internal static class ImportSql
{
    public const string DistrictCodes = "select code, id from districts";

    public const string StationCodes = "select code, id from police_stations";

    public const string GridsWithDistricts = """
        select g.code, g.id, d.code, d.name
        from community_grids g
        join police_stations s on s.id = g.station_id
        join districts d on d.id = s.district_id
        """;

    public const string UsersByName = "select user_name, id, role from users where user_name = any(@names)";

    public const string CreateLandlords = """
        insert into users (user_name, display_name, role, failed_sign_ins)
        select name, name, @role, 0 from unnest(@names) as name
        returning user_name, id
        """;

    // Buildings, their addresses and their plates are three tables with foreign keys between them;
    // COPY cannot return generated ids, so each staged row takes its two ids from the tables' own
    // sequences as it is copied (in file order), and the rows are fanned out set-based afterwards.
    public const string CreateBuildingStage = """
        drop table if exists import_buildings;
        create temp table import_buildings (
            feature_number int not null,
            building_id bigint not null default nextval(pg_get_serial_sequence('buildings', 'id')),
            address_id bigint not null default nextval(pg_get_serial_sequence('standard_addresses', 'id')),
            code varchar(40) not null,
            grid_id bigint not null,
            footprint geometry(Polygon, 4326) not null,
            entrance geometry(Point, 4326) not null,
            floors int not null,
            use varchar(20) not null,
            landlord varchar(64),
            district_code char(6) not null,
            street varchar(60) not null,
            community varchar(60) not null,
            road varchar(60) not null,
            number varchar(30) not null,
            postcode varchar(6),
            full_text varchar(300) not null,
            doorplate_code varchar(32) not null
        ) on commit drop
        """;

    public const string CopyBuildingStage = """
        copy import_buildings (feature_number, code, grid_id, footprint, entrance, floors, use, landlord,
            district_code, street, community, road, number, postcode, full_text, doorplate_code)
        from stdin (format binary)
        """;

    // The staging table holds one chunk at a time (BuildingTable.BuildingStage).
    public const string EmptyBuildingStage = "truncate import_buildings";

    public const string StagedCodesAlreadyStored = """
        select s.feature_number, s.code from import_buildings s join buildings b on b.code = s.code
        order by s.feature_number
        """;

    // A footprint that does not even touch its grid is a wrong gridCode or unconverted GCJ-02
    // coordinates (shifted ~500 m), and would put the building in the wrong officer's scope.
    // Only the first features are reported (GeoImporter.MaxReportedFeatures), so only they are read; the
    // window count, taken before the limit, is how many there are in all.
    public const string BuildingsOutsideTheirGrid = """
        select b.feature_number, b.code, g.code, count(*) over ()
        from import_buildings b join community_grids g on g.id = b.grid_id
        where not ST_Intersects(g.boundary, b.footprint)
        order by b.feature_number
        limit @limit
        """;

    // The joins that add the foreign keys back over a city's rows hash in memory rather than spilling
    // to disk; SET LOCAL ends with the import's transaction.
    public const string SortInMemory = "set local work_mem = '256MB'";

    public const string MoveAddresses = """
        insert into standard_addresses (id, district_code, street, community, road, number, postcode, full_text)
        select address_id, district_code, street, community, road, number, postcode, full_text
        from import_buildings order by feature_number
        """;

    // Landlords were checked and created before this (BuildingTable.CheckAllAsync, CreateMissingLandlordsAsync).
    public const string MoveBuildings = """
        insert into buildings (id, code, address_id, grid_id, footprint, entrance, floors, use, owner_id)
        select b.building_id, b.code, b.address_id, b.grid_id, b.footprint, b.entrance, b.floors, b.use, u.id
        from import_buildings b left join users u on u.user_name = b.landlord
        order by b.feature_number
        """;

    public const string MoveDoorplates = """
        insert into doorplates (building_id, code, version)
        select building_id, doorplate_code, 1 from import_buildings order by feature_number
        """;

    // An import that at least doubles the buildings table sets aside what the three tables it fills would
    // otherwise do row by row, and does it once, set-based, after the move:
    // - secondary indexes are dropped and rebuilt from their own definitions: a sorted GiST build of
    //   200,000 footprints takes about a second, inserting them one at a time took most of the fan-out;
    // - foreign keys are dropped and added again, which checks every row with one join instead of
    //   200,000 trigger calls per key.
    // Primary keys and the unique building code stay, so those guarantees hold throughout; a unique
    // index or a key that no longer holds fails the import with its reason, and nothing is imported.
    // The key to users stays (dropping it would lock users, and sign-in with it, until the import
    // commits); most imported buildings have no landlord, and a null owner costs its check nothing.
    public const int RebuildIndexesFrom = 10_000;

    public static readonly string[] RebuiltIndexes =
    [
        "ix_buildings_address_id", "ix_buildings_entrance", "ix_buildings_entrance_cell",
        "ix_buildings_footprint", "ix_buildings_grid_id", "ix_buildings_owner_id",
        "ix_standard_addresses_full_text",
        "ix_doorplates_building_id_version", "ix_doorplates_code", "ux_doorplates_current_per_building",
    ];

    public static readonly string[] ReaddedForeignKeys =
    [
        "fk_buildings_addresses_address_id", "fk_buildings_grids_grid_id", "fk_doorplates_buildings_building_id",
    ];

    // The planner's estimate is enough to compare with the stage, and costs nothing on a big table.
    // Only the table's owner may drop its indexes and keys (the import verb runs as the owner; the app's role does not).
    public const string EstimatedBuildingsIfOwner = """
        select greatest(reltuples, 0)::bigint from pg_class
        where oid = 'buildings'::regclass and pg_has_role(relowner, 'USAGE')
        """;

    public const string IndexDefinitions = """
        select indexname, indexdef from pg_indexes
        where schemaname = current_schema() and tablename in ('buildings', 'standard_addresses', 'doorplates')
          and indexname = any(@names)
        order by indexname
        """;

    public const string ForeignKeyDefinitions = """
        select conname, conrelid::regclass::text, pg_get_constraintdef(oid) from pg_constraint
        where contype = 'f' and connamespace = current_schema()::regnamespace and conname = any(@names)
        order by conname
        """;

    public static string DropIndex(string name) =>
        $"drop index {Rebuilt(name, RebuiltIndexes)}";

    public static string DropForeignKey(string table, string name) =>
        $"alter table {Table(table)} drop constraint {Rebuilt(name, ReaddedForeignKeys)}";

    // The definition is PostgreSQL's own (pg_get_constraintdef) of a key named above, read in this transaction.
    public static string AddForeignKey(string table, string name, string definition) =>
        $"alter table {Table(table)} add constraint {Rebuilt(name, ReaddedForeignKeys)} {definition}";

    private static string Rebuilt(string name, string[] names) =>
        names.Contains(name) ? name : throw new ArgumentOutOfRangeException(nameof(name), name, "Not an index or key the importer rebuilds.");

    private static string Table(string table) =>
        table is "buildings" or "standard_addresses" or "doorplates" ? table : throw new ArgumentOutOfRangeException(nameof(table), table, "Not a table the importer fills.");

    public const string IndexBuildMemory = "set local maintenance_work_mem = '256MB'";

    public const string AnalyzeBuildings = "analyze buildings";

    // The same grid the write assigns (the lowest id that contains the point) must be in scope, so that
    // every imported case is one the officer can see afterwards.
    public static readonly string CasesOutsideScope = $$"""
        select t.n from unnest(@numbers, @lons, @lats) as t(n, x, y)
        left join lateral (
            select g.id from community_grids g
            where ST_Intersects(g.boundary, ST_SetSRID(ST_MakePoint(t.x, t.y), 4326)) order by g.id limit 1) as g on true
        where g.id is null or not {{ScopeSql.GridInScope("g.id")}}
        order by t.n
        """;

    public const string CreateCaseStage = """
        drop table if exists import_cases;
        create temp table import_cases (
            feature_number int not null,
            case_number varchar(40) not null,
            type varchar(20) not null,
            occurred_at timestamptz not null,
            location geometry(Point, 4326) not null,
            status varchar(20) not null,
            summary varchar(1000)
        ) on commit drop
        """;

    public const string CopyCaseStage = """
        copy import_cases (feature_number, case_number, type, occurred_at, location, status, summary)
        from stdin (format binary)
        """;

    // Each case is placed in the grid it lies in (the lowest id where grids overlap on a border); cases
    // outside every grid are kept, without one, for the city-wide statistics.
    public const string MoveCases = """
        with inserted as (
            insert into cases (case_number, type, occurred_at, location, status, summary, grid_id)
            select c.case_number, c.type, c.occurred_at, c.location, c.status, c.summary,
                   (select g.id from community_grids g where ST_Intersects(g.boundary, c.location) order by g.id limit 1)
            from import_cases c
            order by c.feature_number
            returning grid_id
        )
        select count(*)::int, count(*) filter (where grid_id is null)::int from inserted
        """;

    // Keys of the file already stored: each is a fixed statement with one text[] parameter @keys.
    public const string ExistingDistricts = "select code from districts where code = any(@keys)";

    public const string ExistingStations = "select code from police_stations where code = any(@keys)";

    public const string ExistingGrids = "select code from community_grids where code = any(@keys)";

    public const string ExistingBuildings = "select code from buildings where code = any(@keys)";

    public const string ExistingCases = "select case_number from cases where case_number = any(@keys)";

    public const string ExistingRoads = "select code from roads where code = any(@keys)";

    public const string ExistingLandmarks = "select code from landmarks where code = any(@keys)";
}
