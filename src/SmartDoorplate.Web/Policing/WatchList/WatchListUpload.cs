using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using SmartDoorplate.Audit;
using SmartDoorplate.Data;
using SmartDoorplate.Localization;
using SmartDoorplate.Privacy;

namespace SmartDoorplate.Policing.WatchList;

// Stored: the upload's counts. Otherwise the file's problems (bilingual, the first few) and their line numbers.
public sealed record WatchListUploadOutcome(WatchListUploadDto? Stored, IReadOnlyList<string> Problems, IReadOnlyList<int> Lines);

public enum EntryRemoval { Removed, NotFound, NotYours }

// Loading a list and taking an entry off it, once for POST/DELETE /api/watch-list and the /watch-list page.
public static class WatchListUpload
{
    public static async Task<WatchListUploadOutcome> StoreAsync(IFormFile? file, SmartDoorplateDb db, PersonalDataProtector protector, AuditTrail audit,
        TimeProvider clock, CancellationToken ct)
    {
        static WatchListUploadOutcome Refused(Bilingual message) => new(null, [message.ToString()], []);

        if (file is null || file.Length == 0) return Refused(WatchListText.FileMissing);
        if (file.Length > WatchListFile.MaxBytes) return Refused(WatchListText.FileTooLarge.Format(WatchListFile.MaxBytes));

        string text;
        using (var stream = new MemoryStream())
        {
            await file.CopyToAsync(stream, ct);
            try { text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(stream.GetBuffer(), 0, (int)stream.Length); }
            catch (DecoderFallbackException) { return Refused(WatchListText.FileNotUtf8); }
        }

        var today = DateOnly.FromDateTime(clock.GetLocalNow().DateTime);
        var (lines, problems) = WatchListFile.Parse(text, today);
        if (problems.Count > 0)
        {
            return new(null, [.. problems.Take(WatchListFile.MaxReportedProblems).Select(p => WatchListFile.Describe(p).ToString())],
                [.. problems.Select(p => p.Line).Where(l => l > 0).Distinct()]);
        }

        var uploadId = Guid.CreateVersion7();
        var now = clock.GetUtcNow();
        var userId = db.Scope.UserId ?? throw new InvalidOperationException("An upload needs a signed-in caller.");
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await WatchListMatching.LockForUploadAsync(db, ct);
        var added = await WatchListSql.InsertEntriesAsync((NpgsqlConnection)db.Database.GetDbConnection(),
            [.. lines.Select(l => protector.BlindIndex(l.IdNumber.Value))], [.. lines.Select(l => l.Reference)], [.. lines.Select(l => l.Reason)],
            uploadId, userId, now, ct);
        var alertIds = await WatchListMatching.RaiseForUploadAsync(db, uploadId, now, ct);
        await audit.AppendAsync(new AuditEntry(AuditActions.WatchListUpload, AuditTargets.WatchList, uploadId.ToString("D"), Details: new
        {
            file = file.FileName,
            lines = lines.Count,
            added,
            alreadyListed = lines.Count - added,
            alerts = alertIds,
        }), ct);
        await transaction.CommitAsync(ct);
        return new(new WatchListUploadDto(uploadId, lines.Count, added, lines.Count - added, alertIds.Count), [], []);
    }

    // Soft: the entry stays for the alerts it raised and for the audit trail; it matches nothing more.
    // Alerts it already raised stay for the officers to decide.
    public static async Task<EntryRemoval> RemoveAsync(long id, SmartDoorplateDb db, AuditTrail audit, TimeProvider clock, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var entry = await db.WatchEntries.FirstOrDefaultAsync(e => e.Id == id && e.RemovedAt == null, ct);
        if (entry is null) return EntryRemoval.NotFound;
        // Whoever listed a person answers for taking them off again; an admin may do it for anyone.
        if (!db.Scope.SeesEverything && entry.AddedById != db.Scope.UserId) return EntryRemoval.NotYours;
        entry.RemovedAt = clock.GetUtcNow();
        entry.RemovedById = db.Scope.UserId;
        await db.SaveChangesAsync(ct);
        await audit.AppendAsync(new AuditEntry(AuditActions.WatchListRemove, AuditTargets.WatchEntry, id.ToString(CultureInfo.InvariantCulture),
            Details: new { upload = entry.UploadId, reference = entry.Reference }), ct);
        await transaction.CommitAsync(ct);
        return EntryRemoval.Removed;
    }
}
