namespace SmartDoorplate.Web.Tests.Pilot;

// The repository's gis-data/pilot: scripts/test.sh exports SD_REPO_ROOT; a test run from an IDE
// finds it by walking up from the test binaries. Missing data is a failure, never a skip.
public static class PilotData
{
    public static DirectoryInfo Directory
    {
        get
        {
            var roots = new[] { Environment.GetEnvironmentVariable("SD_REPO_ROOT"), AppContext.BaseDirectory };
            foreach (var root in roots.OfType<string>())
            {
                for (var folder = new DirectoryInfo(root); folder is not null; folder = folder.Parent)
                {
                    var pilot = new DirectoryInfo(Path.Combine(folder.FullName, "gis-data", "pilot"));
                    if (File.Exists(Path.Combine(pilot.FullName, "residents.csv"))) return pilot;
                }
            }

            throw new InvalidOperationException("gis-data/pilot was not found above SD_REPO_ROOT or the test binaries");
        }
    }

    // The first resident of residents.csv (a synthetic person): its ID number and phone.
    public static (string IdNumber, string Phone) FirstResident()
    {
        var lines = File.ReadLines(Path.Combine(Directory.FullName, "residents.csv")).Take(2).ToArray();
        var header = lines[0].Split(',');
        var fields = lines[1].Split(',');
        return (fields[Array.IndexOf(header, "idNumber")], fields[Array.IndexOf(header, "phone")]);
    }
}
