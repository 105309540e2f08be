using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SmartDoorplate.Accounts;
using SmartDoorplate.Data;

namespace SmartDoorplate.Doorplates.Printing;

// /plates: print the plates of a grid or of chosen buildings as the same A4 PDF as `sdp print`
// (PlatePrinter: missing plates are issued, the run is audited). A POST, since printing issues plates;
// bad input is refused before anything is issued.
[Authorize(Policy = Policies.Admin)]
public sealed class PlatePrintingPageModel(SmartDoorplateDb db, PlatePrinter printer, IOptions<DoorplateOptions> options) : PageModel
{
    public const int MaxBuildings = 500;

    public sealed record GridChoice(string Code, string Name, string StationName, int Buildings);

    [BindProperty] public string? Grid { get; set; }
    [BindProperty] public string? Buildings { get; set; }

    public IReadOnlyList<GridChoice> Grids { get; private set; } = [];
    public Dictionary<string, string[]> Errors { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var grid = Grid?.Trim();
        var codes = (Buildings ?? "").Split([',', '，', ' ', '\n', '\r', '\t'], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Distinct().ToArray();
        PlateSelection? selection = null;
        if (string.IsNullOrEmpty(grid) == (codes.Length == 0))
        {
            Errors["grid"] = ["请选择一个网格，或填写楼栋编码（二选一） / Choose a grid or give building codes (one of the two)"];
        }
        else if (!string.IsNullOrEmpty(grid))
        {
            if (!await db.Grids.AnyAsync(g => g.Code == grid, ct)) Errors["grid"] = ["网格不存在 / No such grid"];
            else if (!await db.Buildings.AnyAsync(b => b.Grid!.Code == grid, ct)) Errors["grid"] = ["该网格没有楼栋 / The grid has no buildings"];
            else selection = await printer.ForGridAsync(grid, ct);
        }
        else if (codes.Length > MaxBuildings)
        {
            Errors["buildings"] = [$"一次最多 {MaxBuildings} 栋 / At most {MaxBuildings} buildings at a time"];
        }
        else
        {
            var known = await db.Buildings.Where(b => codes.Contains(b.Code)).Select(b => b.Code).ToListAsync(ct);
            var unknown = codes.Except(known).ToList();
            if (unknown.Count > 0)
                Errors["buildings"] = [$"楼栋编码不存在：{string.Join("、", unknown.Take(10))} / Unknown building codes: {string.Join(", ", unknown.Take(10))}"
                    + (unknown.Count > 10 ? $" (+{unknown.Count - 10})" : "")];
            else selection = await printer.ForBuildingsAsync(codes, ct);
        }
        if (selection is null || Errors.Count > 0)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            await LoadAsync(ct);
            return Page();
        }

        using var pdf = new MemoryStream();
        var byGrid = !string.IsNullOrEmpty(grid);
        await printer.WriteAsync(pdf, selection, DoorplateLinks.BaseUrlFor(Request, options.Value), byGrid ? $"门牌 网格 {grid}" : "门牌",
            byGrid ? "grid" : "buildings", byGrid ? grid : string.Join(",", codes.Take(20)), null, ct);
        return File(pdf.ToArray(), "application/pdf", byGrid ? $"doorplates-{grid}.pdf" : $"doorplates-{codes.Length}-buildings.pdf");
    }

    private async Task LoadAsync(CancellationToken ct) =>
        Grids = await db.Grids.AsNoTracking().OrderBy(g => g.Station!.Code).ThenBy(g => g.Code)
            .Select(g => new GridChoice(g.Code, g.Name, g.Station!.Name, db.Buildings.Count(b => b.GridId == g.Id)))
            .ToListAsync(ct);
}
