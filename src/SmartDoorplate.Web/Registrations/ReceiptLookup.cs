using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using SmartDoorplate.Analytics.Identity;
using SmartDoorplate.Data;
using SmartDoorplate.Privacy;

namespace SmartDoorplate.Registrations;

// A tenant has no account: the receipt and the phone they registered with prove the registration is
// theirs. Both must match; callers answer 404 whichever one does not, so that a guess learns nothing.
public static class ReceiptLookup
{
    public static async Task<ResidenceRegistration?> FindAsync(SmartDoorplateDb db, PersonalDataProtector protector,
        string receipt, string? phone, CancellationToken cancellationToken)
    {
        var normalisedPhone = MobilePhone.Validate(phone);
        if (!normalisedPhone.IsValid) return null;
        var phoneIndex = protector.BlindIndex(normalisedPhone.Number);
        var registration = await db.Registrations.AsNoTracking().Include(r => r.Person)
            .SingleOrDefaultAsync(r => r.Receipt == receipt.Trim(), cancellationToken);
        return registration?.Person is not null && CryptographicOperations.FixedTimeEquals(phoneIndex, registration.Person.PhoneIndex)
            ? registration
            : null;
    }
}
