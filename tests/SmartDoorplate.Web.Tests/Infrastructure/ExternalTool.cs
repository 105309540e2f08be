using System.Diagnostics;

namespace SmartDoorplate.Web.Tests.Infrastructure;

public sealed record ToolResult(int ExitCode, byte[] Output, string Error)
{
    public string Text => System.Text.Encoding.UTF8.GetString(Output);
}

// Real command-line tools (zbarimg, rsvg-convert, pdftoppm) as the outside world uses them. A missing
// tool fails the test with the package to install: scripts/test.sh installs them, and a test that
// skipped would hide a plate nobody can scan.
public static class ExternalTool
{
    private static readonly Dictionary<string, string> Packages = new()
    {
        ["zbarimg"] = "zbar-tools",
        ["rsvg-convert"] = "librsvg2-bin",
        ["pdftoppm"] = "poppler-utils",
        ["pdfinfo"] = "poppler-utils",
        ["Rscript"] = "r-cran-spdep",
    };

    public static async Task<ToolResult> RunAsync(string tool, IEnumerable<string> arguments, byte[]? input = null,
        IReadOnlyDictionary<string, string>? environment = null, string? workingDirectory = null)
    {
        var path = Locate(tool);
        if (path is null)
        {
            Assert.Fail($"{tool} is not installed: apt-get install {Packages.GetValueOrDefault(tool, tool)} (scripts/test.sh installs it)");
        }
        var start = new ProcessStartInfo(path!)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Directory.GetCurrentDirectory(),
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        if (environment is not null) foreach (var (key, value) in environment) start.Environment[key] = value;

        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var output = new MemoryStream();
        var reading = process.StandardOutput.BaseStream.CopyToAsync(output, timeout.Token);
        var error = process.StandardError.ReadToEndAsync(timeout.Token);
        if (input is not null) await process.StandardInput.BaseStream.WriteAsync(input, timeout.Token);
        process.StandardInput.Close();
        await Task.WhenAll(reading, error);
        await process.WaitForExitAsync(timeout.Token);
        return new ToolResult(process.ExitCode, output.ToArray(), await error);
    }

    public static string? Locate(string tool) =>
        Path.IsPathRooted(tool)
            ? (File.Exists(tool) ? tool : null)
            : (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(':')
                .Select(dir => Path.Combine(dir, tool)).FirstOrDefault(File.Exists);
}

// QR decoding with zbar, the decoder of many Linux and Android scanner apps.
public static class QrDecoder
{
    // Every symbol zbarimg finds in a PNG (or any image it reads), one text each.
    public static async Task<IReadOnlyList<string>> DecodeAsync(byte[] image)
    {
        var result = await ExternalTool.RunAsync("zbarimg", ["-q", "--raw", "-"], image);
        // Exit code 4 means "no symbol found": an empty list, for the assertion to report.
        Assert.True(result.ExitCode is 0 or 4, $"zbarimg failed ({result.ExitCode}): {result.Error}");
        return result.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    // zbar reads no SVG: librsvg rasterises it first, at its natural size (mm at 90 dpi).
    public static async Task<IReadOnlyList<string>> DecodeSvgAsync(byte[] svg)
    {
        var png = await ExternalTool.RunAsync("rsvg-convert", ["--format=png"], svg);
        Assert.True(png.ExitCode == 0, $"rsvg-convert failed ({png.ExitCode}): {png.Error}");
        return await DecodeAsync(png.Output);
    }

    // Each page of a PDF as a PNG rendered by poppler, in page order.
    public static async Task<IReadOnlyList<byte[]>> RenderPdfPagesAsync(byte[] pdf, int dpi = 150)
    {
        var folder = Directory.CreateTempSubdirectory("sd-pdf-");
        try
        {
            var file = Path.Combine(folder.FullName, "sheet.pdf");
            await File.WriteAllBytesAsync(file, pdf);
            var render = await ExternalTool.RunAsync("pdftoppm", ["-png", "-r", dpi.ToString(System.Globalization.CultureInfo.InvariantCulture), file, Path.Combine(folder.FullName, "page")]);
            Assert.True(render.ExitCode == 0, $"pdftoppm failed ({render.ExitCode}): {render.Error}");
            var pages = new List<byte[]>();
            // pdftoppm numbers pages page-1.png … or page-01.png …, padded to the same width.
            foreach (var page in folder.GetFiles("page-*.png").OrderBy(f => f.Name, StringComparer.Ordinal))
            {
                pages.Add(await File.ReadAllBytesAsync(page.FullName));
            }
            return pages;
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
