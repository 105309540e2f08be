using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SmartDoorplate.Audit;
using SmartDoorplate.Data;
using SmartDoorplate.Privacy;

namespace SmartDoorplate.Accounts.Pages;

// /accounts: the admin console's accounts, over the same AccountCommands as /api/accounts. Every
// action is a plain form post (anti-forgery checked by Razor Pages), then a redirect back to the list
// with what was done; a refused create shows the form again with its errors field by field.
[Authorize(Policy = Policies.Admin)]
public sealed class AccountsModel(SmartDoorplateDb db, AuditTrail audit, AccountAccess access, PersonalDataProtector protector,
    IPasswordHasher<User> hasher, IOptions<SignInOptions> options, TimeProvider clock) : PageModel
{
    public const int PageSize = 50;

    public sealed record Row(long Id, string UserName, string DisplayName, Role Role, string? Scope, bool Disabled, bool Locked, DateTimeOffset CreatedAt,
        bool HasPhone);
    public sealed record Choice(string Code, string Name);

    public sealed class CreateInput
    {
        public string? Username { get; set; }
        public string? DisplayName { get; set; }
        public string? Role { get; set; }
        public string? Password { get; set; }
        public string? StationCode { get; set; }
        public string? DistrictCode { get; set; }
        public string? BuildingCodes { get; set; }
        public string? Phone { get; set; }
    }

    [BindProperty] public CreateInput Input { get; set; } = new();
    [BindProperty(SupportsGet = true)] public string? Q { get; set; }
    [BindProperty(SupportsGet = true, Name = "role")] public string? RoleFilter { get; set; }
    [BindProperty(SupportsGet = true)] public string? Done { get; set; }
    // Keyset paging by user name: the page after this name.
    [BindProperty(SupportsGet = true)] public string? After { get; set; }

    public IReadOnlyList<Row> Rows { get; private set; } = [];
    public string? NextAfter { get; private set; }
    public IReadOnlyList<Choice> Stations { get; private set; } = [];
    public IReadOnlyList<Choice> Districts { get; private set; } = [];
    public Dictionary<string, string[]> Errors { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostCreateAsync(CancellationToken ct)
    {
        var codes = (Input.BuildingCodes ?? "").Split([',', '，', ' ', '\n', '\r'], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var outcome = await AccountCommands.CreateAsync(new CreateAccountRequest(Input.Username, Input.DisplayName, Input.Role, Input.Password,
            Input.StationCode, Input.DistrictCode, codes, Input.Phone), db, hasher, audit, protector, ct);
        if (outcome.Created is { } user) return Back("created", user.UserName);
        Errors = outcome.Errors;
        Input.Password = null;
        Response.StatusCode = StatusCodes.Status400BadRequest;
        await LoadAsync(ct);
        return Page();
    }

    public Task<IActionResult> OnPostDisableAsync(long id, CancellationToken ct) =>
        Act(id, "disabled", () => AccountCommands.SetDisabledAsync(id, clock.GetUtcNow(), db, audit, access, ct), ct);

    public Task<IActionResult> OnPostEnableAsync(long id, CancellationToken ct) =>
        Act(id, "enabled", () => AccountCommands.SetDisabledAsync(id, null, db, audit, access, ct), ct);

    public Task<IActionResult> OnPostEndSessionsAsync(long id, CancellationToken ct) =>
        Act(id, "sessions-ended", () => SessionSignOut.EndAllAsync(id, db, audit, access, ct), ct);

    public Task<IActionResult> OnPostUnlockAsync(long id, CancellationToken ct) =>
        Act(id, "unlocked", () => AccountCommands.UnlockAsync(id, db, audit, protector, ct), ct);

    private async Task<IActionResult> Act(long id, string done, Func<Task<bool>> action, CancellationToken ct)
    {
        var name = await db.Users.Where(u => u.Id == id).Select(u => u.UserName).FirstOrDefaultAsync(ct);
        if (name is null || !await action()) return NotFound();
        return Back(done, name);
    }

    private RedirectResult Back(string done, string userName) =>
        Redirect($"/accounts?done={done}&q={Uri.EscapeDataString(userName)}");

    public string PageLink(string? after) =>
        "/accounts?" + string.Join("&", new[] { ("q", Q), ("role", RoleFilter), ("after", after) }
            .Where(p => !string.IsNullOrEmpty(p.Item2)).Select(p => $"{p.Item1}={Uri.EscapeDataString(p.Item2!)}"));

    public string? DoneMessage => Done is not null && AccountText.Done.TryGetValue(Done, out var text) ? text.ToString() : null;

    private async Task LoadAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var query = db.Users.AsNoTracking();
        if (SnakeCaseEnum.TryParse<Role>(RoleFilter, out var role)) query = query.Where(u => u.Role == role);
        if (!string.IsNullOrWhiteSpace(Q))
        {
            var pattern = "%" + Q.Trim().Replace(@"\", @"\\").Replace("%", @"\%").Replace("_", @"\_") + "%";
            query = query.Where(u => EF.Functions.ILike(u.UserName, pattern) || EF.Functions.ILike(u.DisplayName, pattern));
        }
        if (!string.IsNullOrEmpty(After)) query = query.Where(u => string.Compare(u.UserName, After) > 0);
        var rows = await query.OrderBy(u => u.UserName).Take(PageSize + 1)
            .Select(u => new
            {
                u.Id, u.UserName, u.DisplayName, u.Role, Station = u.Station!.Name, District = u.District!.Name, u.DisabledAt, u.LockedUntil, u.CreatedAt,
                HasPhone = u.ContactPhoneCipher != null,
            })
            .ToListAsync(ct);
        NextAfter = rows.Count > PageSize ? rows[PageSize - 1].UserName : null;

        // Blocked from some address now (SignInThrottle), as /api/accounts reports it.
        var blocked = await BlockedSignIns.ReadAsync(db, options.Value, protector, now, ct);
        Rows = rows.Take(PageSize).Select(u => new Row(u.Id, u.UserName, u.DisplayName, u.Role, u.Station ?? u.District, u.DisabledAt is not null,
            blocked.IsLocked(u.UserName, u.LockedUntil), u.CreatedAt, u.HasPhone)).ToList();

        Stations = await db.PoliceStations.AsNoTracking().OrderBy(s => s.Code).Select(s => new Choice(s.Code, s.Name)).ToListAsync(ct);
        Districts = await db.Districts.AsNoTracking().OrderBy(d => d.Code).Select(d => new Choice(d.Code, d.Name)).ToListAsync(ct);
    }
}
