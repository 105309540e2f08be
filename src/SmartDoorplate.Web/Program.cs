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

var app = builder.Build();

if (isVerb)
{
    return await CommandLineVerbs.RunAsync(app.Services, args);
}

app.UseExceptionHandler();
app.UseStatusCodePages();

app.MapOpenApi();
app.MapHealth();

app.Run();
return 0;

public partial class Program;
