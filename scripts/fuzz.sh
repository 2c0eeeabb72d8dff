#!/usr/bin/env bash
# Coverage-guided fuzzing with Jazzer (docs/fuzzing.md): the MLS library (module mls-fuzz) and the
# XMPP and Matrix payload parsers (module transport-fuzz).
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGETS]
# SECONDS_PER_TARGET defaults to 600; TARGETS is a Surefire test pattern, default every target
# ('*FuzzTest'), e.g. 'ProcessFuzzTest', 'Insider*' or 'Matrix*'. Each target runs in a JVM of its
# own; the corpus grows in <module>/.cifuzz-corpus/ (kept between runs, not committed); an input
# that breaks a target is written to <module>/src/test/resources/<package>/<Target>Inputs/ and
# fails the run. FUZZ_SEED fixes libFuzzer's seed (default 0: a random one each run).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
. scripts/find-jdk.sh
find_jdk21
per_target="${1:-600}"
targets="${2:-*FuzzTest}"
mvn -B -ntp -pl mls-fuzz,transport-fuzz -am -Pfuzz test -Dtest="$targets" -Dsurefire.failIfNoSpecifiedTests=false \
  -Dfuzz.seconds="$per_target" -Dfuzz.seed="${FUZZ_SEED:-0}"
