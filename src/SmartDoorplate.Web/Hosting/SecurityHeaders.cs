namespace SmartDoorplate.Hosting;

public static class SecurityHeaders
{
    // No inline scripts or styles anywhere (pages load their code from /js and /css), no framing
    // (click-jacking of the reveal and confirm buttons), no MIME sniffing. Map tiles are drawn from
    // blob: workers and data: images by MapLibre, hence those two sources. A site's external base map
    // (Map:BaseMap:External) adds exactly its tile servers' origins, and only when configured.
    public static IApplicationBuilder UseSmartDoorplateSecurityHeaders(this IApplicationBuilder app, IEnumerable<string>? mapTileOrigins = null)
    {
        var origins = mapTileOrigins?.ToArray() ?? [];
        return app.UseSecurityHeaders(new HeaderPolicyCollection()
            .AddFrameOptionsDeny()
            .AddContentTypeOptionsNoSniff()
            .AddReferrerPolicyStrictOriginWhenCrossOrigin()
            .AddStrictTransportSecurityMaxAgeIncludeSubDomains(maxAgeInSeconds: 365 * 24 * 3600)
            .RemoveServerHeader()
            .AddContentSecurityPolicy(csp =>
            {
                csp.AddDefaultSrc().Self();
                csp.AddScriptSrc().Self();
                csp.AddStyleSrc().Self();
                var images = csp.AddImgSrc().Self().Data().Blob();
                foreach (var origin in origins) images.From(origin);
                csp.AddWorkerSrc().Self().Blob();
                var connections = csp.AddConnectSrc().Self();
                foreach (var origin in origins) connections.From(origin);
                csp.AddFontSrc().Self();
                csp.AddObjectSrc().None();
                csp.AddBaseUri().Self();
                csp.AddFormAction().Self();
                csp.AddFrameAncestors().None();
            }));
    }
}
