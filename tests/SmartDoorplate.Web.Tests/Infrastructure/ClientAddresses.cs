using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace SmartDoorplate.Web.Tests.Infrastructure;

// The test server has no network: every request comes from no address. With this filter a test
// says where a request comes from (X-Test-Client-Address), as a proxy's forwarded address would.
public sealed class ClientAddressFromHeader : IStartupFilter
{
    public const string Header = "X-Test-Client-Address";

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (context, nextMiddleware) =>
        {
            if (context.Request.Headers.TryGetValue(Header, out var address)) context.Connection.RemoteIpAddress = IPAddress.Parse(address.ToString());
            await nextMiddleware(context);
        });
        next(app);
    };
}
