using System.Globalization;
using CsvHelper;

namespace SmartDoorplate.Data;

public sealed record CsvImportResult(int Written, IReadOnlyList<string> Problems)
{
    public bool Succeeded => Problems.Count == 0;
}

// A header-addressed CSV file (RFC 4180, UTF-8) read row by row, with problems collected by line
// number so that a whole file can be checked before anything is written.
public sealed class CsvFile : IDisposable
{
    public const int MaxReportedProblems = 20;

    // Bad quoting or a short row is an error to report, not something to guess around.
    private static readonly CsvReaderOptions Options = CsvReaderOptions.Default with
    {
        TrimWhitespace = true,
        TrackLineNumbers = true,
        MalformedData = CsvMalformedDataHandling.Throw,
        FieldCountMismatch = CsvFieldCountHandling.Throw,
    };

    private readonly CsvReader csv;
    private readonly List<string> problems = [];
    private int problemCount;

    private CsvFile(string path)
    {
        FileName = Path.GetFileName(path);
        csv = CsvReader.FromFile(path, Options);
    }

    public string FileName { get; }

    public IReadOnlyList<string> Headers => [.. csv.Headers];

    public int ProblemCount => problemCount;

    public IReadOnlyList<string> Problems =>
        problemCount > problems.Count ? [.. problems, $"and {problemCount - problems.Count} more problems in {FileName}"] : problems;

    // The physical line of the current row (the header is line 1).
    public int Line => (int)csv.LineNumber;

    public static CsvFile Open(string path, params string[] requiredColumns)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{Path.GetFileName(path)}: no such file", path);
        var file = new CsvFile(path);
        try
        {
            file.csv.ReadHeader();
        }
        catch (CsvFormatException ex)
        {
            file.Dispose();
            throw new InvalidDataException($"{file.FileName}: the header row is not valid CSV ({ex.Message})");
        }

        var missing = requiredColumns.Except(file.csv.Headers, StringComparer.Ordinal).ToArray();
        if (missing.Length > 0)
        {
            file.Dispose();
            throw new InvalidDataException($"{file.FileName}: missing columns {string.Join(", ", missing)}");
        }

        return file;
    }

    public bool Read()
    {
        try
        {
            return csv.Read();
        }
        catch (CsvFormatException ex)
        {
            throw new InvalidDataException($"{FileName}: not valid CSV ({ex.Message})");
        }
    }

    public string? Text(string column)
    {
        var value = csv.GetString(column);
        return value.Length == 0 ? null : value;
    }

    public void Problem(string problem) => Problem(Line, problem);

    public void Problem(int line, string problem)
    {
        problemCount++;
        if (problems.Count < MaxReportedProblems) problems.Add($"{FileName} line {line}: {problem}");
    }

    public string? Required(string column, int maxLength)
    {
        var value = Text(column);
        if (value is null) Problem($"'{column}' is missing");
        else if (value.Length > maxLength) Problem($"'{column}' is longer than {maxLength} characters");
        else return value;
        return null;
    }

    public int? Integer(string column, int min, int max)
    {
        var value = Text(column);
        if (value is not null && int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) && number >= min && number <= max)
        {
            return number;
        }

        Problem($"'{column}' must be a whole number from {min} to {max}, not '{value}'");
        return null;
    }

    public double? Number(string column)
    {
        var value = Text(column);
        if (value is not null && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number))
        {
            return number;
        }

        Problem($"'{column}' must be a finite number, not '{value}'");
        return null;
    }

    public DateOnly? Date(string column, bool required)
    {
        var value = Text(column);
        if (value is null)
        {
            if (required) Problem($"'{column}' is missing");
            return null;
        }

        if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)) return date;
        Problem($"'{column}' must be a date yyyy-MM-dd, not '{value}'");
        return null;
    }

    public TEnum? Code<TEnum>(string column, IEnumerable<TEnum>? allowed = null) where TEnum : struct, Enum
    {
        var value = Text(column);
        var choices = (allowed ?? Enum.GetValues<TEnum>()).ToArray();
        if (SnakeCaseEnum.TryParse<TEnum>(value, out var parsed) && SnakeCaseEnum.ToCode(parsed) == value && choices.Contains(parsed)) return parsed;
        Problem($"'{column}' is '{value}', not one of {string.Join("|", choices.Select(SnakeCaseEnum.ToCode))}");
        return null;
    }

    public void Dispose() => csv.Dispose();
}
