namespace SmartDoorplate.Analytics.Hotspots;

/// <summary>
/// Uniform-grid spatial index for fixed-radius neighbour searches. Points are sorted into square
/// buckets at least as wide as the search radius, so everything within the radius of a location
/// lies in the 3 × 3 buckets around it; with row-major bucket order each bucket row of that
/// window is one run of consecutive sorted points. Building is O(n) (a counting sort), and the sorted copies of the
/// coordinates keep neighbour loops cache-friendly on millions of points.
/// </summary>
internal sealed class PointBuckets
{
    private readonly int[] bucketStart;
    private readonly double minX;
    private readonly double minY;
    private readonly double bucketSize;
    private readonly int columns;
    private readonly int rows;

    public PointBuckets(ReadOnlySpan<double> x, ReadOnlySpan<double> y, double searchRadius)
    {
        if (x.Length != y.Length)
        {
            throw new ArgumentException("x and y must have the same length.");
        }

        if (!double.IsFinite(searchRadius) || searchRadius <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(searchRadius), searchRadius, "The search radius must be positive.");
        }

        var count = x.Length;
        var (maxX, maxY) = (double.NegativeInfinity, double.NegativeInfinity);
        (minX, minY) = (double.PositiveInfinity, double.PositiveInfinity);
        for (var i = 0; i < count; i++)
        {
            if (!double.IsFinite(x[i]) || !double.IsFinite(y[i]))
            {
                throw new ArgumentException($"Point {i} has a non-finite coordinate ({x[i]}, {y[i]}).");
            }

            (minX, maxX) = (Math.Min(minX, x[i]), Math.Max(maxX, x[i]));
            (minY, maxY) = (Math.Min(minY, y[i]), Math.Max(maxY, y[i]));
        }

        if (count == 0)
        {
            (minX, minY, maxX, maxY) = (0, 0, 0, 0);
        }

        // Buckets of exactly the search radius are ideal, but a small radius over a large extent
        // would allocate far more (mostly empty) buckets than there are points. Widening the
        // buckets keeps memory O(n) and stays correct, because a bucket only has to be at least
        // as wide as the radius.
        var maxBuckets = Math.Max(4L * count, 1024);
        bucketSize = searchRadius;
        while (BucketsAlong(maxX - minX) * BucketsAlong(maxY - minY) > maxBuckets)
        {
            bucketSize *= 2;
        }

        columns = (int)BucketsAlong(maxX - minX);
        rows = (int)BucketsAlong(maxY - minY);

        var bucketOfPoint = new int[count];
        bucketStart = new int[columns * rows + 1];
        for (var i = 0; i < count; i++)
        {
            bucketOfPoint[i] = RowOf(y[i]) * columns + ColumnOf(x[i]);
            bucketStart[bucketOfPoint[i] + 1]++;
        }

        for (var b = 0; b < columns * rows; b++)
        {
            bucketStart[b + 1] += bucketStart[b];
        }

        X = new double[count];
        Y = new double[count];
        OriginalIndex = new int[count];
        var next = bucketStart[..^1];
        for (var i = 0; i < count; i++)
        {
            var slot = next[bucketOfPoint[i]]++;
            X[slot] = x[i];
            Y[slot] = y[i];
            OriginalIndex[slot] = i;
        }
    }

    /// <summary>Point coordinates in bucket order.</summary>
    public double[] X { get; }

    public double[] Y { get; }

    /// <summary>For each point in bucket order, its index in the caller's input.</summary>
    public int[] OriginalIndex { get; }

    public int Count => X.Length;

    /// <summary>Buckets that may hold points within the search radius of (x, y).</summary>
    public BucketWindow WindowAround(double x, double y, double searchRadius)
    {
        var firstColumn = Math.Max(0, ColumnOf(x - searchRadius));
        var lastColumn = Math.Min(columns - 1, ColumnOf(x + searchRadius));
        var firstRow = Math.Max(0, RowOf(y - searchRadius));
        var lastRow = Math.Min(rows - 1, RowOf(y + searchRadius));
        return new BucketWindow(firstColumn, lastColumn, firstRow, lastRow);
    }

    /// <summary>Range [Start, End) of sorted points in one row of a window.</summary>
    public (int Start, int End) Run(in BucketWindow window, int row) =>
        (bucketStart[row * columns + window.FirstColumn], bucketStart[row * columns + window.LastColumn + 1]);

    private long BucketsAlong(double extent) => (long)Math.Floor(extent / bucketSize) + 1;

    // Clamped to just outside the grid so that far-away query points cannot overflow an int.
    private int ColumnOf(double x) => (int)Math.Clamp(Math.Floor((x - minX) / bucketSize), -1, columns);

    private int RowOf(double y) => (int)Math.Clamp(Math.Floor((y - minY) / bucketSize), -1, rows);
}

// For a location outside the indexed area the window is empty: no rows, or runs with Start == End.
internal readonly record struct BucketWindow(int FirstColumn, int LastColumn, int FirstRow, int LastRow);
