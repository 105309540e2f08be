using System.Text.Json;
using NetTopologySuite.Features;
using NetTopologySuite.IO.Converters;
using SmartDoorplate.Data;

namespace SmartDoorplate.Loading.Import;

// Streams the features of an RFC 7946 FeatureCollection one at a time. NetTopologySuite's own
// FeatureCollection converter reads the whole file into memory, which a city-wide buildings file
// (hundreds of MB) must not need. Utf8JsonReader is a ref struct and cannot live across `yield`,
// so the reader is rebuilt from its saved state for every step over a refillable buffer.
public sealed class GeoJsonFeatureReader : IDisposable
{
    private const int InitialBufferSize = 64 * 1024;

    private static readonly JsonSerializerOptions FeatureOptions = new()
    {
        Converters = { new GeoJsonConverterFactory(Geo.Factory) },
    };

    private readonly Stream stream;
    private readonly string fileName;
    private byte[] buffer = new byte[InitialBufferSize];
    private int start;
    private int end;
    private bool endOfStream;
    private bool firstFill = true;
    private JsonReaderState state = new(new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
    private Phase phase = Phase.BeforeRoot;
    private bool sawFeatures;
    private int featureCount;

    private enum Phase { BeforeRoot, RootPropertyName, TypeValue, FeaturesArray, OtherValue, Features, Done }

    private GeoJsonFeatureReader(Stream stream, string fileName)
    {
        this.stream = stream;
        this.fileName = fileName;
    }

    public static IEnumerable<SourceFeature> Read(string path)
    {
        FileStream stream;
        try
        {
            stream = File.OpenRead(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new FeatureSourceException($"{Path.GetFileName(path)}: cannot be opened ({ex.Message})");
        }

        using var reader = new GeoJsonFeatureReader(stream, Path.GetFileName(path));
        while (reader.Next() is { } feature) yield return feature;
    }

    public void Dispose() => stream.Dispose();

    private SourceFeature? Next()
    {
        while (true)
        {
            if (TryStep(out var feature, out var needMoreData)) return feature;
            if (phase == Phase.Done) return null;
            if (needMoreData) Fill();
        }
    }

    // Reads as far as the buffered bytes allow, up to the next feature. Only whole steps are
    // committed, so a value cut by the end of the buffer is read again after the next Fill.
    private bool TryStep(out SourceFeature? feature, out bool needMoreData)
    {
        feature = null;
        needMoreData = false;
        var reader = new Utf8JsonReader(buffer.AsSpan(start, end - start), endOfStream, state);
        var committedBytes = 0L;
        var committedState = state;
        try
        {
            while (phase != Phase.Done)
            {
                if (!reader.Read())
                {
                    if (endOfStream) throw Broken("the file ends before the FeatureCollection is complete");
                    needMoreData = true;
                    break;
                }

                switch (phase)
                {
                    case Phase.BeforeRoot:
                        if (reader.TokenType != JsonTokenType.StartObject) throw NotAFeatureCollection();
                        phase = Phase.RootPropertyName;
                        break;
                    case Phase.RootPropertyName:
                        if (reader.TokenType == JsonTokenType.EndObject)
                        {
                            if (!sawFeatures) throw NotAFeatureCollection();
                            phase = Phase.Done;
                            break;
                        }

                        phase = reader.GetString() switch
                        {
                            "type" => Phase.TypeValue,
                            "features" => Phase.FeaturesArray,
                            _ => Phase.OtherValue,
                        };
                        break;
                    case Phase.TypeValue:
                        if (reader.TokenType != JsonTokenType.String || reader.GetString() != "FeatureCollection") throw NotAFeatureCollection();
                        phase = Phase.RootPropertyName;
                        break;
                    case Phase.FeaturesArray:
                        if (reader.TokenType != JsonTokenType.StartArray) throw NotAFeatureCollection();
                        sawFeatures = true;
                        phase = Phase.Features;
                        break;
                    case Phase.OtherValue:
                        // "crs", "name", "bbox" and foreign members are skipped whole.
                        if (!reader.TrySkip()) needMoreData = true;
                        else phase = Phase.RootPropertyName;
                        break;
                    case Phase.Features:
                        if (reader.TokenType == JsonTokenType.EndArray)
                        {
                            phase = Phase.RootPropertyName;
                            break;
                        }

                        if (reader.TokenType != JsonTokenType.StartObject) throw Broken($"feature #{featureCount + 1} is not a JSON object");
                        var afterFeature = reader;
                        if (!afterFeature.TrySkip())
                        {
                            needMoreData = true;
                            break;
                        }

                        featureCount++;
                        feature = DeserializeFeature(reader, featureCount);
                        Commit(afterFeature.BytesConsumed, afterFeature.CurrentState);
                        return true;
                }

                if (needMoreData) break;
                committedBytes = reader.BytesConsumed;
                committedState = reader.CurrentState;
            }
        }
        catch (JsonException ex)
        {
            var where = ex.LineNumber is { } line ? $" (line {line + 1})" : "";
            throw Broken($"{ex.Message.Split(" Path:")[0].Split(" LineNumber:")[0]}{where}");
        }

        Commit(committedBytes, committedState);
        return false;
    }

    private static SourceFeature DeserializeFeature(Utf8JsonReader reader, int number)
    {
        try
        {
            var feature = JsonSerializer.Deserialize<IFeature>(ref reader, FeatureOptions);
            if (feature is null) return new SourceFeature(number, null, FeatureProperties.From((IAttributesTable?)null, PropertyNaming.Exact), "is null");
            if (feature.Geometry is not null) feature.Geometry.SRID = Geo.Srid;
            return new SourceFeature(number, feature.Geometry, FeatureProperties.From(feature.Attributes, PropertyNaming.Exact));
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException or InvalidOperationException or FormatException or NotSupportedException)
        {
            // Syntactically fine JSON (TrySkip checked that) whose geometry or properties do not
            // make a GeoJSON feature, e.g. an unclosed ring: a problem of this feature only.
            return new SourceFeature(number, null, FeatureProperties.From((IAttributesTable?)null, PropertyNaming.Exact),
                $"is not a valid GeoJSON feature ({ex.Message})");
        }
    }

    private void Commit(long bytesConsumed, JsonReaderState newState)
    {
        start += (int)bytesConsumed;
        state = newState;
    }

    private void Fill()
    {
        if (start > 0)
        {
            Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
            end -= start;
            start = 0;
        }

        // A single feature larger than the buffer (a detailed district boundary) grows it.
        if (end == buffer.Length) Array.Resize(ref buffer, buffer.Length * 2);
        var read = stream.Read(buffer, end, buffer.Length - end);
        if (read == 0) endOfStream = true;
        end += read;

        if (firstFill && end >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF)
        {
            start = 3; // UTF-8 byte order mark, as some Windows GIS tools write
        }

        firstFill = false;
    }

    private FeatureSourceException NotAFeatureCollection() =>
        new($"{fileName}: not a GeoJSON FeatureCollection (expected {{\"type\": \"FeatureCollection\", \"features\": [...]}})");

    private FeatureSourceException Broken(string reason) =>
        new($"{fileName}: broken JSON after feature #{featureCount}: {reason}");
}
