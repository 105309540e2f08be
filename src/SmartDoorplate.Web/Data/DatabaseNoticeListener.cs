using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;

namespace SmartDoorplate.Data;

// Something the app keeps in memory about rows that other processes may change too (`sdp import`,
// psql, another instance): a trigger notifies one of its Channels when such a change commits, and
// the follower drops (or corrects) what it kept. A notice sent while nobody listened is lost, so a follower may only
// trust what it kept between StartFollowing and StopFollowing.
public interface IDatabaseNoticeFollower
{
    IReadOnlyList<string> Channels { get; }

    // Listening from now on: every later change is heard. What was kept before may be stale.
    void StartFollowing();

    // The connection is lost: changes may go unheard until StartFollowing comes again.
    void StopFollowing();

    void OnNotice(string channel, string payload);
}

// What every follower needs to keep things right: whether it may trust what it kept (Following, between
// Start and Stop), and a generation that each correction moves on. A read that began before a notice
// must not store what it read once the notice has corrected the store, so stores and corrections
// take turns under one lock; looking up a kept value takes none.
public sealed class NoticeGeneration
{
    private readonly Lock gate = new();
    private long generation;
    private volatile bool following;

    public bool Following => following;

    // Call before reading what Store may keep; pass the result to Store.
    public long Begin() => Interlocked.Read(ref generation);

    // Keeps what was read since Begin, unless a correction came meanwhile or nothing is followed.
    public void Store(long begun, Action keep)
    {
        lock (gate)
        {
            if (following && generation == begun) keep();
        }
    }

    // Something kept may be stale: correct it (drop it, or put the news in), and no older read stores.
    public void Correct(Action correction)
    {
        lock (gate)
        {
            generation++;
            correction();
        }
    }

    // The listener hears every change from now on; what was kept before may be stale.
    public void Start(Action forgetAll) => Correct(() =>
    {
        forgetAll();
        following = true;
    });

    // The listener lost its connection: changes may go unheard until Start comes again.
    public void Stop(Action forgetAll) => Correct(() =>
    {
        following = false;
        forgetAll();
    });
}

// One connection of its own LISTENing on every follower's channel, outside the app's pools: it is
// held for the life of the process and must not take a slot from the requests. It checks the
// connection whenever it has heard nothing for IdleCheck (a connection that died without a word looks
// the same as a quiet one), and on any failure stops the followers, then connects again after RetryAfter.
public sealed class DatabaseNoticeListener(IEnumerable<IDatabaseNoticeFollower> followers, IConfiguration configuration,
    ILogger<DatabaseNoticeListener> logger) : BackgroundService
{
    public const string ApplicationName = "smartdoorplate notices";

    public static readonly TimeSpan IdleCheck = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(2);

    private readonly IDatabaseNoticeFollower[] followers = followers.ToArray();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = new NpgsqlConnectionStringBuilder(DataServices.ConnectionString(configuration, DatabasePrincipal.App))
        {
            Pooling = false,
            ApplicationName = ApplicationName,
        };
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ListenAsync(settings.ConnectionString, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                StopFollowing();
                logger.LogWarning(ex, "Listening for database changes failed; what the app keeps in memory is not used until it listens again (next try in {RetryAfter})", RetryAfter);
            }
            try
            {
                await Task.Delay(RetryAfter, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        StopFollowing();
    }

    private async Task ListenAsync(string connectionString, CancellationToken stoppingToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(stoppingToken);
        connection.Notification += (_, notice) =>
        {
            foreach (var follower in followers)
            {
                if (follower.Channels.Contains(notice.Channel)) follower.OnNotice(notice.Channel, notice.Payload);
            }
        };
        foreach (var channel in followers.SelectMany(f => f.Channels).Distinct())
        {
            await NoticeSql.ListenAsync(connection, channel, stoppingToken);
        }
        foreach (var follower in followers) follower.StartFollowing();
        while (true)
        {
            if (!await connection.WaitAsync(IdleCheck, stoppingToken)) await NoticeSql.PingAsync(connection, stoppingToken);
        }
    }

    private void StopFollowing()
    {
        foreach (var follower in followers) follower.StopFollowing();
    }
}

public static class DatabaseNoticeServices
{
    // A follower registered as itself (for its users) and as a follower (for the listener); one
    // listener however many followers.
    public static IServiceCollection AddDatabaseNoticeFollower<TFollower>(this IServiceCollection services)
        where TFollower : class, IDatabaseNoticeFollower
    {
        services.AddSingleton<TFollower>();
        services.AddSingleton<IDatabaseNoticeFollower>(sp => sp.GetRequiredService<TFollower>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, DatabaseNoticeListener>());
        return services;
    }
}
