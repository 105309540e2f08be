using System.Text.Encodings.Web;
using System.Text.Unicode;
using Microsoft.Extensions.WebEncoders;
using SmartDoorplate.Audit;
using SmartDoorplate.Cli;
using SmartDoorplate.Data;
using SmartDoorplate.Health;
using SmartDoorplate.Privacy;

// The same executable serves the web app and answers the command-line verbs (`scripts/sdp`):
// both need the same configuration, database and services, and one binary is one thing to deploy.
var isVerb = CommandLineVerbs.IsVerb(args);
var builder = WebApplication.CreateBuilder(isVerb ? [] : args);

builder.Services.AddProblemDetails();
builder.Services.AddOpenApi();
builder.Services.AddSmartDoorplateData(CommandLineVerbs.DatabasePrincipalFor(args));
builder.Services.AddSmartDoorplateHealth();
builder.Services.AddPersonalDataProtection();
builder.Services.AddAuditTrail();
builder.Services.AddRetention();
// Pages live in their feature folders (Audit/Index.cshtml is /audit), not under /Pages.
builder.Services.AddRazorPages(options => options.RootDirectory = "/");
// Chinese in pages as characters, not as &#x...; entities (the default encoder allows Latin only).
builder.Services.Configure<WebEncoderOptions>(options => options.TextEncoderSettings =
    new TextEncoderSettings(UnicodeRanges.BasicLatin, UnicodeRanges.CjkUnifiedIdeographs, UnicodeRanges.CjkSymbolsandPunctuation, UnicodeRanges.HalfwidthandFullwidthForms));

var app = builder.Build();

if (isVerb)
{
    return await CommandLineVerbs.RunAsync(app.Services, args);
}

app.UseExceptionHandler();
app.UseStatusCodePages();

app.MapOpenApi();
app.MapHealth();
app.MapAudit();
app.MapResidentAccessLog();
app.MapRazorPages();

app.Run();
return 0;

public partial class Program;
