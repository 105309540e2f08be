using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.DataProtection;
using SmartDoorplate.Accounts;

namespace SmartDoorplate.Web.Tests.Accounts;

public sealed class CachedTicketFormatTests
{
    // The real format, counting how often it is asked to read a ticket.
    private sealed class CountingFormat : ISecureDataFormat<AuthenticationTicket>
    {
        private readonly TicketDataFormat real = new(new EphemeralDataProtectionProvider().CreateProtector("tests"));
        public int Reads { get; private set; }
        public string Protect(AuthenticationTicket data) => real.Protect(data);
        public string Protect(AuthenticationTicket data, string? purpose) => real.Protect(data, purpose);
        public AuthenticationTicket? Unprotect(string? protectedText) => Unprotect(protectedText, null);
        public AuthenticationTicket? Unprotect(string? protectedText, string? purpose)
        {
            Reads++;
            return real.Unprotect(protectedText, purpose);
        }
    }

    private static AuthenticationTicket Ticket(string name, DateTimeOffset? expires)
    {
        var principal = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, name), new Claim(ClaimTypes.Role, "police_officer")], "tests"));
        return new AuthenticationTicket(principal, new AuthenticationProperties { ExpiresUtc = expires }, "tests");
    }

    private static (CachedTicketFormat Format, CountingFormat Inner) Create()
    {
        var inner = new CountingFormat();
        return (new CachedTicketFormat(inner, CachedTicketFormat.CreateCache(), TimeProvider.System), inner);
    }

    [Fact]
    public void ATicketIsDecryptedOnceAndThenServedFromTheCache()
    {
        var (format, inner) = Create();
        var text = format.Protect(Ticket("t.officer.a", DateTimeOffset.UtcNow.AddHours(1)));

        var first = format.Unprotect(text);
        var second = format.Unprotect(text);

        Assert.Equal(1, inner.Reads);
        Assert.Equal("t.officer.a", first?.Principal.Identity?.Name);
        Assert.Equal("t.officer.a", second?.Principal.Identity?.Name);
        Assert.Equal(first!.Properties.ExpiresUtc, second!.Properties.ExpiresUtc);
    }

    [Fact]
    public void EachReaderGetsItsOwnCopyOfTheTicket()
    {
        var (format, _) = Create();
        var text = format.Protect(Ticket("t.officer.a", DateTimeOffset.UtcNow.AddHours(1)));

        var first = format.Unprotect(text)!;
        ((ClaimsIdentity)first.Principal.Identity!).AddClaim(new Claim(ClaimTypes.Role, "admin"));
        first.Properties.Items["changed"] = "yes";
        var second = format.Unprotect(text)!;
        var third = format.Unprotect(text)!;

        Assert.False(second.Principal.IsInRole("admin"));
        Assert.False(second.Properties.Items.ContainsKey("changed"));
        Assert.NotSame(second.Principal, third.Principal);
    }

    [Fact]
    public void ATamperedTextIsRefusedEveryTimeAndNeverCached()
    {
        var (format, inner) = Create();
        var text = format.Protect(Ticket("t.officer.a", DateTimeOffset.UtcNow.AddHours(1)));
        Assert.NotNull(format.Unprotect(text));
        var tampered = text[..^4] + (text[^4] == 'A' ? "BBBB" : "AAAA");

        var once = format.Unprotect(tampered);
        var again = format.Unprotect(tampered);

        Assert.Null(once);
        Assert.Null(again);
        Assert.Equal(3, inner.Reads);
    }

    [Fact]
    public void AnExpiredTicketIsReturnedForTheHandlerToRefuseButNotKept()
    {
        var (format, inner) = Create();
        var text = format.Protect(Ticket("t.officer.a", DateTimeOffset.UtcNow.AddMinutes(-1)));

        var first = format.Unprotect(text);
        var second = format.Unprotect(text);

        Assert.NotNull(first);
        Assert.NotNull(second);
        Assert.Equal(2, inner.Reads);
    }

    [Fact]
    public void TheSameTextUnderAnotherPurposeIsReadByTheInnerFormat()
    {
        var (format, inner) = Create();
        var text = format.Protect(Ticket("t.officer.a", DateTimeOffset.UtcNow.AddHours(1)), "one");
        Assert.NotNull(format.Unprotect(text, "one"));

        var otherPurpose = format.Unprotect(text, "two");

        Assert.Null(otherPurpose);
        Assert.Equal(2, inner.Reads);
    }

    [Fact]
    public void NoTextIsNoTicket()
    {
        var (format, _) = Create();

        Assert.Null(format.Unprotect(null));
        Assert.Null(format.Unprotect(""));
    }
}
