namespace SmartDoorplate.Hosting;

public static class SecurityHeaders
{
    // No inline scripts or styles anywhere (pages load their code from /js and /css), no framing
    // (click-jacking of the reveal and confirm buttons), no MIME sniffing. Map tiles are drawn from
    // blob: workers and data: images by MapLibre, hence those two sources.
    public static IApplicationBuilder UseSmartDoorplateSecurityHeaders(this IApplicationBuilder app) =>
        app.UseSecurityHeaders(new HeaderPolicyCollection()
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
                csp.AddImgSrc().Self().Data().Blob();
                csp.AddWorkerSrc().Self().Blob();
                csp.AddConnectSrc().Self();
                csp.AddFontSrc().Self();
                csp.AddObjectSrc().None();
                csp.AddBaseUri().Self();
                csp.AddFormAction().Self();
                csp.AddFrameAncestors().None();
            }));
}
