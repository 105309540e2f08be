using Microsoft.Extensions.Caching.Memory;

namespace SmartDoorplate.Doorplates.Printing;

// A 300-dpi plate costs about half a second of CPU, and the plate endpoints are anonymous: the same
// image asked for again (a reload, a print shop, someone hammering one code) must not be drawn again.
// Rendered images are kept by their ETag, which covers everything they show. Its own cache with its
// own size limit, so that it cannot crowd out, or be crowded out by, anything else.
public sealed class PlateImageCache : IDisposable
{
    private readonly MemoryCache cache = new(new MemoryCacheOptions { SizeLimit = 64 * 1024 * 1024 });

    public byte[] GetOrRender(string etag, Func<byte[]> render) =>
        cache.GetOrCreate(etag, entry =>
        {
            var image = render();
            entry.Size = image.Length;
            entry.SlidingExpiration = TimeSpan.FromHours(1);
            return image;
        })!;

    public void Dispose() => cache.Dispose();
}
