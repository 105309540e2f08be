using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SmartDoorplate.Accounts;
using SmartDoorplate.Audit;
using SmartDoorplate.Data;
using SmartDoorplate.Doorplates.Printing;

namespace SmartDoorplate.Doorplates;

public sealed record DoorplateStationDto(string Name, string Hotline);
public sealed record DoorplateDto(string Code, long BuildingId, string Address, DoorplateStationDto Station, bool Revoked);
public sealed record ReissueDoorplateRequest(string? Reason);
public sealed record ReissuedDoorplateDto(long BuildingId, string Code, int Version, DateTimeOffset IssuedAt, string? PreviousCode);

public static class DoorplatesApi
{
    // Bump when the plate template changes, so that cached plate images are fetched anew.
    private const string TemplateVersion = "plate-2026-11-1";
    // A QR shows only the link, and a code never changes: a year, immutable. A plate also shows the
    // address and the station's hotline, which can be corrected under the same code: a week, then
    // revalidated by ETag (a 304 costs one query, no drawing).
    private static readonly TimeSpan QrLifetime = TimeSpan.FromDays(365);
    private static readonly TimeSpan PlateLifetime = TimeSpan.FromDays(7);

    private enum PlateImage { QrPng, QrSvg, PlateSvg, PlatePng }

    public static IEndpointRouteBuilder MapDoorplates(this IEndpointRouteBuilder app)
    {
        // Anonymous: these answer a phone that has just scanned a plate on a wall.
        var plates = app.MapGroup("/api/doorplates").WithTags("Doorplates").AllowAnonymous();
        plates.MapGet("/{code}", GetDoorplate);
        plates.MapGet("/{code}/qr.png", ([AsParameters] PlateImageRequest r) => ImageAsync(r, PlateImage.QrPng)).Produces(StatusCodes.Status200OK, contentType: "image/png").Produces(StatusCodes.Status304NotModified).ProducesProblem(StatusCodes.Status410Gone);
        plates.MapGet("/{code}/qr.svg", ([AsParameters] PlateImageRequest r) => ImageAsync(r, PlateImage.QrSvg)).Produces(StatusCodes.Status200OK, contentType: "image/svg+xml").Produces(StatusCodes.Status304NotModified).ProducesProblem(StatusCodes.Status410Gone);
        plates.MapGet("/{code}/plate.svg", ([AsParameters] PlateImageRequest r) => ImageAsync(r, PlateImage.PlateSvg)).Produces(StatusCodes.Status200OK, contentType: "image/svg+xml").Produces(StatusCodes.Status304NotModified).ProducesProblem(StatusCodes.Status410Gone);
        plates.MapGet("/{code}/plate.png", ([AsParameters] PlateImageRequest r) => ImageAsync(r, PlateImage.PlatePng)).Produces(StatusCodes.Status200OK, contentType: "image/png").Produces(StatusCodes.Status304NotModified).ProducesProblem(StatusCodes.Status410Gone);

        app.MapPost("/api/buildings/{id:long}/doorplate/reissue", Reissue)
            .WithTags("Doorplates").RequireAuthorization(Policies.PoliceOrAdmin);
        app.MapGet("/api/grids/{code}/plates.pdf", GridSheet)
            .WithTags("Doorplates").RequireAuthorization(Policies.Admin).Produces(StatusCodes.Status200OK, contentType: "application/pdf");
        return app;
    }

    private static ProblemHttpResult UnknownPlate() =>
        TypedResults.Problem(title: "门牌码不存在 / No doorplate has this code", statusCode: StatusCodes.Status404NotFound);

    private static async Task<Results<Ok<DoorplateDto>, ProblemHttpResult>> GetDoorplate(string code, SmartDoorplateDb db, CancellationToken ct)
    {
        var face = await FindAsync(db, code, ct);
        // A revoked code still answers (revoked: true), so the scan page can say the plate was replaced.
        return face is null
            ? UnknownPlate()
            : TypedResults.Ok(new DoorplateDto(face.Code, face.BuildingId, face.FullAddress,
                new DoorplateStationDto(face.StationName, face.StationHotline), face.Revoked));
    }

    private static Task<PlateFace?> FindAsync(SmartDoorplateDb db, string code, CancellationToken ct)
    {
        if (DoorplateCode.Normalize(code) is not { } normalized) return Task.FromResult<PlateFace?>(null);
        // PUBLIC, past the scope filters on purpose: whoever stands before a plate may read what the
        // plate itself shows. Faces() projects exactly that — no owner, residents or use of the building.
        return DoorplateIssuing.Faces(db.Doorplates.IgnoreQueryFilters().AsNoTracking().Where(d => d.Code == normalized))
            .FirstOrDefaultAsync(ct);
    }

    private sealed record PlateImageRequest(
        string Code, HttpContext Http, SmartDoorplateDb Db, IOptions<DoorplateOptions> Options, PlateFonts Fonts, PlateImageCache Images,
        CancellationToken Cancellation);

    private static async Task<Results<FileContentHttpResult, StatusCodeHttpResult, ProblemHttpResult>> ImageAsync(PlateImageRequest request, PlateImage kind)
    {
        var face = await FindAsync(request.Db, request.Code, request.Cancellation);
        if (face is null) return UnknownPlate();
        if (face.Revoked)
        {
            // Nobody should print or show a replaced plate again; its JSON still explains it.
            return TypedResults.Problem(title: "此门牌已作废并更换 / This doorplate was revoked and replaced", statusCode: StatusCodes.Status410Gone);
        }

        var options = request.Options.Value;
        var link = DoorplateLinks.ScanLink(DoorplateLinks.BaseUrlFor(request.Http.Request, options), face.Code);
        var etag = ETagFor(kind, link, face);
        var headers = request.Http.Response.Headers;
        headers.ETag = etag;
        var isQr = kind is PlateImage.QrPng or PlateImage.QrSvg;
        // Shared caches may keep an image only when its link comes from configuration: otherwise the
        // link was made from the request's Host header.
        headers.CacheControl = (options.PublicBaseUrl is { Length: > 0 } ? "public" : "private")
            + (isQr ? $", max-age={(int)QrLifetime.TotalSeconds}, immutable" : $", max-age={(int)PlateLifetime.TotalSeconds}");
        if (request.Http.Request.Headers.IfNoneMatch.Any(v => v is not null && v.Split(',').Any(t => t.Trim() == etag || t.Trim() == "*")))
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }

        var image = request.Images.GetOrRender(etag, () => kind switch
        {
            PlateImage.QrPng => SkiaPlate.QrPng(QrSymbol.Encode(link)),
            PlateImage.QrSvg => Encoding.UTF8.GetBytes(SvgPlate.Qr(QrSymbol.Encode(link))),
            PlateImage.PlatePng => SkiaPlate.PlatePng(PlateLayout.Compose(face, link, request.Fonts), request.Fonts),
            _ => Encoding.UTF8.GetBytes(SvgPlate.Plate(PlateLayout.Compose(face, link, request.Fonts), $"门牌 {face.FullAddress}")),
        });
        return TypedResults.File(image, kind is PlateImage.QrPng or PlateImage.PlatePng ? "image/png" : "image/svg+xml");
    }

    // Over everything the image shows: a plate's text can change (an address corrected, a new hotline)
    // while its code stays.
    private static string ETagFor(PlateImage kind, string link, PlateFace face)
    {
        var key = kind is PlateImage.QrPng or PlateImage.QrSvg
            ? string.Join('\u001f', TemplateVersion, kind, link)
            : string.Join('\u001f', TemplateVersion, kind, link, face.Version, face.BuildingCode, face.DistrictName, face.Street,
                face.Community, face.Road, face.Number, face.FullAddress, face.StationName, face.StationHotline);
        return $"\"{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)).AsSpan(0, 16))}\"";
    }

    private static async Task<Results<Created<ReissuedDoorplateDto>, ProblemHttpResult>> Reissue(
        long id, ReissueDoorplateRequest? request, SmartDoorplateDb db, AuditTrail audit, TimeProvider clock,
        Microsoft.AspNetCore.OutputCaching.IOutputCacheStore scanPageCache, CancellationToken ct)
    {
        var reason = request?.Reason?.Trim() is { Length: > 0 } r ? r[..Math.Min(r.Length, 500)] : null;
        var plate = await DoorplateIssuing.ReissueAsync(db, audit, clock, id, reason, ct);
        // The old code's cached scan page must now say "replaced" (and log the scan) at once.
        if (plate is not null) await scanPageCache.EvictByTagAsync(Registrations.Scan.ScanPageCache.Tag, ct);
        return plate is null
            ? TypedResults.Problem(title: "楼栋不存在 / No such building", statusCode: StatusCodes.Status404NotFound)
            : TypedResults.Created($"/api/doorplates/{plate.Code}",
                new ReissuedDoorplateDto(plate.BuildingId, plate.Code, plate.Version, plate.IssuedAt, plate.PreviousCode));
    }

    // A GET that may issue plates: a building without one gets its first, as printing it is the point.
    // Issuing is idempotent (one current plate per building), so repeating the request changes nothing more.
    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> GridSheet(
        string code, HttpContext http, PlatePrinter printer, IOptions<DoorplateOptions> options, CancellationToken ct)
    {
        var selection = await printer.ForGridAsync(code, ct);
        if (selection is null) return TypedResults.Problem(title: "网格不存在 / No such grid", statusCode: StatusCodes.Status404NotFound);
        if (selection.Faces.Count == 0) return TypedResults.Problem(title: "该网格没有楼栋 / The grid has no buildings", statusCode: StatusCodes.Status404NotFound);
        using var pdf = new MemoryStream();
        await printer.WriteAsync(pdf, selection, DoorplateLinks.BaseUrlFor(http.Request, options.Value), $"门牌 网格 {code}", "grid", code, null, ct);
        return TypedResults.File(pdf.ToArray(), "application/pdf", $"doorplates-{code}.pdf");
    }
}

public static class DoorplateServices
{
    public static IServiceCollection AddDoorplates(this IServiceCollection services)
    {
        services.AddOptions<DoorplateOptions>().BindConfiguration(DoorplateOptions.Section)
            .Validate(o => string.IsNullOrEmpty(o.PublicBaseUrl) || DoorplateLinks.IsValidBaseUrl(o.PublicBaseUrl),
                "Doorplates:PublicBaseUrl must be an absolute http(s) URL without query, e.g. https://doorplate.example.cn")
            .ValidateOnStart();
        services.AddSingleton<PlateFonts>();
        services.AddSingleton<PlateImageCache>();
        services.AddScoped<PlatePrinter>();
        return services;
    }
}
