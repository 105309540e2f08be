using System.Text.RegularExpressions;
using SmartDoorplate.Analytics.Identity;
using SmartDoorplate.Data;

namespace SmartDoorplate.Accounts;

// What a new account must be, as far as it can be told without the database: a user name of 3–64
// lower-case letters, digits or . _ -, a display name, a known role and a password of 10–256 characters.
// Station, district and buildings are looked up by the handler, which adds its findings after these.
public static partial class AccountRules
{
    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{2,63}$")]
    private static partial Regex UserNamePattern();

    public static string NormaliseUserName(string? userName) => userName?.Trim().ToLowerInvariant() ?? "";

    public static Dictionary<string, string[]> Check(CreateAccountRequest request, out string userName, out Role role)
    {
        var errors = new Dictionary<string, string[]>();
        userName = NormaliseUserName(request.Username);
        if (!UserNamePattern().IsMatch(userName))
            errors["username"] = ["用户名须为 3–64 位小写字母、数字或 . _ - / The user name must be 3–64 lower-case letters, digits or . _ -"];
        if (string.IsNullOrWhiteSpace(request.DisplayName) || request.DisplayName.Length > 100)
            errors["displayName"] = ["请填写 1–100 字的显示名 / Give a display name of 1–100 characters"];
        if (!SnakeCaseEnum.TryParse<Role>(request.Role, out role))
            errors["role"] = [$"角色须为 {string.Join("、", SnakeCaseEnum.Codes<Role>())} 之一 / The role must be one of {string.Join(", ", SnakeCaseEnum.Codes<Role>())}"];
        if (CheckPassword(request.Password) is { } password) errors["password"] = [password];
        if (CheckPhone(request.Phone, out _) is { } phone) errors["phone"] = [phone];
        return errors;
    }

    // A contact phone is optional on any account (only a landlord's is shown, to the station's police);
    // when given it is a mainland mobile number by the tenants' rule (full-width digits, spaces, +86
    // accepted), stored as its 11 digits. Null: no error; `number` is null when none was given.
    public static string? CheckPhone(string? phone, out string? number)
    {
        number = null;
        if (string.IsNullOrWhiteSpace(phone)) return null;
        var validation = MobilePhone.Validate(phone);
        if (!validation.IsValid) return "请填写 11 位中国大陆手机号码，或留空 / Enter an 11-digit mainland China mobile number, or leave it empty";
        number = validation.Number;
        return null;
    }

    public const int MinPasswordLength = 10;
    public const int MaxPasswordLength = 256;

    // The one password rule, for a new account and for an admin's reset.
    public static string? CheckPassword(string? password) =>
        password is null || password.Length < MinPasswordLength || password.Length > MaxPasswordLength
            ? "密码须为 10–256 位 / The password needs 10–256 characters"
            : null;
}
