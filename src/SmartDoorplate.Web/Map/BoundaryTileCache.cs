using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Npgsql;
using SmartDoorplate.Accounts;
using SmartDoorplate.Data;

namespace SmartDoorplate.Map;

public sealed class BoundaryTileCacheOptions
{
    public const string Section = "Map:BoundaryTileCache";

    // Bytes of tiles kept at most; 0 turns the cache off (every boundaries tile is rendered).
    public int SizeMegabytes { get; set; } = 64;
}

// A boundaries tile (district, station and grid outlines) is the same for every caller of a scope and
// changes only when an import rewrites the outlines, yet every map view asks for it at every zoom,
// and its statement costs the server under a millisecond: about as much again went on HTTP and
// Npgsql (scripts/bench/tiles.sh). So rendered boundaries tiles are kept in memory, keyed by
// exactly what their statement binds (the tile and the caller's scope, Data/ScopeSql), as tile
// servers such as Martin keep theirs. The other layers change with every registration and case and
// are always rendered.
//
// A kept tile is right only while nothing changed the outlines, and imports run in other processes
// (`sdp import`). PostgreSQL tells: a statement trigger on the three tables notifies
// ChangeChannel when their transaction commits (migration BoundaryChangeNotices), and
// the cache empties (Data/DatabaseNotices). While the listener is not connected, changes could go
// unheard, so nothing is kept or served from the cache until it listens again (and it starts empty).
// A render that began before a change is not served after it: every change moves the generation on,
// entries are keyed by the generation their render began in, and reads look in the current one.
public sealed class BoundaryTileCache : IDatabaseNoticeFollower, IDisposable
{
    public const string ChangeChannel = "sd_boundaries_changed";

    public IReadOnlyList<string> Channels { get; } = [ChangeChannel];

    // What an entry costs beyond its bytes (key, entry, ETag), for the size limit.
    private const int EntryOverheadBytes = 256;

    private readonly MemoryCache? cache;
    private long generation;
    private volatile bool following;

    public BoundaryTileCache(IOptions<BoundaryTileCacheOptions> options)
    {
        var megabytes = options.Value.SizeMegabytes;
        if (megabytes > 0) cache = new MemoryCache(new MemoryCacheOptions { SizeLimit = megabytes * 1024L * 1024L });
    }

    public bool Enabled => cache is not null;

    // Whether kept tiles may be served: the cache is on and the listener hears changes.
    public bool Following => following && cache is not null;

    public async Task<RenderedTile> GetOrRenderAsync(NpgsqlDataSource dataSource, TileAddress tile, CallerScope scope, CancellationToken cancellationToken)
    {
        // Following is read after the generation: a listener that starts (or stops) following in
        // between has moved the generation on too.
        var key = KeyOf(Interlocked.Read(ref generation), tile, scope);
        var serving = Following;
        if (serving && cache!.TryGetValue(key, out RenderedTile? kept) && kept is not null) return kept;

        var rendered = RenderedTile.Of(await VectorTiles.RenderAsync(dataSource, VectorTileLayers.Boundaries, tile, scope, CaseFilter.All, cancellationToken));
        // Not kept if a change was heard (or the listener lost) while it was rendered: it would only
        // sit under a generation nobody reads until the next Forget clears it.
        if (serving && Following && Interlocked.Read(ref generation) == key.Generation)
        {
            using var entry = cache!.CreateEntry(key);
            entry.Size = rendered.Bytes.Length + EntryOverheadBytes;
            entry.Value = rendered;
        }
        return rendered;
    }

    // The listener hears changes from now on: whatever was kept before may be stale.
    public void StartFollowing()
    {
        Forget();
        following = true;
    }

    // The listener lost its connection: changes may go unheard until it is back.
    public void StopFollowing()
    {
        following = false;
        Forget();
    }

    public void OnNotice(string channel, string payload) => Forget();

    // The outlines changed (or may have). The generation first: a render finishing now stores under
    // the old one, which no read asks for.
    public void Forget()
    {
        Interlocked.Increment(ref generation);
        cache?.Clear();
    }

    public int Count => cache?.Count ?? 0;

    public void Dispose() => cache?.Dispose();

    // The statement's parameters, as ScopeSql.AddParameters binds them: callers of the same scope
    // values share tiles, whatever their role or user.
    private static TileKey KeyOf(long generation, TileAddress tile, CallerScope scope) => new(
        generation, tile.Z, tile.X, tile.Y, scope.SeesEverything,
        scope.Kind == ScopeKind.Station ? scope.StationId : null,
        scope.Kind == ScopeKind.District ? scope.DistrictId : null);

    private sealed record TileKey(long Generation, int Z, int X, int Y, bool SeesEverything, long? StationId, long? DistrictId);
}

public static class BoundaryTileCacheServices
{
    public static IServiceCollection AddBoundaryTileCache(this IServiceCollection services)
    {
        services.AddOptions<BoundaryTileCacheOptions>().BindConfiguration(BoundaryTileCacheOptions.Section)
            .Validate(o => o.SizeMegabytes >= 0, $"{BoundaryTileCacheOptions.Section}:SizeMegabytes must not be negative.")
            .ValidateOnStart();
        services.AddDatabaseNoticeFollower<BoundaryTileCache>();
        return services;
    }
}
