using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SmartDoorplate.Audit;
using SmartDoorplate.Data;
using SmartDoorplate.Privacy;
using SmartDoorplate.Web.Tests.Accounts;
using SmartDoorplate.Web.Tests.Infrastructure;

namespace SmartDoorplate.Web.Tests.Privacy;

public sealed class KeyRotationTests(ScopeWorldFixture app) : IClassFixture<ScopeWorldFixture>
{
    [Fact]
    public async Task RotationReencryptsEveryValueUnderTheNewKeyAndTheOldKeyCanThenGo()
    {
        var newKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        await using var rotated = app.WithWebHostBuilder(b => b
            .UseSetting("Privacy:EncryptionKeys:2", newKey)
            .UseSetting("Privacy:ActiveKeyId", "2"));
        await using var newKeyOnly = app.WithWebHostBuilder(b => b
            .UseSetting("Privacy:EncryptionKeys:1", newKey) // key id 1 now holds other bytes: decrypting old data must fail
            .UseSetting("Privacy:EncryptionKeys:2", newKey)
            .UseSetting("Privacy:ActiveKeyId", "2"));

        KeyRotation.Result result;
        await using (var scope = rotated.Services.CreateAsyncScope())
        {
            var sp = scope.ServiceProvider;
            result = await KeyRotation.RotateAsync(sp.GetRequiredService<SmartDoorplateDb>(), sp.GetRequiredService<PersonalDataProtector>(), sp.GetRequiredService<AuditTrail>(), default);
        }

        Assert.True(result.Persons >= 2);
        await using var check = newKeyOnly.Services.CreateAsyncScope();
        var db = check.ServiceProvider.GetRequiredService<SmartDoorplateDb>();
        var protector = check.ServiceProvider.GetRequiredService<PersonalDataProtector>();
        var personA = await db.Persons.SingleAsync(p => p.Id == app.World.PersonA);
        Assert.Equal(2, personA.IdNumberCipher[0]);
        Assert.Equal(TestWorld.IdNumberA, protector.Decrypt(personA.IdNumberCipher));
        Assert.Equal(app.World.PersonAPhone, protector.Decrypt(personA.PhoneCipher));
        Assert.All(await db.Persons.Select(p => p.PhoneCipher).ToListAsync(), c => Assert.Equal(2, c[0]));
    }
}
