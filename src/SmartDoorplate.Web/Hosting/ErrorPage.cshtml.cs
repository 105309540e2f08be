using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SmartDoorplate.Localization;

namespace SmartDoorplate.Hosting;

// The page every error of a page route ends on (ErrorPages): what happened and what to do, in the
// language of the page that failed (its ?lang= or the browser's), never a stack trace or JSON.
[IgnoreAntiforgeryToken]
public sealed class ErrorPageModel : PageModel
{
    public static readonly Bilingual Emergency = new("紧急情况请拨打 110", "Emergency: call 110");
    public static readonly Bilingual Back = new("返回", "Back");
    public static readonly Bilingual Home = new("返回首页", "Home page");

    private static readonly Bilingual NotFoundTitle = new("页面不存在", "Page not found");
    private static readonly Bilingual NotFoundMessage = new("您打开的地址不存在或已失效。扫码登记请重新扫描门上的二维码。", "This address does not exist or is no longer valid. To register, scan the QR code on the door again.");
    private static readonly Bilingual TooManyTitle = new("请求过于频繁", "Too many requests");
    private static readonly Bilingual TooManyMessage = new("短时间内的请求太多，请稍等片刻再试，您填写的内容不会丢失（可返回上一页）。", "There were too many requests in a short time. Please wait, then try again: go back and what you typed is still there.");
    private static readonly Bilingual RetryInSeconds = new("请 {0} 秒后再试", "Try again in {0} seconds");
    private static readonly Bilingual RetryInMinutes = new("请 {0} 分钟后再试", "Try again in {0} minutes");
    private static readonly Bilingual ServerTitle = new("出错了", "Something went wrong");
    private static readonly Bilingual ServerMessage = new("系统暂时无法完成您的请求，请稍后再试。如一直出现，请联系派出所。", "The system could not complete your request. Please try again later; if it keeps happening, call the police station.");
    private static readonly Bilingual OtherTitle = new("无法完成请求", "The request could not be completed");
    private static readonly Bilingual OtherMessage = new("请返回上一页重试。", "Please go back and try again.");

    public Language Language { get; private set; }
    public Bilingual Title { get; private set; } = OtherTitle;
    public Bilingual Message { get; private set; } = OtherMessage;
    public Bilingual? RetryText { get; private set; }
    public int? RetrySeconds { get; private set; }

    public void OnGet(int code) => Describe(code);

    // A refused or failed form post is re-executed as a POST: the same page.
    public void OnPost(int code) => Describe(code);

    private void Describe(int code)
    {
        // The language of the page that failed: its query string is gone on re-execution.
        var original = HttpContext.Features.Get<IStatusCodeReExecuteFeature>()?.OriginalQueryString;
        Language = original is not null && Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(original).TryGetValue("lang", out var lang)
            ? (lang.ToString().StartsWith("en", StringComparison.OrdinalIgnoreCase) ? Language.En : Language.Zh)
            : Languages.Of(Request);
        var status = code is >= 400 and < 600 ? code : StatusCodes.Status404NotFound;
        Response.StatusCode = status;
        (Title, Message) = status switch
        {
            StatusCodes.Status404NotFound => (NotFoundTitle, NotFoundMessage),
            StatusCodes.Status429TooManyRequests => (TooManyTitle, TooManyMessage),
            >= 500 => (ServerTitle, ServerMessage),
            _ => (OtherTitle, OtherMessage),
        };
        if (status == StatusCodes.Status429TooManyRequests && int.TryParse(Response.Headers.RetryAfter.ToString(), out var seconds))
        {
            RetrySeconds = seconds;
            RetryText = seconds < 120 ? RetryInSeconds.Format(seconds) : RetryInMinutes.Format(RetryAfter.WholeMinutes(seconds));
        }
    }
}
