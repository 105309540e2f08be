using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using SmartDoorplate.Accounts;
using SmartDoorplate.Map;

using SmartDoorplate.Web.Tests.Infrastructure;

namespace SmartDoorplate.Web.Tests.Map;

[Collection(PilotMapCollection.Name)]
public sealed class AreaQueryTests(PilotMapFixture app)
{
    private const string SquareWkt = "POLYGON((106.67 26.60, 106.68 26.60, 106.68 26.61, 106.67 26.61, 106.67 26.60))";
    private static readonly object Square = new
    {
        type = "Polygon",
        coordinates = new[] { new[] { new[] { 106.67, 26.60 }, [106.68, 26.60], [106.68, 26.61], [106.67, 26.61], [106.67, 26.60] } },
    };

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    // The endpoint's own statement (AreaQuery.CreateCommand), EXPLAINed with sequential scans priced
    // out: a plan that still reads buildings whole means the shape's test cannot use the GiST index
    // (a geography cast alone, or the shape tested in memory), which at city scale costs seconds.
    [Theory]
    [InlineData("polygon")]
    [InlineData("circle")]
    public async Task APolygonAndACircleFindTheirBuildingsThroughTheFootprintIndexOnTheSpheroid(string shape)
    {
        var request = shape == "polygon"
            ? new AreaRequest(JsonSerializer.SerializeToElement(Square), null, null, "走访")
            : new AreaRequest(null, [106.675, 26.61], 150, "走访");
        var dataSource = app.Services.GetRequiredService<NpgsqlDataSource>();
        await using var area = AreaQuery.CreateCommand(dataSource, request, new CallerScope(ScopeKind.Station, 1, StationId: 1));
        var plan = await QueryPlans.IndexedPlanAsync(dataSource, area);

        Assert.Contains(plan, line => line.Contains("ix_buildings_footprint"));
        Assert.DoesNotContain(plan, line => line.Contains("Seq Scan on buildings"));
        if (shape == "circle") Assert.Matches(@"ST_DWithin\(b\.footprint, @center, @degrees\) and ST_DWithin\(b\.footprint::geography, @center::geography, @metres\)", area.CommandText);
        else Assert.Contains("ST_Intersects(b.footprint, @area)", area.CommandText);
    }

    // scripts/bench/area.sh times PostgreSQL on what `area sql` writes: it must be the endpoint's statement.
    [Fact]
    public async Task TheWrittenSqlCountsTheSameBuildingsAsTheEndpoint()
    {
        var folder = Directory.CreateTempSubdirectory("sd-area-sql-");
        try
        {
            var body = Path.Combine(folder.FullName, "square.json");
            await File.WriteAllTextAsync(body, JsonSerializer.Serialize(new { polygon = Square, purpose = "走访核查" }));
            var exit = await SmartDoorplate.Cli.CommandLineVerbs.RunAsync(app.Services, ["area", "sql", body, "--station", "QL-GC", "-o", folder.FullName]);
            var sql = await File.ReadAllTextAsync(Path.Combine(folder.FullName, "square.sql"));
            var response = await JsonAsync(await app.Gaicha.PostAsJsonAsync("/api/map/area", new { polygon = Square, purpose = "走访核查" }));

            Assert.Equal(0, exit);
            Assert.DoesNotContain("@", sql);
            Assert.Equal(response.GetProperty("counts").GetProperty("buildings").GetInt32(), await app.ScalarAsync<int>(sql.TrimEnd().TrimEnd(';')));
            Assert.True(response.GetProperty("counts").GetProperty("buildings").GetInt32() > 0);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task APolygonCountsBuildingsResidentsAndFloatingInsideAndListsThemMasked()
    {
        var current = "r.status in ('confirmed', 'verified') and r.move_out_date is null";
        var inside = $"ST_Intersects(b.footprint, ST_GeomFromText('{SquareWkt}', 4326))";
        var buildings = await app.ScalarAsync<long>($"select count(*) from buildings b where {inside}");
        var residents = await app.ScalarAsync<long>($"select count(*) from buildings b join residence_registrations r on r.building_id = b.id where {inside} and {current}");
        var floating = await app.ScalarAsync<long>($"""
            select count(*) from buildings b join residence_registrations r on r.building_id = b.id join persons p on p.id = r.person_id
            where {inside} and {current} and p.origin_region_code not like '5201%'
            """);
        // The list shows the first 200 in the map's order: building code, room, name.
        var firstListed = await app.ScalarAsync<string>($"""
            select string_agg(person_id::text, ',' order by n) from (
                select r.person_id, row_number() over (order by b.code, coalesce(o.number, r.room_label), p.name, r.id) as n
                from buildings b join residence_registrations r on r.building_id = b.id join persons p on p.id = r.person_id
                left join rooms o on o.id = r.room_id
                where {inside} and {current}) ordered
            where n <= 200
            """);

        var response = await app.Gaicha.PostAsJsonAsync("/api/map/area", new { polygon = Square, purpose = "走访核查出租屋" });
        var result = await JsonAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("polygon", result.GetProperty("shape").GetString());
        Assert.Equal(buildings, result.GetProperty("counts").GetProperty("buildings").GetInt64());
        Assert.Equal(residents, result.GetProperty("counts").GetProperty("residents").GetInt64());
        Assert.Equal(floating, result.GetProperty("counts").GetProperty("floating").GetInt64());
        Assert.True(residents > 200, "the square should hold more residents than one list shows");
        Assert.True(result.GetProperty("truncated").GetBoolean());
        var listed = result.GetProperty("residents").EnumerateArray().ToList();
        Assert.Equal(200, listed.Count);
        Assert.Equal(firstListed, string.Join(",", listed.Select(person => person.GetProperty("personId").GetString())));
        Assert.All(listed, person =>
        {
            Assert.Matches(@"^\d{4}\*{10}[\dX]{4}$", person.GetProperty("idNumber").GetString());
            Assert.Matches(@"^\p{IsCJKUnifiedIdeographs}\*+$", person.GetProperty("name").GetString());
        });
    }

    [Fact]
    public async Task ACircleIsMeasuredInMetresOnTheGround()
    {
        // Two buildings' entrances and their distance on the spheroid.
        var pair = await app.ScalarAsync<string>("""
            select a.id || ' ' || ST_X(a.entrance) || ' ' || ST_Y(a.entrance) || ' ' || b.id || ' ' || ST_Distance(a.entrance::geography, b.footprint::geography)
            from buildings a join buildings b on b.code = 'GC-08-0003' where a.code = 'GC-08-0001'
            """);
        var parts = pair.Split(' ');
        var (lon, lat) = (double.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture), double.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture));
        var metres = double.Parse(parts[4], System.Globalization.CultureInfo.InvariantCulture);

        async Task<int> BuildingsWithinAsync(double radius) =>
            (await JsonAsync(await app.Gaicha.PostAsJsonAsync("/api/map/area", new { center = new[] { lon, lat }, radiusMetres = radius, purpose = "走访核查" })))
                .GetProperty("counts").GetProperty("buildings").GetInt32();
        var justShort = await BuildingsWithinAsync(Math.Max(1, metres - 2));
        var justOver = await BuildingsWithinAsync(metres + 2);

        Assert.InRange(metres, 5, 200);
        Assert.True(justOver > justShort, $"a circle {metres + 2:0} m wide should reach GC-08-0003, {metres - 2:0} m should not");
    }

    [Fact]
    public async Task TheAreaQueryNeedsAPurposeAndIsAuditedAsAPersonSearch()
    {
        var purpose = $"核查可疑出租屋 {Guid.NewGuid():N}";
        var without = await app.Gaicha.PostAsJsonAsync("/api/map/area", new { center = new[] { 106.6756, 26.61 }, radiusMetres = 80 });

        var with = await JsonAsync(await app.Gaicha.PostAsJsonAsync("/api/map/area", new { center = new[] { 106.6756, 26.61 }, radiusMetres = 80, purpose }));
        var audited = await app.ScalarAsync<string>($"""
            select action || '|' || target_type || '|' || coalesce(target_id, '-') || '|' || actor_name || '|' || jsonb_array_length(details -> 'persons')
            from audit_events where purpose = '{purpose}'
            """);

        Assert.Equal(HttpStatusCode.BadRequest, without.StatusCode);
        Assert.True(with.GetProperty("listed").GetInt32() > 0);
        Assert.Equal($"person_search|person|-|police.gaicha|{with.GetProperty("listed").GetInt32()}", audited);
    }

    [Fact]
    public async Task AnOfficerOfTheOtherStationFindsNobodyInThePilotArea()
    {
        var result = await JsonAsync(await app.Other.PostAsJsonAsync("/api/map/area", new { polygon = Square, purpose = "走访核查" }));

        Assert.Equal(0, result.GetProperty("counts").GetProperty("buildings").GetInt32());
        Assert.Equal(0, result.GetProperty("counts").GetProperty("residents").GetInt32());
        Assert.Equal(0, result.GetProperty("residents").GetArrayLength());
    }

    public static TheoryData<string, string> BadAreas => new()
    {
        { """{"purpose":"走访核查"}""", "polygon" },
        { """{"purpose":"走访核查","center":[106.67,26.6],"radiusMetres":100,"polygon":{"type":"Polygon","coordinates":[[[106.67,26.6],[106.68,26.6],[106.68,26.61],[106.67,26.6]]]}}""", "polygon" },
        { """{"purpose":"走访核查","polygon":{"type":"Point","coordinates":[106.67,26.6]}}""", "polygon" },
        { """{"purpose":"走访核查","polygon":{"type":"Polygon","coordinates":[[[106.67,26.6],[106.68,26.6],[106.68,26.61]]]}}""", "polygon" },
        { """{"purpose":"走访核查","polygon":{"type":"Polygon","coordinates":[[[106.67,26.6],[106.68,26.6],[106.68,26.61],[106.67,26.62]]]}}""", "polygon" },
        { """{"purpose":"走访核查","polygon":{"type":"Polygon","coordinates":[[[106.67,26.6],[106.68,26.61],[106.68,26.6],[106.67,26.61],[106.67,26.6]]]}}""", "polygon" },
        { """{"purpose":"走访核查","polygon":{"type":"Polygon","coordinates":[[[106.0,26.0],[107.0,26.0],[107.0,27.0],[106.0,27.0],[106.0,26.0]]]}}""", "polygon" },
        { """{"purpose":"走访核查","center":[106.67],"radiusMetres":100}""", "center" },
        { """{"purpose":"走访核查","center":[106.67,26.6],"radiusMetres":0}""", "radiusMetres" },
        { """{"purpose":"走访核查","center":[106.67,26.6],"radiusMetres":5000}""", "radiusMetres" },
        { """{"purpose":"走访核查","center":[106.67,26.6]}""", "radiusMetres" },
        { """{"purpose":"看看","center":[106.67,26.6],"radiusMetres":100}""", "purpose" },
    };

    [Theory]
    [MemberData(nameof(BadAreas))]
    public async Task BadAreasAreProblemDetailsNamingTheField(string body, string field)
    {
        var response = await app.Gaicha.PostAsync("/api/map/area", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True((await JsonAsync(response)).GetProperty("errors").TryGetProperty(field, out _), $"no error for {field}");
    }

    [Fact]
    public async Task ListingPersonsIsForPoliceNotForAdmins()
    {
        var response = await app.Admin.PostAsJsonAsync("/api/map/area", new { polygon = Square, purpose = "走访核查" });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }
}
