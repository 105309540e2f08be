using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using NetTopologySuite.Geometries;
using Npgsql;
using SmartDoorplate.Accounts;
using SmartDoorplate.Audit;
using SmartDoorplate.Data;
using SmartDoorplate.Loading.Import;
using SmartDoorplate.Hosting;
using SmartDoorplate.Localization;

using UpdateAnswer = Microsoft.AspNetCore.Http.HttpResults.Results<
    Microsoft.AspNetCore.Http.HttpResults.Ok<SmartDoorplate.Policing.Cases.CaseDto>,
    Microsoft.AspNetCore.Http.HttpResults.ValidationProblem,
    Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult>;

namespace SmartDoorplate.Policing.Cases;

public sealed record CaseDto(
    long Id, string CaseNumber, string Type, string TypeName, DateTimeOffset OccurredAt, double Lon, double Lat,
    string Status, string? GridCode, string? Summary, uint Version);

public sealed record CaseImportDto(string File, int Imported, IReadOnlyList<string> Notes);

// Cases recorded one by one (POST, PUT with the row's version) or imported from a file through the
// one importer of `sdp import cases` (Loading/Import): checked whole, then written whole, or not at all.
// Police of the case's jurisdiction and admins; a case lies in the grid that contains it, and an
// officer may only place cases in grids of their own scope.
public static class CasesApi
{
    public const long MaxImportBytes = 20 * 1024 * 1024;
    public const int DefaultListLimit = 500;
    public const int MaxListLimit = 5000;

    public static IEndpointRouteBuilder MapCases(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/cases").WithTags("Cases").RequireAuthorization(Policies.PoliceOrAdmin);
        group.MapGet("/", List);
        group.MapGet("/{id:long}", Get);
        group.MapPost("/", Create).ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPut("/{id:long}", Update).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status428PreconditionRequired);
        // Bearer tokens or the SameSite=Strict session cookie: a cross-site form cannot post here.
        group.MapPost("/import", Import).DisableAntiforgery();
        return app;
    }

    private static async Task<Results<Ok<List<CaseDto>>, ValidationProblem>> List(
        string? from, string? to, string? types, string? grid, int? limit, SmartDoorplateDb db, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var filter = CaseFilter.Parse(from, to, types, errors);
        if (limit is < 1 or > MaxListLimit) errors["limit"] = [CasesText.LimitInvalid.ToString()];
        if (filter is null || errors.Count > 0) return ValidationProblems.For(errors, title: CasesText.ValidationTitle);

        // Npgsql writes timestamptz parameters in UTC only; the filter's bounds are Beijing midnights.
        var fromUtc = filter.From.ToUniversalTime();
        var toUtc = filter.ToExclusive.ToUniversalTime();
        var cases = db.Cases.AsNoTracking().Where(c => c.OccurredAt >= fromUtc && c.OccurredAt < toUtc);
        if (filter.Types.Length > 0)
        {
            var wanted = filter.Types.Select(SnakeCaseEnum.Parse<CaseType>).ToList();
            cases = cases.Where(c => wanted.Contains(c.Type));
        }
        if (grid is not null) cases = cases.Where(c => c.Grid!.Code == grid);
        var list = await cases.OrderByDescending(c => c.OccurredAt).ThenBy(c => c.Id).Take(limit ?? DefaultListLimit)
            .Select(c => new { Case = c, GridCode = c.Grid!.Code }).ToListAsync(ct);
        return TypedResults.Ok(list.Select(x => x.Case.AsDto(x.GridCode)).ToList());
    }

    private static async Task<Results<Ok<CaseDto>, ProblemHttpResult>> Get(long id, SmartDoorplateDb db, HttpContext http, CancellationToken ct)
    {
        var found = await db.Cases.AsNoTracking().Where(c => c.Id == id).Select(c => new { Case = c, GridCode = c.Grid!.Code }).FirstOrDefaultAsync(ct);
        if (found is null) return NotFound();
        RowVersion.SetETag(http.Response, found.Case.Version);
        return TypedResults.Ok(found.Case.AsDto(found.GridCode));
    }

    private static async Task<Results<Created<CaseDto>, ValidationProblem, ProblemHttpResult>> Create(
        CaseRequest body, SmartDoorplateDb db, AuditTrail audit, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var errors = new Dictionary<string, Bilingual>();
        var input = CaseRules.Check(body, clock.GetUtcNow(), errors);
        if (input is null) return Invalid(errors);
        var grid = await GridInScopeAsync(db, input.Location, ct);
        if (grid is null) return Invalid(new() { ["location"] = CasesText.OutsideJurisdiction });
        if (await CaseNumberTakenAsync(db, input.CaseNumber, exceptId: null, ct)) return Taken(input.CaseNumber);

        var entity = new Case { CaseNumber = input.CaseNumber, Location = input.Location };
        Apply(entity, input, grid.Value.Id);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        db.Cases.Add(entity);
        if (!await TrySaveAsync(db, ct)) return Taken(input.CaseNumber);
        await audit.AppendAsync(Audited(entity, "created"), ct);
        await transaction.CommitAsync(ct);

        RowVersion.SetETag(http.Response, entity.Version);
        return TypedResults.Created($"/api/cases/{entity.Id}", entity.AsDto(grid.Value.Code));
    }

    private static async Task<Results<Ok<CaseDto>, ValidationProblem, ProblemHttpResult>> Update(
        long id, CaseRequest body, SmartDoorplateDb db, AuditTrail audit, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        if (RowVersion.Read(http.Request, CaseRequest.Text(body.Version), out var version) == RowVersionRead.Malformed)
            return Invalid(new() { ["version"] = CasesText.VersionMalformed });

        string? gridCode = null;
        var caseNumber = "";
        var result = await AuditedChange.RunAsync<Case, UpdateAnswer>(db, audit, ct => db.Cases.FirstOrDefaultAsync(c => c.Id == id, ct),
            c => c.Version, version, VersionRule.Required, async entity =>
            {
                var errors = new Dictionary<string, Bilingual>();
                var input = CaseRules.Check(body, clock.GetUtcNow(), errors);
                if (input is null) return Refuse(Invalid(errors));
                var grid = await GridInScopeAsync(db, input.Location, ct);
                if (grid is null) return Refuse(Invalid(new() { ["location"] = CasesText.OutsideJurisdiction }));
                if (input.CaseNumber != entity.CaseNumber && await CaseNumberTakenAsync(db, input.CaseNumber, entity.Id, ct)) return Refuse(Taken(input.CaseNumber));

                caseNumber = input.CaseNumber;
                var before = new { entity.CaseNumber, type = SnakeCaseEnum.ToCode(entity.Type), status = SnakeCaseEnum.ToCode(entity.Status), entity.OccurredAt, lon = entity.Location.X, lat = entity.Location.Y };
                entity.CaseNumber = input.CaseNumber;
                Apply(entity, input, grid.Value.Id);
                gridCode = grid.Value.Code;
                return Audited(entity, "edited", before);
            }, ct, uniqueViolation: () => Taken(caseNumber));

        switch (result.State)
        {
            case ChangeState.NotFound: return NotFound();
            case ChangeState.VersionRequired:
                return TypedResults.Problem(title: CasesText.VersionRequired.ToString(), statusCode: StatusCodes.Status428PreconditionRequired);
            case ChangeState.Stale: return Stale();
            case ChangeState.Refused: return result.Refusal!;
        }

        var saved = result.Entity!;
        RowVersion.SetETag(http.Response, saved.Version);
        return TypedResults.Ok(saved.AsDto(gridCode));
    }

    private static Transition<UpdateAnswer> Refuse(UpdateAnswer refusal) => Transition<UpdateAnswer>.Refused(refusal);

    private static async Task<Results<Ok<CaseImportDto>, ValidationProblem>> Import(
        IFormFile? file, [FromForm] string? crs, SmartDoorplateDb db, AuditTrail audit, CancellationToken ct)
    {
        var extension = Path.GetExtension(file?.FileName ?? "").ToLowerInvariant();
        if (file is null || file.Length == 0) return Invalid(new() { ["file"] = CasesText.ImportFileRequired });
        if (extension is not (".csv" or ".geojson" or ".json")) return Invalid(new() { ["file"] = CasesText.ImportFileType });
        if (file.Length > MaxImportBytes) return Invalid(new() { ["file"] = CasesText.ImportFileTooLarge.Format(MaxImportBytes / 1024 / 1024) });
        var sourceCrs = crs switch { null or "" or "wgs84" => SourceCrs.Wgs84, "gcj02" => SourceCrs.Gcj02, _ => (SourceCrs?)null };
        if (sourceCrs is null) return Invalid(new() { ["crs"] = CasesText.CrsInvalid });

        // The importer reads a file twice (check, then write), so the upload goes to a private temp file;
        // its name is ours, only the extension comes from the client (from the allow-list above).
        var folder = Directory.CreateTempSubdirectory("sd-case-import-");
        try
        {
            var path = Path.Combine(folder.FullName, "cases" + extension);
            await using (var target = File.Create(path))
            {
                await file.CopyToAsync(target, ct);
            }

            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var result = await GeoImporter.ImportAsync((NpgsqlTransaction)transaction.GetDbTransaction(), ImportKind.Cases, path,
                new ImportOptions(sourceCrs.Value, db.Scope), null, ct);
            if (!result.Succeeded) return ImportRefused(result, Path.GetFileName(file.FileName));

            await audit.AppendAsync(new AuditEntry(AuditActions.CaseChange, AuditTargets.Case, null, null,
                new { change = "imported", file = Path.GetFileName(file.FileName), count = result.Imported, crs = sourceCrs.Value.ToString().ToLowerInvariant() }), ct);
            await transaction.CommitAsync(ct);
            return TypedResults.Ok(new CaseImportDto(Path.GetFileName(file.FileName), result.Imported, result.Notes));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    // Every bad line (CSV) or feature (GeoJSON) under its own key, e.g. "line 3": the clerk fixes
    // them all in one go. The importer's messages name the file's own columns.
    private static ValidationProblem ImportRefused(ImportResult result, string fileName)
    {
        var errors = result.ProblemsByFeature is { Count: > 0 } byFeature
            ? byFeature.ToDictionary(f => f.Where, f => f.Problems.ToArray())
            : new Dictionary<string, string[]> { ["file"] = [.. result.Problems.Select(p => p.Replace("cases" + Path.GetExtension(fileName), fileName, StringComparison.Ordinal))] };
        var more = result.FeaturesWithProblems - (result.ProblemsByFeature?.Count ?? 0);
        if (more > 0) errors["more"] = [$"还有 {more} 处错误未列出 / and {more} more features with problems"];
        return ValidationProblems.For(errors, title: CasesText.ImportTitle,
            extensions: new Dictionary<string, object?> { ["featuresWithProblems"] = result.FeaturesWithProblems, ["features"] = result.Features });
    }

    // The grid a point lies in, by the importer's rule (the lowest id where grids meet on a border),
    // when it belongs to the caller's jurisdiction. Admins may also record a case outside every grid.
    private static async Task<(long? Id, string? Code)?> GridInScopeAsync(SmartDoorplateDb db, Point location, CancellationToken ct)
    {
        var grid = await db.Grids.AsNoTracking().Where(g => g.Boundary.Intersects(location)).OrderBy(g => g.Id)
            .Select(g => new { g.Id, g.Code, g.StationId, g.Station!.DistrictId }).FirstOrDefaultAsync(ct);
        var scope = db.Scope;
        if (grid is null) return scope.SeesEverything ? (null, null) : null;
        return scope.Covers(grid.StationId, grid.DistrictId) ? (grid.Id, grid.Code) : null;
    }

    // Case numbers are unique across the city, whoever can see the other case.
    private static Task<bool> CaseNumberTakenAsync(SmartDoorplateDb db, string caseNumber, long? exceptId, CancellationToken ct) =>
        db.Cases.IgnoreQueryFilters().AnyAsync(c => c.CaseNumber == caseNumber && c.Id != exceptId, ct);

    // A unique violation here means another request took the number between the check and the save.
    private static async Task<bool> TrySaveAsync(SmartDoorplateDb db, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
            return true;
        }
        catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            return false;
        }
    }

    private static void Apply(Case entity, CaseInput input, long? gridId)
    {
        entity.Type = input.Type;
        entity.OccurredAt = input.OccurredAt.ToUniversalTime();
        entity.Location = input.Location;
        entity.Status = input.Status;
        entity.Summary = input.Summary;
        entity.GridId = gridId;
    }

    private static AuditEntry Audited(Case entity, string change, object? before = null) =>
        new(AuditActions.CaseChange, AuditTargets.Case, entity.Id.ToString(CultureInfo.InvariantCulture), null, new
        {
            change,
            entity.CaseNumber,
            type = SnakeCaseEnum.ToCode(entity.Type),
            status = SnakeCaseEnum.ToCode(entity.Status),
            entity.OccurredAt,
            lon = entity.Location.X,
            lat = entity.Location.Y,
            before,
        });

    public static CaseDto AsDto(this Case c, string? gridCode) =>
        new(c.Id, c.CaseNumber, SnakeCaseEnum.ToCode(c.Type), CaseTypes.ChineseNames[c.Type], c.OccurredAt,
            Math.Round(c.Location.X, 7), Math.Round(c.Location.Y, 7), SnakeCaseEnum.ToCode(c.Status), gridCode, c.Summary, c.Version);

    private static ValidationProblem Invalid(Dictionary<string, Bilingual> errors) =>
        ValidationProblems.For(errors, CasesText.ValidationTitle);

    private static ProblemHttpResult NotFound() =>
        TypedResults.Problem(title: CasesText.NotFound.ToString(), statusCode: StatusCodes.Status404NotFound);

    private static ProblemHttpResult Stale() =>
        TypedResults.Problem(title: CasesText.Stale.ToString(), statusCode: StatusCodes.Status409Conflict);

    private static ProblemHttpResult Taken(string caseNumber) =>
        TypedResults.Problem(title: CasesText.CaseNumberTaken.Format(caseNumber).ToString(), statusCode: StatusCodes.Status409Conflict);
}
