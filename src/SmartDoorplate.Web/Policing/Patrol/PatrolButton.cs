using SmartDoorplate.Localization;

namespace SmartDoorplate.Policing.Patrol;

// What the scan page shows a signed-in officer: the 巡查签到 button for a building of their scope,
// a refusal for any other. Never rendered for anyone else, and never from the output cache.
public sealed record PatrolButton(string Code, bool InScope, Language Language);
