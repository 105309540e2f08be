using SmartDoorplate.Cli;

namespace SmartDoorplate.Web.Tests.Map;

[Collection(PilotMapCollection.Name)]
public sealed class TileSqlCommandTests(PilotMapFixture app)
{
    // Program.cs starts the web host for anything it does not know as a verb: a verb missing from
    // that list would serve HTTP instead of running.
    [Fact]
    public void EveryVerbIsKnownToProgramAsAVerb()
    {
        var verbs = CommandLineVerbs.Root(app.Services).Subcommands.Select(c => c.Name).ToList();

        Assert.Contains("area", verbs);
        Assert.All(verbs, verb => Assert.True(CommandLineVerbs.IsVerb([verb]), $"{verb} is not in CommandLineVerbs.Verbs"));
    }

    // The benchmark times PostgreSQL on what `tiles sql` writes: it must be the endpoint's statement.
    [Theory]
    [InlineData("buildings", 16)]
    [InlineData("population", 14)]
    [InlineData("cases", 16)]
    [InlineData("cases", 15)]
    public async Task TheWrittenSqlMakesTheSameTileAsTheEndpoint(string layer, int zoom)
    {
        var tile = PilotMapFixture.GaichaTile(zoom);
        var folder = Directory.CreateTempSubdirectory("sd-tile-sql-");
        try
        {
            var exit = await CommandLineVerbs.RunAsync(app.Services, ["tiles", "sql", layer, tile.ToString(), "--station", "QL-GC", "-o", folder.FullName]);
            var sql = await File.ReadAllTextAsync(Path.Combine(folder.FullName, $"{layer}-{tile.Z}-{tile.X}-{tile.Y}.sql"));

            Assert.Equal(0, exit);
            Assert.DoesNotContain("@", sql);
            Assert.Equal(await app.Gaicha.GetByteArrayAsync(PilotMapFixture.TileUrl(layer, tile)), await app.ScalarAsync<byte[]>(sql.TrimEnd().TrimEnd(';')));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
