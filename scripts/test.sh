#!/usr/bin/env bash
# Runs every test of every module (the README's test command).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
. scripts/find-jdk.sh
find_jdk21
# Real servers for the transport tests (installed when missing; fast when present).
./scripts/servers/install-prosody.sh
# Matrix transport tests run a real Synapse from a cached Debian chroot (built once when missing).
scripts/servers/synapse-chroot.sh >/dev/null
# The bench plot's test draws text: it needs a font (installed if missing).
./scripts/ensure-fonts.sh
mvn -B -ntp verify "$@"
# Bounded coverage-guided fuzzing of the MLS library: every target for FUZZ_SECONDS (default 12),
# about two minutes in all (docs/fuzzing.md).
scripts/fuzz.sh "${FUZZ_SECONDS:-12}"
