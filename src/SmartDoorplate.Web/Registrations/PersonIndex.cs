using SmartDoorplate.Analytics.Identity;

namespace SmartDoorplate.Registrations;

// What the person's blind index (persons.id_number_index) is computed over. A GB 11643 number (an ID
// card or a residence permit) is unique on its own and indexed as it is, as before other documents
// were taken, so the watch list and the officers' search by ID number find it. Any other document
// is indexed with its type (and nationality: passport numbers are unique only per issuing country),
// so that a passport number can never collide with another document's number.
public static class PersonIndex
{
    public static string KeyOf(IdentityDocument document) => document.ResidentId is not null
        ? document.Number
        : $"{Data.SnakeCaseEnum.ToCode(document.Type)}:{document.Nationality}:{document.Number}";
}
