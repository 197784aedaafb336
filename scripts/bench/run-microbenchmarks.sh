#!/usr/bin/env bash
# Micro-benchmarks of the simulator's hot paths (BenchmarkDotNet, tests/Neuromorphic.Benchmarks):
# event queue and scheduler dispatch, sparse spike delivery (SparseNode via NetworkExecutor, and
# the CUBA network step), neuron population updates (LIF float/double, CubaLIF, SpikingJelly LIF).
# Builds and runs in Release; every argument goes to BenchmarkDotNet unchanged.
#
# Usage: scripts/bench/run-microbenchmarks.sh [BenchmarkDotNet arguments]
#   (no arguments)               interactive menu of the benchmark classes
#   --filter '*'                 everything (about 2.5 minutes with the default ShortRun job)
#   --filter '*Queue*'           one class; also '*Scheduler*', '*SparseProjection*', '*CubaNetwork*', '*Population*'
#   --anyCategories SpikeDelivery   one group: Kernel (queue + scheduler), SpikeDelivery, Population
#   --job dry                    run each benchmark once (smoke test); --job medium for steadier numbers
#   --list flat                  list the benchmarks without running them
#   --artifacts DIR              write the reports somewhere else
# Without --job every benchmark uses ShortRun (1 launch, 3 warm-up + 3 measured iterations).
# Timings are noisy on a busy machine: compare runs made on the same, otherwise idle, machine.
#
# Results (Markdown/CSV/HTML reports per class, and the logs) are written to
# ./BenchmarkDotNet.Artifacts/ under the repository root (git-ignored); the summary tables with
# mean time and allocated bytes per operation are also printed at the end. Allocated should be
# "-" (zero) for every benchmark: the hot paths must not allocate.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
cd "$repo"

export DOTNET_CLI_TELEMETRY_OPTOUT=1
export DOTNET_NOLOGO=1

dotnet run -c Release --project tests/Neuromorphic.Benchmarks/Neuromorphic.Benchmarks.csproj -- "$@"
echo "run-microbenchmarks: reports in $repo/BenchmarkDotNet.Artifacts/results/ (unless --artifacts was given)"
