using CsCheck;
using Neuromorphic.Arch.Execution;
using NUnit.Framework;

namespace Neuromorphic.Tests.Chip;

/// <summary>A macro's tile lookup (<see cref="MacroRuntime.IndexOf"/>): a scan for few tiles, the search for many, one answer.</summary>
public class MacroTileIndexTests
{
    [Test]
    public void The_lookup_answers_as_the_binary_search_for_present_and_absent_tiles()
    {
        // Ascending distinct tiles, 1 to 40 of them (past the scanned 16), looked up at every tile, between them and outside.
        Gen.Int[0, 5000].HashSet[1, 40].Select(set => set.Order().ToArray()).Sample(tiles =>
        {
            var probes = tiles.Concat(tiles.Select(t => t + 1)).Concat(tiles.Select(t => t - 1)).Append(-1).Append(int.MaxValue);
            foreach (var tile in probes)
            {
                // Present: its index; absent: the search's own negative answer (the same failure downstream).
                Assert.That(MacroRuntime.IndexOf(tiles, tile), Is.EqualTo(Array.BinarySearch(tiles, tile)), $"tile {tile} in [{string.Join(",", tiles)}]");
            }
        });
    }
}
