namespace SmartDoorplate.Analytics.Statistics;

// Small-count suppression for published tables (the cell-suppression rule of official statistics):
// in a breakdown of a few dozen residents, "2 from 云南省, aged 60+" points at two people.
// - Primary: a count from 1 to threshold − 1 is not shown.
// - Secondary: a breakdown whose total is published must not have exactly one hidden cell, or
//   subtraction would reveal it; the smallest other cell (a zero too) is hidden with it.
// So a hidden cell is either small or hidden to protect a small one, and is shown the same way
// either way (a marker saying "small" would point at the primary cell). A breakdown of a single cell equals its
// total and cannot be protected this way; totals are published unsuppressed because the police map
// shows the same counts per building.
public static class SmallCounts
{
    public static bool[] Suppressed(IReadOnlyList<long> counts, int threshold)
    {
        var hidden = new bool[counts.Count];
        if (threshold <= 1) return hidden;
        for (var i = 0; i < counts.Count; i++)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(counts[i]);
            hidden[i] = counts[i] > 0 && counts[i] < threshold;
        }

        if (hidden.Count(h => h) == 1)
        {
            var smallest = -1;
            for (var i = 0; i < counts.Count; i++)
            {
                if (!hidden[i] && (smallest < 0 || counts[i] < counts[smallest])) smallest = i;
            }
            if (smallest >= 0) hidden[smallest] = true;
        }
        return hidden;
    }
}
