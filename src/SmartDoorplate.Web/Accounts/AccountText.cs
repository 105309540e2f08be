using SmartDoorplate.Localization;

namespace SmartDoorplate.Accounts;

// The admin console's words for accounts, in Chinese and English.
public static class AccountText
{
    public static readonly IReadOnlyDictionary<Role, Bilingual> RoleNames = new Dictionary<Role, Bilingual>
    {
        [Role.Landlord] = new("房东", "Landlord"),
        [Role.PoliceOfficer] = new("社区民警", "Police officer"),
        [Role.StationChief] = new("派出所所长", "Station chief"),
        [Role.DistrictOfficer] = new("分局民警", "District officer"),
        [Role.Admin] = new("管理员", "Administrator"),
    };

    // What the list page says after an action, by the code in its ?done= (a fixed list: no text from the URL is shown).
    public static readonly IReadOnlyDictionary<string, Bilingual> Done = new Dictionary<string, Bilingual>
    {
        ["created"] = new("账号已创建", "Account created"),
        ["disabled"] = new("账号已停用，其会话已结束", "Account disabled; its sessions ended"),
        ["enabled"] = new("账号已启用", "Account enabled"),
        ["sessions-ended"] = new("该账号的全部会话已结束", "Every session of the account ended"),
        ["unlocked"] = new("登录封禁已解除", "Sign-in block cleared"),
        ["phone-set"] = new("联系电话已保存", "Contact phone saved"),
        ["password-reset"] = new("密码已重置，该账号的全部会话已结束", "Password reset; every session of the account ended"),
    };

    public static readonly Bilingual NotFound = new("账号不存在", "No such account");
}
