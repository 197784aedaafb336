#!/usr/bin/env bash
# A single-node Slurm cluster on this machine, for users who outgrow one machine to try the
# workflow: installs Debian's slurm-wlm and munge, starts munged, slurmctld and slurmd on
# localhost, submits a 16-point sweep as a 4-task job array, waits, merges the shards, checks the
# result against the same sweep run locally, and stops the daemons (by their PIDs).
# Usage (as root): scripts/slurm/local-cluster.sh [SWEEP.yaml] [WORK_DIR]
set -euo pipefail
usage() { sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'; }
# Before anything else: this script installs packages and starts daemons, so '--help' must not.
case "${1:-}" in -h|--help) usage; exit 0 ;; -*) echo "local-cluster: error: unknown option '$1' (see --help)" >&2; exit 2 ;; esac
repo="$(cd "$(dirname "$0")/../.." && pwd)"
sweep="${1:-$repo/arch/sweeps/lsm-16.yaml}"
[ -f "$sweep" ] || { echo "local-cluster: error: $sweep: no such sweep file" >&2; exit 2; }
work="${2:-$(mktemp -d /tmp/slurm-sweep.XXXXXX)}"
[ "$(id -u)" = 0 ] || { echo "run as root (it installs packages and starts daemons)" >&2; exit 1; }
export DEBIAN_FRONTEND=noninteractive

if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; then
  echo "installing slurm-wlm and munge..."
  apt-get update -qq && apt-get install -y -qq slurm-wlm munge >/dev/null
fi
dotnet build "$repo/arch/Neuromorphic.Cli" -c Release -v quiet >/dev/null
cli="$repo/arch/Neuromorphic.Cli/bin/Release/net10.0/neuromorphic.dll"

host="$(hostname -s)"
cpus="$(nproc)"
mem=$(( $(free -m | awk '/^Mem:/ {print $2}') - 512 ))
conf=/etc/slurm/slurm.conf
mkdir -p /etc/slurm /var/spool/slurmctld /var/spool/slurmd /var/log/slurm
cat > "$conf" <<CONF
ClusterName=neuromorphic
SlurmctldHost=$host(127.0.0.1)
MpiDefault=none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
ReturnToService=2
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd.pid
SlurmdSpoolDir=/var/spool/slurmd
StateSaveLocation=/var/spool/slurmctld
SlurmUser=root
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MailProg=/bin/true
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=main Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF

stop() {
  for pidfile in /run/slurmd.pid /run/slurmctld.pid; do
    [ -f "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null || true
  done
  sleep 1
  rm -f /run/slurmctld.pid /run/slurmd.pid   # slurmctld cannot delete its own pid file here
  [ -f /run/munge/munged.pid ] && kill "$(cat /run/munge/munged.pid)" 2>/dev/null || true
}
trap stop EXIT

# munge: its runtime folder must exist and belong to munge; the package made the key.
mkdir -p /run/munge && chown munge:munge /run/munge
runuser -u munge -- /usr/sbin/munged
slurmctld -i
slurmd
for _ in $(seq 1 50); do
  state="$(sinfo -h -o %T 2>/dev/null || true)"
  [ "$state" = idle ] && break
  sleep 0.2
done
echo "cluster up: $(sinfo -h -o '%P %D %T %c')"

cd "$work"
echo "submitting $sweep as a 4-task job array..."
# --wait returns when every task has ended, with the highest task exit code.
sbatch --array=0-3 --cpus-per-task=1 --wait --output="$work/slurm-%A_%a.out" \
  --export=ALL,NEUROMORPHIC_REPO="$repo" "$repo/scripts/slurm/sweep.sbatch" "$sweep" "$work/cluster"
dotnet "$cli" sweep merge "$work/cluster" --out "$work/cluster" >/dev/null
echo "merged: $work/cluster/sweep.csv ($(($(wc -l < "$work/cluster/sweep.csv") - 1)) points)"

echo "the same sweep locally, for comparison..."
dotnet "$cli" sweep "$sweep" --out "$work/local" --jobs "$cpus" >/dev/null
if cmp -s "$work/cluster/sweep.csv" "$work/local/sweep.csv"; then
  echo "the cluster's sweep.csv equals the local run's"
else
  echo "the cluster's sweep.csv differs from the local run's" >&2
  exit 1
fi
