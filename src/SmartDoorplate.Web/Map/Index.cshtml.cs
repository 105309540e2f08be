using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SmartDoorplate.Accounts;
using SmartDoorplate.Data;
using SmartDoorplate.Localization;
using SmartDoorplate.Policing.Cases;
using SmartDoorplate.Policing.Hotspots;

namespace SmartDoorplate.Map;

// /police/map: the page is a shell; wwwroot/js/police-map.js draws the map from /api/map/style.json
// and the tiles, with the officer's session cookie (same origin). Admins open it too, city-wide (their
// scope sees everything); the queue and the resident lists stay with police, so an admin's page
// leaves the queue unloaded.
[Authorize(Policy = Policies.PoliceOrAdmin)]
public sealed class PoliceMapPageModel(TimeProvider clock) : PageModel
{
    public sealed record CaseTypeOption(string Code, string Name);

    // The queue's markers start hidden above this many items (hundreds would cover the buildings),
    // and stay clustered up to this zoom. The page hands both to wwwroot/js/map-queue.js and its legend.
    public const int QueueMarkersShownUpTo = 30;
    public const int QueueClusterMaxZoom = 15;

    public static readonly IReadOnlyList<CaseTypeOption> CaseTypeOptions =
        Enum.GetValues<CaseType>().Select(t => new CaseTypeOption(SnakeCaseEnum.ToCode(t), CaseTypes.ChineseNames[t])).ToList();

    // The case layer opens on the last twelve months, Guiyang time.
    public DateOnly CasesFrom { get; private set; }
    public DateOnly CasesTo { get; private set; }

    // The before/after view of the hot spots splits at the plates date unless the officer picks another.
    public DateOnly HotspotSplit => HotspotsApi.DefaultSplit;

    public bool IsPolice => Roles.Police.Any(User.IsInRole);

    public void OnGet()
    {
        CasesTo = DateOnly.FromDateTime(clock.GetUtcNow().ToOffset(ChinaTime.Offset).DateTime);
        CasesFrom = CasesTo.AddYears(-1).AddDays(1);
    }
}
