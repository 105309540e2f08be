using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.Options;
using Spectre.Console;
using SmartDoorplate.Cli;

namespace SmartDoorplate.Doorplates.Printing;

// `sdp print --grid CODE -o FILE.pdf` or `sdp print --buildings CODE,CODE -o FILE.pdf`.
public static class PrintCommands
{
    public static Command Print(IServiceProvider services)
    {
        var grid = new Option<string>("--grid") { Description = "print every building of this community grid (网格编码)" };
        var buildings = new Option<string>("--buildings") { Description = "print these buildings: building codes separated by commas" };
        var output = new Option<FileInfo>("--output", "-o") { Description = "the PDF to write", Required = true };
        var baseUrl = new Option<string>("--base-url")
        {
            Description = $"where the QR codes point, {{base}}/d/{{code}} (default: Doorplates:PublicBaseUrl; outside Production {DoorplateLinks.CommandLineDefaultBaseUrl})",
        };
        var command = new Command("print", "Print doorplates as A4 PDF sheets: two plates a page at 60% (180 × 120 mm), with cut marks.")
        {
            grid, buildings, output, baseUrl,
        };
        command.SetAction(async (parseResult, ct) =>
        {
            var gridCode = parseResult.GetValue(grid)?.Trim();
            var buildingCodes = (parseResult.GetValue(buildings) ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            if (string.IsNullOrEmpty(gridCode) == (buildingCodes.Length == 0))
                throw new CommandFailedException("give either --grid CODE or --buildings CODE,CODE…");
            var file = parseResult.GetValue(output)!;
            var link = ResolveBaseUrl(services, parseResult.GetValue(baseUrl));

            await using var scope = services.CreateAsyncScope();
            PlatePrinter printer;
            try
            {
                printer = scope.ServiceProvider.GetRequiredService<PlatePrinter>();
            }
            catch (InvalidOperationException ex) when (ex.Message.Contains(PlateFonts.FamilyName, StringComparison.Ordinal))
            {
                throw new CommandFailedException(ex.Message);
            }

            PlateSelection selection;
            string title;
            if (!string.IsNullOrEmpty(gridCode))
            {
                selection = await printer.ForGridAsync(gridCode, ct) ?? throw new CommandFailedException($"no grid has the code {gridCode}");
                title = $"门牌 网格 {gridCode}";
            }
            else
            {
                selection = await printer.ForBuildingsAsync(buildingCodes, ct);
                if (selection.UnknownBuildingCodes.Count > 0)
                    throw new CommandFailedException($"unknown building codes: {string.Join(", ", selection.UnknownBuildingCodes.Take(10))}"
                        + (selection.UnknownBuildingCodes.Count > 10 ? $" and {selection.UnknownBuildingCodes.Count - 10} more" : ""));
                title = "门牌";
            }
            if (selection.Faces.Count == 0) throw new CommandFailedException($"grid {gridCode} has no buildings");

            // Written beside the target and moved into place, so a failed run leaves no half a PDF.
            var partial = file.FullName + ".partial";
            try
            {
                await using (var stream = File.Create(partial))
                {
                    await WithProgressAsync(selection.Faces.Count, onPlate =>
                        printer.WriteAsync(stream, selection, link, title, gridCode is { Length: > 0 } ? "grid" : "buildings",
                            gridCode is { Length: > 0 } ? gridCode : null, onPlate, ct));
                }
                File.Move(partial, file.FullName, overwrite: true);
            }
            catch (IOException ex)
            {
                throw new CommandFailedException($"cannot write {file.FullName}: {ex.Message}");
            }
            catch (UnauthorizedAccessException ex)
            {
                throw new CommandFailedException($"cannot write {file.FullName}: {ex.Message}");
            }
            finally
            {
                File.Delete(partial);
            }
            var pages = (selection.Faces.Count + PlateSheet.PlatesPerPage - 1) / PlateSheet.PlatesPerPage;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"wrote {file.FullName}: {selection.Faces.Count} plates on {pages} A4 pages at 60%; QR codes point to {link}/d/…"));
            return 0;
        });
        return command;
    }

    private static string ResolveBaseUrl(IServiceProvider services, string? option)
    {
        var configured = services.GetRequiredService<IOptions<DoorplateOptions>>().Value.PublicBaseUrl;
        var value = option ?? configured;
        if (string.IsNullOrEmpty(value))
        {
            // A plate printed with a loopback link is useless on a wall: production must say where.
            if (services.GetRequiredService<IHostEnvironment>().IsProduction())
                throw new CommandFailedException("set --base-url or Doorplates:PublicBaseUrl: the public address the QR codes must point to");
            value = DoorplateLinks.CommandLineDefaultBaseUrl;
        }
        if (!DoorplateLinks.IsValidBaseUrl(value))
            throw new CommandFailedException($"--base-url must be an absolute http(s) URL without query: {value}");
        return value.TrimEnd('/');
    }

    // A live bar on a terminal; plain lines (every tenth) in a log or a pipe.
    private static async Task WithProgressAsync(int total, Func<Action<int>, Task> print)
    {
        if (AnsiConsole.Profile.Capabilities.Interactive && !Console.IsOutputRedirected)
        {
            await AnsiConsole.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                .StartAsync(async context =>
                {
                    var task = context.AddTask("印制门牌 printing plates", maxValue: total);
                    await print(done => task.Value = done);
                });
            return;
        }
        var step = Math.Max(1, total / 10);
        await print(done =>
        {
            if (done % step == 0 || done == total)
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"printed {done}/{total} plates"));
        });
    }
}
