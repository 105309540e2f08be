using Microsoft.AspNetCore.OutputCaching;

namespace SmartDoorplate.Registrations.Scan;

// The scan page of a current plate shows only public, rarely changing facts (address, station
// contact), and it is what every phone in the district opens: served from memory for a minute, per
// language. Replaced or unknown plates are never cached, so their scans are always logged; signed-in
// staff (cookie or token) bypass the cache by the default policy. Reissuing a plate evicts the tag.
public static class ScanPageCache
{
    public const string PolicyName = "scan-page";
    public const string Tag = "scan-pages";

    public static IServiceCollection AddScanPageCache(this IServiceCollection services)
    {
        services.AddOutputCache(options => options.AddPolicy(PolicyName, policy => policy
            .Expire(TimeSpan.FromMinutes(1))
            .SetVaryByQuery("lang")
            .SetVaryByHeader("Accept-Language")
            .Tag(Tag)));
        return services;
    }

    public static void DoNotCache(HttpContext context)
    {
        if (context.Features.Get<IOutputCacheFeature>() is { } feature) feature.Context.AllowCacheStorage = false;
    }
}
