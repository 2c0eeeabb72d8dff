#!/usr/bin/env bash
# The long fault-injection run (docs/security.md, "Fault injection against real servers"): member
# clients, each a JVM of its own on a real server, killed with SIGKILL at random moments and
# started again on their databases, then checked for lost, duplicated or undecryptable messages,
# divergent group state and reused keys.
#   scripts/faults.sh [KILLS] [NETWORK]
# KILLS defaults to 200; NETWORK is xmpp (default, a private Prosody) or matrix (a private Synapse).
# Every run prints its seed; FAULTS_SEED=S repeats the decisions of that run (kill points, who
# sends and who commits when).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
. scripts/find-jdk.sh
find_jdk21
kills="${1:-200}"
network="${2:-xmpp}"
case "$network" in
  xmpp) ./scripts/servers/install-prosody.sh ;;
  matrix) scripts/servers/synapse-chroot.sh >/dev/null ;;
  *) echo "faults.sh: NETWORK must be xmpp or matrix, not '$network'" >&2; exit 2 ;;
esac
seed=()
if [ -n "${FAULTS_SEED:-}" ]; then
  seed=("-Dfaults.seed=$FAULTS_SEED")
fi
mvn -B -ntp -pl app -am verify -Dtest=MemberKillTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dfaults.kills="$kills" -Dfaults.network="$network" "${seed[@]}"
