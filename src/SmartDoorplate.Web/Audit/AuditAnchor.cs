using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace SmartDoorplate.Audit;

// One line of the anchor file: a checkpoint as written to the database, with the database it
// belongs to (one anchor file may serve several databases of a host, e.g. the app's and a benchmark's).
public sealed record AuditAnchorLine(
    string Database, long ChainSeq, string HeadHash, DateTimeOffset At, short? LinkKeyId, short SigningKeyId, string Signature)
{
    public static AuditAnchorLine From(string database, AuditCheckpoint checkpoint) => new(
        database, checkpoint.ChainSeq, Convert.ToHexStringLower(checkpoint.HeadHash), checkpoint.At,
        checkpoint.LinkKeyId, checkpoint.SigningKeyId, Convert.ToBase64String(checkpoint.Signature));

    public bool Matches(AuditCheckpoint checkpoint) =>
        ChainSeq == checkpoint.ChainSeq && HeadHash == Convert.ToHexStringLower(checkpoint.HeadHash) && At == checkpoint.At
        && LinkKeyId == checkpoint.LinkKeyId && SigningKeyId == checkpoint.SigningKeyId && Signature == Convert.ToBase64String(checkpoint.Signature);
}

// The copy of every checkpoint outside the database: an append-only file of JSON lines, each
// flushed to disk before the next. Kept on another volume or host (Audit:AnchorPath on a mounted
// WORM or remote volume, `chattr +a`, or shipped line by line with `tail -F`/rsyslog), it lets
// `audit verify` see that a superuser deleted the newest events together with their checkpoints.
public sealed class AuditAnchor(IOptions<AuditSealOptions> options, IHostEnvironment environment)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly SemaphoreSlim writing = new(1, 1);

    public string Path { get; } = System.IO.Path.GetFullPath(
        string.IsNullOrWhiteSpace(options.Value.AnchorPath) ? System.IO.Path.Combine(".data", "audit-anchor.jsonl") : options.Value.AnchorPath,
        environment.ContentRootPath);

    public async Task AppendAsync(AuditAnchorLine line, CancellationToken cancellationToken)
    {
        var bytes = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(line, Json) + "\n");
        await writing.WaitAsync(cancellationToken);
        try
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
            // Append mode: each write lands at the end even with other processes appending too.
            await using var file = new FileStream(Path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
            await file.WriteAsync(bytes, cancellationToken);
            file.Flush(flushToDisk: true);
        }
        finally
        {
            writing.Release();
        }
    }

    // The anchor's checkpoints of one database, by chain position. A line that is not JSON (a write
    // cut short by a crash) is skipped only when it is the last line; anywhere else it is an error.
    public async Task<IReadOnlyList<AuditAnchorLine>> ReadAsync(string database, CancellationToken cancellationToken)
    {
        if (!File.Exists(Path)) return [];
        var lines = await File.ReadAllLinesAsync(Path, cancellationToken);
        var result = new List<AuditAnchorLine>();
        for (var i = 0; i < lines.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(lines[i])) continue;
            AuditAnchorLine? line;
            try
            {
                line = JsonSerializer.Deserialize<AuditAnchorLine>(lines[i], Json);
            }
            catch (JsonException) when (i == lines.Length - 1)
            {
                continue;
            }
            catch (JsonException ex)
            {
                throw new InvalidDataException($"the audit anchor {Path} line {i + 1} is not a checkpoint: {ex.Message}", ex);
            }
            if (line is not null && line.Database == database) result.Add(line);
        }
        return result;
    }
}
