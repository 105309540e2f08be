using System.CommandLine;
using Microsoft.EntityFrameworkCore;
using SmartDoorplate.Audit;
using SmartDoorplate.Data;

namespace SmartDoorplate.Privacy;

// Re-encrypts every ciphertext still under an old key with Privacy:ActiveKeyId. Run it after
// adding a new key and making it active; once it reports nothing left, the old key can be removed
// from configuration. Batches keep memory flat on the city-scale tables.
public static class KeyRotation
{
    private const int BatchSize = 500;

    public sealed record Result(int Persons, int Registrations, int Accounts = 0);

    public static async Task<Result> RotateAsync(SmartDoorplateDb db, PersonalDataProtector protector, AuditTrail audit, CancellationToken ct)
    {
        int active = protector.ActiveKeyId;
        var persons = 0;
        while (true)
        {
            var batch = await db.Persons.IgnoreQueryFilters()
                .Where(p => p.IdNumberCipher[0] != active || p.PhoneCipher[0] != active)
                .OrderBy(p => p.Id).Take(BatchSize).ToListAsync(ct);
            if (batch.Count == 0) break;
            foreach (var person in batch)
            {
                person.IdNumberCipher = protector.Encrypt(protector.Decrypt(person.IdNumberCipher));
                person.PhoneCipher = protector.Encrypt(protector.Decrypt(person.PhoneCipher));
            }
            await db.SaveChangesAsync(ct);
            db.ChangeTracker.Clear();
            persons += batch.Count;
        }

        var registrations = 0;
        while (true)
        {
            var batch = await db.Registrations.IgnoreQueryFilters()
                .Where(r => r.ContactPhoneCipher != null && r.ContactPhoneCipher[0] != active)
                .OrderBy(r => r.Id).Take(BatchSize).ToListAsync(ct);
            if (batch.Count == 0) break;
            foreach (var registration in batch)
                registration.ContactPhoneCipher = protector.Encrypt(protector.Decrypt(registration.ContactPhoneCipher!));
            await db.SaveChangesAsync(ct);
            db.ChangeTracker.Clear();
            registrations += batch.Count;
        }

        // Accounts' contact phones: a few hundred rows, one batch.
        var accounts = await db.Users.Where(u => u.ContactPhoneCipher != null && u.ContactPhoneCipher[0] != active).ToListAsync(ct);
        foreach (var user in accounts) user.ContactPhoneCipher = protector.Encrypt(protector.Decrypt(user.ContactPhoneCipher!));
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();

        await audit.AppendAsync(new AuditEntry(AuditActions.EncryptionKeysRotated,
            Details: new { activeKeyId = active, persons, registrations, accounts = accounts.Count }), ct);
        return new Result(persons, registrations, accounts.Count);
    }

    public static Command Command(IServiceProvider services)
    {
        var command = new Command("rotate-keys", "Re-encrypt ID numbers and phones still under an old key with Privacy:ActiveKeyId.");
        command.SetAction(async (_, ct) =>
        {
            await using var scope = services.CreateAsyncScope();
            var result = await RotateAsync(
                scope.ServiceProvider.GetRequiredService<SmartDoorplateDb>(),
                scope.ServiceProvider.GetRequiredService<PersonalDataProtector>(),
                scope.ServiceProvider.GetRequiredService<AuditTrail>(), ct);
            Console.WriteLine($"re-encrypted {result.Persons} persons, {result.Registrations} registration phones and {result.Accounts} account phones");
            return 0;
        });
        return command;
    }
}
