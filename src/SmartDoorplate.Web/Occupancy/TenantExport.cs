using System.Globalization;
using CsvHelper;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SmartDoorplate.Analytics.Privacy;
using SmartDoorplate.Audit;
using SmartDoorplate.Data;
using SmartDoorplate.Localization;
using SmartDoorplate.Privacy;
using SmartDoorplate.Registrations;

namespace SmartDoorplate.Occupancy;

// A landlord's list of current tenants to keep or print. A file leaves the system and travels, so
// names, ID numbers and phones are masked in it, and every export is audited with whom it listed.
public static class TenantExport
{
    public const string CsvContentType = "text/csv; charset=utf-8";
    public const string XlsxContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    // Mapped inside the landlord group (policy Landlord, scope by ownership).
    public static RouteGroupBuilder MapTenantExport(this RouteGroupBuilder group)
    {
        group.MapGet("/tenants.csv", (HttpRequest request, SmartDoorplateDb db, PersonalDataProtector protector, AuditTrail audit, TimeProvider clock, CancellationToken ct) =>
            ExportAsync("csv", request, db, protector, audit, clock, ct));
        group.MapGet("/tenants.xlsx", (HttpRequest request, SmartDoorplateDb db, PersonalDataProtector protector, AuditTrail audit, TimeProvider clock, CancellationToken ct) =>
            ExportAsync("xlsx", request, db, protector, audit, clock, ct));
        return group;
    }

    private static async Task<FileContentHttpResult> ExportAsync(
        string format, HttpRequest request, SmartDoorplateDb db, PersonalDataProtector protector, AuditTrail audit, TimeProvider clock, CancellationToken ct)
    {
        var language = Languages.Of(request);
        var tenants = await db.Registrations.AsNoTracking().Where(ResidenceRegistration.IsOccupying)
            .OrderBy(r => r.Building!.Code).ThenBy(r => r.Room != null ? r.Room.Number : r.RoomLabel).ThenBy(r => r.MoveInDate)
            .Select(r => new
            {
                r.PersonId, BuildingCode = r.Building!.Code, Address = r.Building.Address!.FullText,
                Room = r.Room != null ? r.Room.Number : r.RoomLabel, r.Person!.Name, r.Person.IdNumberCipher, r.Person.PhoneCipher,
                r.MoveInDate, r.Reason, r.Status,
            })
            .ToListAsync(ct);
        var header = OccupancyText.ExportColumns.Select(c => c.In(language)).ToArray();
        var rows = tenants.Select(t => new[]
        {
            t.BuildingCode, t.Address, t.Room ?? "", Masking.MaskChineseName(t.Name),
            Masking.MaskResidentId(protector.Decrypt(t.IdNumberCipher)), Masking.MaskMobilePhone(protector.Decrypt(t.PhoneCipher)),
            t.MoveInDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            RegistrationText.Reasons[t.Reason].In(language), RegistrationText.Statuses[t.Status].In(language),
        }).ToList();

        var bytes = format == "csv" ? Csv(header, rows) : Xlsx(OccupancyText.ExportSheetName.In(language), header, rows);
        await audit.AppendAsync(new AuditEntry(AuditActions.TenantExport, "person", null, Details: new
        {
            format,
            count = rows.Count,
            persons = tenants.Select(t => t.PersonId).Distinct().ToArray(),
        }), ct);
        var day = DateOnly.FromDateTime(clock.GetLocalNow().DateTime).ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        return TypedResults.File(bytes, format == "csv" ? CsvContentType : XlsxContentType, $"tenants-{day}.{format}");
    }

    // RFC 4180 with a byte-order mark, so that Excel on a landlord's PC opens the Chinese text as UTF-8;
    // a field that a spreadsheet would run as a formula (=, +, -, @) is escaped.
    public static byte[] Csv(string[] header, IEnumerable<string[]> rows)
    {
        using var stream = new MemoryStream();
        var options = CsvWriterOptions.Default with { Injection = CsvInjection.Escape, WriteByteOrderMark = true };
        using (var csv = CsvWriter.Create(stream, options, leaveOpen: true))
        {
            csv.WriteHeader(header);
            foreach (var row in rows) csv.WriteRecord(row);
        }
        return stream.ToArray();
    }

    // Inline strings only: every value is text (dates included), so nothing is re-interpreted by Excel.
    public static byte[] Xlsx(string sheetName, string[] header, IEnumerable<string[]> rows)
    {
        using var stream = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook))
        {
            var workbookPart = document.AddWorkbookPart();
            workbookPart.Workbook = new Workbook();
            var worksheetPart = workbookPart.AddNewPart<WorksheetPart>();
            var sheetData = new SheetData();
            sheetData.Append(Row(header));
            foreach (var row in rows) sheetData.Append(Row(row));
            worksheetPart.Worksheet = new Worksheet(
                new Columns(new Column { Min = 1, Max = (uint)header.Length, Width = 18, CustomWidth = true }),
                sheetData);
            workbookPart.Workbook.AppendChild(new Sheets(new Sheet
            {
                Id = workbookPart.GetIdOfPart(worksheetPart), SheetId = 1, Name = sheetName,
            }));
        }
        return stream.ToArray();

        static Row Row(IEnumerable<string> values) => new(values.Select(v =>
            new Cell { DataType = CellValues.InlineString, InlineString = new InlineString(new Text(v)) }));
    }
}
