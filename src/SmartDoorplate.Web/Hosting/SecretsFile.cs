namespace SmartDoorplate.Hosting;

// Production's secrets (connection strings with their passwords, the privacy keys) from a JSON file
// shaped like appsettings.json that only the app's account may read, named by SD_SECRETS_FILE:
//   { "ConnectionStrings": { "Default": "Host=…;Username=sd_app;Password=…;Database=…" } }
// Environment variables (ConnectionStrings__Default) work as well, but show in /proc/PID/environ to the
// same account and in every child process; a file is also what a secret store mounts. It overrides both.
public static class SecretsFile
{
    public const string Variable = "SD_SECRETS_FILE";

    public static void AddSecretsFile(this IConfigurationManager configuration)
    {
        var path = configuration[Variable];
        if (string.IsNullOrEmpty(path)) return;
        if (!File.Exists(path)) throw new InvalidOperationException($"{Variable} names {path}, which does not exist or cannot be read.");
        configuration.AddJsonFile(Path.GetFullPath(path), optional: false, reloadOnChange: false);
    }
}
