namespace SmartDoorplate.Shared;

// A form's error summary (Shared/_ErrorSummary.cshtml): after a failed submit, focus moves to it and
// each line links to its field (GOV.UK Design System pattern, WCAG 2.1 3.3.1 and 2.4.3). `FieldId`
// is the id of the control to fix, or null for an error of the whole form.
public sealed record ErrorSummaryItem(string? FieldId, string Message);

public sealed record ErrorSummary(string Title, IReadOnlyList<ErrorSummaryItem> Items)
{
    // The id of a field's message, for the field's aria-describedby.
    public static string MessageId(string fieldId) => fieldId + "-error";
}
