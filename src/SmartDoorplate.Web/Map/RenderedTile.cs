namespace SmartDoorplate.Map;

// A tile's bytes and their ETag (none for an empty tile, which is answered 204).
public sealed record RenderedTile(byte[] Bytes, string? ETag)
{
    public const string ContentType = "application/vnd.mapbox-vector-tile";

    public static RenderedTile Of(byte[] bytes) =>
        new(bytes, bytes.Length == 0 ? null : $"\"{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes), 0, 16)}\"");
}
