using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Npgsql;
using SmartDoorplate.Accounts;
using SmartDoorplate.Data;
using SmartDoorplate.Policing.Cases;

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
// the cache empties (Data/DatabaseNoticeListener). While the listener is not connected, changes could go
// unheard, so nothing is kept or served from the cache until it listens again (and it starts empty).
// A render that began before a change is not kept after it (Data/NoticeGeneration).
public sealed class BoundaryTileCache : IDatabaseNoticeFollower, IDisposable
{
    public const string ChangeChannel = "sd_boundaries_changed";

    public IReadOnlyList<string> Channels { get; } = [ChangeChannel];

    // What an entry costs beyond its bytes (key, entry, ETag), for the size limit.
    private const int EntryOverheadBytes = 256;

    private readonly MemoryCache? cache;
    private readonly NoticeGeneration notices = new();

    public BoundaryTileCache(IOptions<BoundaryTileCacheOptions> options)
    {
        var megabytes = options.Value.SizeMegabytes;
        if (megabytes > 0) cache = new MemoryCache(new MemoryCacheOptions { SizeLimit = megabytes * 1024L * 1024L });
    }

    public bool Enabled => cache is not null;

    // Whether kept tiles may be served: the cache is on and the listener hears changes.
    public bool Following => cache is not null && notices.Following;

    public async Task<RenderedTile> GetOrRenderAsync(NpgsqlDataSource dataSource, TileAddress tile, CallerScope scope, CancellationToken cancellationToken)
    {
        var key = KeyOf(tile, scope);
        var begun = notices.Begin();
        if (Following && cache!.TryGetValue(key, out RenderedTile? kept) && kept is not null) return kept;

        var rendered = RenderedTile.Of(await VectorTileLayers.Boundaries.RenderBytesAsync(dataSource, tile, scope, TileParameters.None, cancellationToken));
        if (cache is not null)
        {
            notices.Store(begun, () =>
            {
                using var entry = cache.CreateEntry(key);
                entry.Size = rendered.Bytes.Length + EntryOverheadBytes;
                entry.Value = rendered;
            });
        }
        return rendered;
    }

    public void StartFollowing() => notices.Start(Forget);

    public void StopFollowing() => notices.Stop(Forget);

    // The outlines changed (or may have).
    public void OnNotice(string channel, string payload) => notices.Correct(Forget);

    private void Forget() => cache?.Clear();

    public int Count => cache?.Count ?? 0;

    public void Dispose() => cache?.Dispose();

    // The statement's parameters, as ScopeSql.AddParameters binds them: callers of the same scope
    // values share tiles, whatever their role or user.
    private static TileKey KeyOf(TileAddress tile, CallerScope scope) => new(
        tile.Z, tile.X, tile.Y, scope.SeesEverything,
        scope.Kind == ScopeKind.Station ? scope.StationId : null,
        scope.Kind == ScopeKind.District ? scope.DistrictId : null);

    private sealed record TileKey(int Z, int X, int Y, bool SeesEverything, long? StationId, long? DistrictId);
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
