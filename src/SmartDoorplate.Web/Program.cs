using SmartDoorplate.Accounts;
using SmartDoorplate.Audit;
using SmartDoorplate.Cli;
using SmartDoorplate.Data;
using SmartDoorplate.Gis;
using SmartDoorplate.Health;
using SmartDoorplate.Hosting;
using SmartDoorplate.Occupancy;
using SmartDoorplate.Policing;
using SmartDoorplate.Privacy;
using SmartDoorplate.Registrations;

// The same executable serves the web app and answers the command-line verbs (`scripts/sdp`):
// both need the same configuration, database and services, and one binary is one thing to deploy.
var isVerb = CommandLineVerbs.IsVerb(args);
var builder = WebApplication.CreateBuilder(isVerb ? [] : args);

builder.Services.AddProblemDetails();
builder.Services.AddOpenApi();
builder.Services.AddRazorPages();
// Chinese pages: emit CJK as UTF-8 text instead of &#x...; entities (a third of the bytes on a phone).
builder.Services.Configure<Microsoft.Extensions.WebEncoders.WebEncoderOptions>(o =>
    o.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));
builder.Services.AddSmartDoorplateData();
builder.Services.AddSmartDoorplateHealth();
builder.Services.AddPersonalDataProtection();
builder.Services.AddAuditTrail();
builder.Services.AddSmartDoorplateAuth(builder.Configuration);
builder.Services.AddSmartDoorplateRateLimiting(builder.Configuration);
builder.Services.AddTenantRegistration();
builder.Services.AddOccupancy();

var app = builder.Build();

if (isVerb)
{
    return await CommandLineVerbs.RunAsync(app.Services, args);
}

await ProductionGuard.EnsureSafeAsync(app);

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseSmartDoorplateSecurityHeaders();
if (app.Configuration.GetValue<bool>("Https:Redirect"))
{
    app.UseHsts();
    app.UseHttpsRedirection();
}
app.UseStaticFiles();
app.UseAuthentication();
app.UseRateLimiter();
app.UseAuthorization();

app.MapOpenApi();
app.MapRazorPages();
app.MapHealth();
app.MapAccounts();
app.MapBuildings();
app.MapPersons();
app.MapLandlord();
app.MapRegistrations();
app.MapRegistrationDecisions();
app.MapPoliceQueue();

app.Run();
return 0;

public partial class Program;
