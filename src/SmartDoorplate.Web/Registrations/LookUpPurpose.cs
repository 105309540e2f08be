namespace SmartDoorplate.Registrations;

// Every look-up of residents states why (at least 4 characters, at most 500), for the audit trail the
// resident can read: the person search, the reveal, the map's building panel and area statistics.
public static class LookUpPurpose
{
    public const int MinimumLength = 4;
    public const int MaximumLength = 500;

    public static Dictionary<string, string[]>? Errors(string? purpose) =>
        string.IsNullOrWhiteSpace(purpose) || purpose.Trim().Length < MinimumLength || purpose.Length > MaximumLength
            ? new() { ["purpose"] = ["请说明查询事由（至少 4 个字）/ State the purpose of this look-up (at least 4 characters)"] }
            : null;
}
