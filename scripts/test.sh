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
# Bounded coverage-guided fuzzing of the MLS library and the XMPP and Matrix payload parsers: every
# target for FUZZ_SECONDS (default 12), about three minutes in all (docs/fuzzing.md).
# A fixed seed: the same short path on every machine, so chance alone never fails the test
# command; new ground is for the long runs (random seed) that docs/fuzzing.md describes.
FUZZ_SEED="${FUZZ_SEED:-20261204}" scripts/fuzz.sh "${FUZZ_SECONDS:-12}"
