using Microsoft.Extensions.DependencyInjection;
using SmartDoorplate.Audit;
using SmartDoorplate.Web.Tests.Infrastructure;

namespace SmartDoorplate.Web.Tests.Audit;

// The background sealer slowed to once an hour, so a test decides when rows are sealed and
// checkpointed (it still seals and signs once more when the app stops).
public class ManualSealAppFactory : AppFactory
{
    protected override IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>(DefaultSettings)
    {
        ["Audit:SealEvery"] = "01:00:00",
    };

    public AuditChain Chain => Services.GetRequiredService<AuditChain>();

    public Task<long> SealAsync(bool checkpointNow = false) =>
        Chain.SealAsync(CancellationToken.None, checkpointNow ? AuditCheckpointing.Now : AuditCheckpointing.WhenDue);

    public Task<AuditChainReport> VerifyAsync() => Chain.VerifyAsync(CancellationToken.None);

    // The environment a verb run beside this app needs: its database and its audit keys and anchor.
    public IReadOnlyDictionary<string, string> VerbEnvironment => new Dictionary<string, string>
    {
        ["ASPNETCORE_ENVIRONMENT"] = "Testing",
        ["ConnectionStrings__Default"] = AppConnectionString,
        ["ConnectionStrings__Owner"] = OwnerConnectionString,
        ["Audit__LinkKeys__1"] = TestKeys.AuditLinkKey,
        ["Audit__CheckpointSigningKey"] = TestKeys.AuditSigningKey,
        ["Audit__AnchorPath"] = AnchorPath,
    };

    // `sdp audit verify` and the other verbs, as a separate process of the built app.
    public Task<VerbResult> RunVerbAsync(params string[] args) => SdpVerb.RunAsync(VerbEnvironment, args);
}
