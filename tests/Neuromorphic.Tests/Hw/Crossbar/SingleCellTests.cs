using Neuromorphic.Hw.Crossbar;
using Neuromorphic.Hw.Devices;
using Neuromorphic.Sim.Randomness;
using NUnit.Framework;

namespace Neuromorphic.Tests.Hw.Crossbar;

/// <summary>
/// <see cref="SignedWeightScheme.SingleCell"/>: a one-signed matrix's magnitudes on one column per bit slice,
/// the level-0 floor of the driven rows removed digitally. Checked against hand-computed layouts and reads.
/// </summary>
[TestFixture]
public sealed class SingleCellTests
{
    // Ron 100 kOhm, on/off 17, 1 bit per cell: GMax = 10 uS, GMin = 10/17 uS, one level spacing = 160/17 uS; V_read 0.2 V.
    private static readonly RramDevice Device = new(new RramDeviceParameters { RonOhm = 1e5, OnOffRatio = 17, BitsPerCell = 1, ReadVoltage = 0.2 });
    private const double GMax = 1e-5, GMin = 1e-5 / 17, Spacing = GMax - GMin, V = 0.2;

    // Weights [rows x columns] = [[1, 1/3], [0, 2/3]] at 2 bits (3 steps): q = [[3, 1], [0, 2]].
    private static readonly float[] Weights = [1f, 1f / 3, 0f, 2f / 3];

    private static CrossbarArray Program(SignedWeightScheme scheme, float[]? weights = null) =>
        CrossbarArray.Program(weights ?? Weights, 2, 2, new CrossbarParameters { Rows = 8, Columns = 16, WeightBits = 2, SignedWeights = scheme },
            Device, new DeterministicRandom(3));

    [Test]
    public void Each_weight_takes_one_column_per_slice_and_no_sign_or_reference_column()
    {
        var array = Program(SignedWeightScheme.SingleCell);
        // 2 bits on 1-bit cells: 2 slices, least significant first; q = 3 -> (1, 1), 1 -> (1, 0), 0 -> (0, 0), 2 -> (0, 1).
        Assert.That((array.Slices, array.ColumnsPerLogical, array.PhysicalColumns, array.ReferenceColumns.Length), Is.EqualTo((2, 2, 4, 0)));
        Assert.That(array.QuantisedSteps(), Is.EqualTo(new[] { 3, 1, 0, 2 }));
        double[,] expected = { { GMax, GMax, GMax, GMin }, { GMin, GMin, GMin, GMax } };
        for (var r = 0; r < 2; r++)
            for (var c = 0; c < 4; c++)
                Assert.That(array.CellConductance(r, c), Is.EqualTo(expected[r, c]).Within(1e-18), $"cell ({r}, {c})");
        // The same weights on differential pairs take twice the columns (the G- column of each slice never programmed).
        Assert.That(Program(SignedWeightScheme.DifferentialPair).PhysicalColumns, Is.EqualTo(8));
    }

    [TestCase(new[] { 0, 1 }, 1.0, 1.0)]      // both rows: column 0 = 1 + 0, column 1 = 1/3 + 2/3
    [TestCase(new[] { 0 }, 1.0, 1.0 / 3)]
    [TestCase(new[] { 1 }, 0.0, 2.0 / 3)]
    public void An_ideal_read_decodes_to_the_weights_with_the_floor_of_the_driven_rows_removed(int[] rows, double first, double second)
    {
        var array = Program(SignedWeightScheme.SingleCell);
        var currents = new double[array.PhysicalColumns];
        array.ReadCurrents(rows, currents, null);
        // Every column carries one cell per driven row: the floor k GMin V is in every column, levels above it.
        Assert.That(currents.Min(), Is.GreaterThanOrEqualTo(rows.Length * GMin * V * (1 - 1e-12)));
        var outputs = new double[2];
        array.Decode(currents, rows.Length, outputs);
        Assert.That(outputs, Is.EqualTo(new[] { first, second }).Within(1e-12));
    }

    [Test]
    public void A_conductance_offset_on_every_cell_reads_through_single_cells_but_cancels_in_a_pair()
    {
        // Every driven cell a quarter of a level spacing above its level (a known offset, e.g. a shifted window): the
        // decode removes only the nominal floor k GMin V, so single cells read k x 0.25 levels per slice too much;
        // a pair's two cells carry the same offset and cancel.
        const double offset = 0.25 * Spacing;
        double[] Read(CrossbarArray array)
        {
            var values = new double[array.PhysicalColumns];
            for (var c = 0; c < values.Length; c++) values[c] = ((array.CellConductance(0, c) + offset) + (array.CellConductance(1, c) + offset)) * V;
            var outputs = new double[2];
            array.Decode(values, 2, outputs);
            return outputs;
        }
        // Single cells: each slice reads its level sum (1 in every column here) + 2 x 0.25 = 1.5; shift-added (1 + 2) x 1.5 / 3 steps.
        Assert.That(Read(Program(SignedWeightScheme.SingleCell)), Is.EqualTo(new[] { 1.5, 1.5 }).Within(1e-12));
        Assert.That(Read(Program(SignedWeightScheme.DifferentialPair)), Is.EqualTo(new[] { 1.0, 1.0 }).Within(1e-12));
    }

    [Test]
    public void A_negative_weight_is_refused_naming_its_place()
    {
        var ex = Assert.Throws<ArgumentException>(() => Program(SignedWeightScheme.SingleCell, [1f, 0f, -0.5f, 0f]))!;
        Assert.That(ex.Message, Does.Contain("(1, 0)").And.Contain("single cells store weights >= 0"));
        // A zero of either sign is no weight: -0 is accepted.
        Assert.That(Program(SignedWeightScheme.SingleCell, [1f, -0f, 0f, 0.5f]).QuantisedSteps(), Is.EqualTo(new[] { 3, 0, 0, 2 }));
    }

    [Test]
    public void A_sparse_program_stores_the_same_cells_as_the_dense_one()
    {
        var parameters = new CrossbarParameters { Rows = 8, Columns = 16, WeightBits = 2, SignedWeights = SignedWeightScheme.SingleCell };
        var dense = Program(SignedWeightScheme.SingleCell);
        var sparse = CrossbarArray.ProgramSparse([0, 0, 1], [0, 1, 1], [1f, 1f / 3, 2f / 3], 2, 2, parameters, Device, new DeterministicRandom(3));
        Assert.That(sparse.QuantisedSteps(), Is.EqualTo(dense.QuantisedSteps()));
        Assert.That(sparse.Conductances.ToArray(), Is.EqualTo(dense.Conductances.ToArray()));
        Assert.That(sparse.Stats, Is.EqualTo(dense.Stats));
    }
}
