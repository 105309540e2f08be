namespace SmartDoorplate.Loading.Seed;

// Which kind of entity a generator belongs to; part of its starting state, so adding draws to one
// kind never shifts the values of another.
internal enum SeedStream : ulong
{
    Lattice = 1,
    Building = 2,
    Jurisdiction = 3,
    Resident = 4,
    Person = 5,
    Case = 6,
    Hotspot = 7,
    Account = 8,
    Doorplate = 9,
    Room = 10,
    RowId = 11,
}

// SplitMix64. Each entity (lattice cell, building, person, case) starts its own generator from
// (seed, stream, index), so any one can be regenerated on its own: the registration pass re-derives a
// person's plan instead of keeping 2 million of them, and parallel batches stay deterministic.
// Statistical quality is ample for synthetic data; nothing here is for secrets.
internal struct SeedRandom
{
    private ulong state;

    public SeedRandom(int seed, SeedStream stream, long index)
    {
        state = Finalize(Finalize((ulong)(uint)seed * 0x632BE59BD9B4E019UL + (ulong)stream) ^ (ulong)index);
    }

    public ulong NextUInt64()
    {
        state += 0x9E3779B97F4A7C15UL;
        return Finalize(state);
    }

    // [0, 1) with 53 random bits.
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    // Lemire's multiply-shift: no modulo bias worth mentioning for bounds far below 2^32.
    public int Next(int maxExclusive) => (int)(((NextUInt64() >> 32) * (ulong)maxExclusive) >> 32);

    public int Next(int minInclusive, int maxExclusive) => minInclusive + Next(maxExclusive - minInclusive);

    public double Uniform(double min, double max) => min + (max - min) * NextDouble();

    public bool Chance(double probability) => NextDouble() < probability;

    public T Pick<T>(IReadOnlyList<T> items) => items[Next(items.Count)];

    // Box–Muller; one of the pair is thrown away to keep the generator a plain value type.
    public double Normal(double mean = 0, double standardDeviation = 1)
    {
        var u = 1.0 - NextDouble();
        var v = NextDouble();
        return mean + standardDeviation * Math.Sqrt(-2.0 * Math.Log(u)) * Math.Cos(2.0 * Math.PI * v);
    }

    private static ulong Finalize(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}

// Draws an index with probability proportional to its weight (binary search on the running sum).
internal sealed class WeightedChoice
{
    private readonly double[] cumulative;

    public WeightedChoice(IEnumerable<double> weights)
    {
        var running = 0.0;
        cumulative = weights.Select(w => running += w).ToArray();
        if (cumulative.Length == 0 || running <= 0) throw new ArgumentException("At least one positive weight is required.", nameof(weights));
    }

    public int Count => cumulative.Length;

    // The first index whose running sum exceeds the draw: never one with zero weight.
    public int Next(ref SeedRandom random)
    {
        var target = random.NextDouble() * cumulative[^1];
        int low = 0, high = cumulative.Length - 1;
        while (low < high)
        {
            var middle = (low + high) / 2;
            if (cumulative[middle] > target) high = middle;
            else low = middle + 1;
        }
        return low;
    }
}
