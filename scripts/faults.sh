#!/usr/bin/env bash
# The long fault-injection run (docs/security.md, "Fault injection against real servers"): member
# clients, each a JVM of its own on a real server, killed with SIGKILL at random moments and
# started again on their databases; the bridge process killed likewise between a real Prosody and
# a real Synapse; both servers restarted and connections cut mid-conversation; each run checked for
# lost, duplicated or undecryptable messages, divergent group state and reused keys.
#   scripts/faults.sh [KILLS] [NETWORK]
# KILLS (member kills) defaults to 200; NETWORK is the member kill test's server: xmpp (default, a
# private Prosody) or matrix (a private Synapse). FAULTS_BRIDGE_KILLS (default 20),
# FAULTS_RESTARTS (per server, default 5) and FAULTS_CUTS (default 40) size the other tests;
# FAULTS_BRIDGE_COMMIT_PERCENT (default 8, the test command's run uses 1) is how often members of
# the bridged group ask for a commit.
# Every test prints its seed; FAULTS_SEED=S repeats the decisions of a run (kill points, who sends
# and who commits when).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
. scripts/find-jdk.sh
find_jdk21
kills="${1:-200}"
network="${2:-xmpp}"
case "$network" in
  xmpp | matrix) ;;
  *) echo "faults.sh: NETWORK must be xmpp or matrix, not '$network'" >&2; exit 2 ;;
esac
./scripts/servers/install-prosody.sh
seed=()
if [ -n "${FAULTS_SEED:-}" ]; then
  seed=("-Dfaults.seed=$FAULTS_SEED")
fi
scripts/servers/synapse-chroot.sh >/dev/null
mvn -B -ntp -pl app -am verify -Dtest='MemberKillTest,BridgeKillTest,ServerRestartTest,ConnectionDropTest' \
  -Dsurefire.failIfNoSpecifiedTests=false -Dfaults.kills="$kills" -Dfaults.network="$network" \
  -Dfaults.bridgeKills="${FAULTS_BRIDGE_KILLS:-20}" -Dfaults.restarts="${FAULTS_RESTARTS:-5}" \
  -Dfaults.cuts="${FAULTS_CUTS:-40}" -Dfaults.bridgeCommitPercent="${FAULTS_BRIDGE_COMMIT_PERCENT:-8}" \
  "${seed[@]}"
