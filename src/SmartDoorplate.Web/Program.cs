using System.Text.Encodings.Web;
using System.Text.Unicode;
using Microsoft.Extensions.WebEncoders;
using SmartDoorplate.Accounts;
using SmartDoorplate.Audit;
using SmartDoorplate.Cli;
using SmartDoorplate.Data;
using SmartDoorplate.Doorplates;
using SmartDoorplate.Gis;
using SmartDoorplate.Health;
using SmartDoorplate.Hosting;
using SmartDoorplate.Map;
using SmartDoorplate.Occupancy;
using SmartDoorplate.Policing.Cases;
using SmartDoorplate.Policing.Patrol;
using SmartDoorplate.Policing.Queue;
using SmartDoorplate.Policing.Hotspots;
using SmartDoorplate.Policing.Report;
using SmartDoorplate.Policing.Statistics;
using SmartDoorplate.Policing.WatchList;
using SmartDoorplate.Privacy;
using SmartDoorplate.Registrations;
using SmartDoorplate.Registrations.Scan;

// The same executable serves the web app and answers the command-line verbs (`scripts/sdp`):
// both need the same configuration, database and services, and one binary is one thing to deploy.
if (CommandLineVerbs.IsStandaloneVerb(args)) return await CommandLineVerbs.RunStandaloneAsync(args);
var isVerb = CommandLineVerbs.IsVerb(args);
var builder = WebApplication.CreateBuilder(isVerb ? [] : args);
builder.Configuration.AddSecretsFile();
if (isVerb)
{
    // Verbs report their own failures in one line; EF's "failed command" log of the first
    // migration's history probe would only alarm a newcomer.
    builder.Logging.AddFilter("Microsoft.EntityFrameworkCore.Database.Command", LogLevel.Critical);
}

builder.Services.AddProblemDetails();
builder.Services.AddExceptionHandler<DatabaseBusy>();
builder.Services.AddInputHandling();
builder.Services.AddSmartDoorplateCompression();
builder.Services.AddSmartDoorplateOpenApi();
builder.Services.AddSmartDoorplateData(CommandLineVerbs.DatabasePrincipalFor(args));
builder.Services.AddSmartDoorplateHealth();
builder.Services.AddPersonalDataProtection();
builder.Services.AddAuditTrail();
builder.Services.AddRetention();
builder.Services.AddDoorplates();
builder.Services.AddScanPageCache();
builder.Services.AddSmartDoorplateAuth(builder.Configuration);
builder.Services.AddCookieAntiforgery();
builder.Services.AddSmartDoorplateRateLimiting(builder.Configuration);
builder.Services.AddTenantRegistration();
builder.Services.AddOccupancy();
builder.Services.AddPatrol();
builder.Services.AddPilotReport(builder.Configuration);
builder.Services.AddStatistics();
builder.Services.AddPoliceMap();
// Pages live in their feature folders (Audit/Index.cshtml is /audit); the shared layout in Shared/.
builder.Services.AddRazorPages(options => options.RootDirectory = "/");
// Chinese pages: characters as UTF-8, not &#x...; entities (the default encoder allows Latin only),
// and names in any script (Uyghur, Tibetan, Yi) stay readable.
builder.Services.Configure<WebEncoderOptions>(options => options.TextEncoderSettings = new TextEncoderSettings(UnicodeRanges.All));

var app = builder.Build();

if (isVerb)
{
    return await CommandLineVerbs.RunAsync(app.Services, args);
}

await ProductionGuard.EnsureSafeAsync(app);

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseErrorPages();
// Routing after the error pages, so that a re-executed error page is routed afresh.
app.UseRouting();
app.UseSmartDoorplateSecurityHeaders(ExternalBaseMapOptions.OriginsIn(app.Configuration));
if (app.Configuration.GetValue<bool>("Https:Redirect"))
{
    app.UseHsts();
    app.UseHttpsRedirection();
}
app.UseResponseCompression();
app.UseFingerprintedStaticFiles();
app.UseMapLibraryFiles();
app.UseAuthentication();
app.UseAccountAccessCheck();
app.UseCookieAntiforgery();
app.UseRateLimiter();
app.UseOutputCache();
app.UseAuthorization();
app.UseInputGuard();

app.MapOpenApi();
app.MapRazorPages();
app.MapHealth();
app.MapAccounts();
app.MapAntiforgeryToken();
app.MapBuildings();
app.MapDoorplates();
app.MapPersons();
app.MapLandlord();
app.MapRegistrations();
app.MapRegistrationDecisions();
app.MapPoliceQueue();
app.MapPatrol();
app.MapAudit();
app.MapResidentAccessLog();
app.MapHotspots();
app.MapCases();
app.MapPilotReport();
app.MapWatchList();
app.MapPoliceMap();
app.MapStatistics();

app.Run();
return 0;

public partial class Program;
