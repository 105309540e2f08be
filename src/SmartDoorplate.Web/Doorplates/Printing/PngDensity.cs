using System.Buffers.Binary;

namespace SmartDoorplate.Doorplates.Printing;

// Skia writes no pHYs chunk, so print software would open a 3543-pixel plate at 72 or 96 dpi (1.2 m
// wide). With pHYs it opens at its true 300 × 200 mm.
public static class PngDensity
{
    private static readonly uint[] CrcTable = BuildCrcTable();

    public static byte[] WithDpi(byte[] png, float dpi)
    {
        // The signature (8 bytes) and IHDR (4 length + 4 type + 13 data + 4 CRC) always come first,
        // and pHYs must come before the image data.
        const int afterHeader = 8 + 25;
        var pixelsPerMetre = (uint)MathF.Round(dpi / 0.0254f);
        Span<byte> chunk = stackalloc byte[4 + 4 + 9 + 4];
        BinaryPrimitives.WriteUInt32BigEndian(chunk, 9);
        "pHYs"u8.CopyTo(chunk[4..]);
        BinaryPrimitives.WriteUInt32BigEndian(chunk[8..], pixelsPerMetre);
        BinaryPrimitives.WriteUInt32BigEndian(chunk[12..], pixelsPerMetre);
        chunk[16] = 1; // the unit is the metre
        BinaryPrimitives.WriteUInt32BigEndian(chunk[17..], Crc32(chunk[4..17]));
        return [.. png.AsSpan(0, afterHeader), .. chunk, .. png.AsSpan(afterHeader)];
    }

    // The CRC-32 of PNG (ISO 3309), over the chunk type and data.
    private static uint Crc32(ReadOnlySpan<byte> bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes) crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return crc ^ 0xFFFFFFFFu;
    }

    private static uint[] BuildCrcTable()
    {
        var table = new uint[256];
        for (var n = 0u; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[n] = c;
        }
        return table;
    }
}
