using Neuromorphic.Hw.Periphery;

namespace Neuromorphic.Hw.Digital;

/// <summary>
/// Energy and area of integer arithmetic, from Horowitz's 45 nm figures (ISSCC 2014, "Computing's
/// energy problem"): int32 add 0.1 pJ and 137 um^2, int32 multiply 3.1 pJ and 3495 um^2. Other
/// widths and nodes are scaled by assumption: adds linearly in bits, multiplies with bits^2 (an
/// array multiplier has bits^2 partial-product cells), energy with node/45 and the supply voltage squared
/// (<see cref="TechnologyNode.DynamicEnergyScale"/>), area with (node/45)^2.
/// </summary>
public static class ArithmeticEnergy
{
    /// <summary>Horowitz ISSCC 2014, 45 nm: energy of a 32-bit integer add, pJ.</summary>
    public const double Int32AddPj = 0.1;

    /// <summary>Horowitz ISSCC 2014, 45 nm: energy of a 32-bit integer multiply, pJ.</summary>
    public const double Int32MultiplyPj = 3.1;

    /// <summary>Horowitz ISSCC 2014, 45 nm: area of a 32-bit integer adder, um^2.</summary>
    public const double Int32AddAreaUm2 = 137;

    /// <summary>Horowitz ISSCC 2014, 45 nm: area of a 32-bit integer multiplier, um^2.</summary>
    public const double Int32MultiplyAreaUm2 = 3495;

    /// <summary>Source text for an add scaled by <see cref="AddPj"/>.</summary>
    public const string AddSource = "Horowitz ISSCC 2014 (45 nm int32 add 0.1 pJ); assumed: linear in bits, energy x (node/45) x (Vdd/1 V)^2";

    /// <summary>Source text for a multiply scaled by <see cref="MultiplyPj"/>.</summary>
    public const string MultiplySource = "Horowitz ISSCC 2014 (45 nm int32 mult 3.1 pJ); assumed: ~bits^2, energy x (node/45) x (Vdd/1 V)^2";

    /// <summary>Source text for areas from <see cref="AddAreaUm2"/> and <see cref="MultiplyAreaUm2"/>.</summary>
    public const string AreaSource = "Horowitz ISSCC 2014 (45 nm int32 add 137 um^2, mult 3495 um^2); assumed: add ~bits, mult ~bits^2, area x (node/45)^2";

    /// <summary>Energy of one <paramref name="bits"/>-bit integer add (or subtract, or compare) at <paramref name="nodeNm"/>, pJ.</summary>
    /// <param name="bits">Operand width.</param>
    /// <param name="nodeNm">Technology node in nanometres.</param>
    /// <returns>Energy in picojoules.</returns>
    public static double AddPj(int bits, double nodeNm) => Int32AddPj * bits / 32.0 * TechnologyNode.DynamicEnergyScale(nodeNm);

    /// <summary>Energy of one <paramref name="bits"/> x <paramref name="bits"/> integer multiply at <paramref name="nodeNm"/>, pJ.</summary>
    /// <param name="bits">Operand width.</param>
    /// <param name="nodeNm">Technology node in nanometres.</param>
    /// <returns>Energy in picojoules.</returns>
    public static double MultiplyPj(int bits, double nodeNm)
    {
        double r = bits / 32.0;
        return Int32MultiplyPj * r * r * TechnologyNode.DynamicEnergyScale(nodeNm);
    }

    /// <summary>Area of a <paramref name="bits"/>-bit adder at <paramref name="nodeNm"/>, um^2.</summary>
    /// <param name="bits">Operand width.</param>
    /// <param name="nodeNm">Technology node in nanometres.</param>
    /// <returns>Area in square micrometres.</returns>
    public static double AddAreaUm2(int bits, double nodeNm) => Int32AddAreaUm2 * bits / 32.0 * TechnologyNode.AreaScale(nodeNm);

    /// <summary>Area of a <paramref name="bits"/>-bit multiplier at <paramref name="nodeNm"/>, um^2.</summary>
    /// <param name="bits">Operand width.</param>
    /// <param name="nodeNm">Technology node in nanometres.</param>
    /// <returns>Area in square micrometres.</returns>
    public static double MultiplyAreaUm2(int bits, double nodeNm)
    {
        double r = bits / 32.0;
        return Int32MultiplyAreaUm2 * r * r * TechnologyNode.AreaScale(nodeNm);
    }

    /// <summary>Leakage of logic of the given area, uW (<see cref="TechnologyNode.LogicLeakageUwPerUm2"/>).</summary>
    /// <param name="areaUm2">Area in square micrometres.</param>
    /// <returns>Leakage power in microwatts.</returns>
    public static double LeakageUw(double areaUm2) => areaUm2 * TechnologyNode.LogicLeakageUwPerUm2;

    /// <summary>Source text for leakage from <see cref="LeakageUw"/>.</summary>
    public const string LeakageSource = "assumed: 0.1 nW/um^2 logic leakage (low-power process)";
}
