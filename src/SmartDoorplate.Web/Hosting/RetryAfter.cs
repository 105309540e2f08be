using System.Globalization;

namespace SmartDoorplate.Hosting;

// The Retry-After header (RFC 9110: whole seconds) for every 429 and 503 the app answers, and the
// same wait in words for a page: rounded up, at least one second, so a client that obeys it is not
// refused again for having come back a fraction too early.
public static class RetryAfter
{
    public static int Seconds(TimeSpan wait) => Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));

    public static int Set(HttpResponse response, TimeSpan wait)
    {
        var seconds = Seconds(wait);
        response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return seconds;
    }

    // "Try again later" alone leaves a person guessing whether a minute or a day, and trying too
    // soon only lengthens a sign-in wait.
    public static string InWords(int seconds) => seconds < 120
        ? $"请 {seconds} 秒后再试 / Try again in {seconds} seconds"
        : $"请 {WholeMinutes(seconds)} 分钟后再试 / Try again in {WholeMinutes(seconds)} minutes";

    // Rounded up, like the seconds: "in 59 minutes" for 3,541 seconds would be a minute too soon.
    public static int WholeMinutes(int seconds) => (seconds + 59) / 60;
}
