# Sourced by ./mlsbridge and .ci/run: exports JAVA_HOME pointing at a JDK 21 or newer.
# A JAVA_HOME that is already 21 or newer is used as it is; otherwise (the machines' default JDK
# is 17) we look beyond it: PATH, then /usr/lib/jvm, and take the newest JDK found.

java_major() {
  # Prints the major version of the java binary given, or nothing.
  # awk reads to the end: quitting early could kill java with SIGPIPE and, under pipefail, the caller.
  "$1" -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.specification.version/ && !v {v=$2} END {print v}'
}

find_jdk21() {
  # A JAVA_HOME the user chose is kept when it is good enough: a JDK 21 or newer.
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
    local chosen
    chosen="$(java_major "$JAVA_HOME/bin/java")"
    chosen="${chosen%%.*}"
    if [ -n "$chosen" ] && [ "$chosen" -ge 21 ]; then
      export JAVA_HOME
      export PATH="$JAVA_HOME/bin:$PATH"
      return 0
    fi
  fi
  local candidates=()
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  local sys_java
  sys_java="$(command -v java 2>/dev/null || true)"
  if [ -n "$sys_java" ]; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$sys_java")")")")
  fi
  local d
  for d in /usr/lib/jvm/* /opt/java/* /usr/local/lib/jvm/*; do
    [ -d "$d" ] && candidates+=("$d")
  done
  local best="" best_major=0 c major
  for c in "${candidates[@]}"; do
    [ -x "$c/bin/java" ] && [ -x "$c/bin/javac" ] || continue
    major="$(java_major "$c/bin/java")"
    major="${major%%.*}"
    [ -n "$major" ] || continue
    if [ "$major" -ge 21 ] && [ "$major" -gt "$best_major" ]; then
      best="$c"
      best_major="$major"
    fi
  done
  if [ -z "$best" ]; then
    echo "mlsbridge needs a JDK 21 or newer (found none in JAVA_HOME, on PATH or in /usr/lib/jvm)." >&2
    echo "Install one (e.g. 'apt-get install openjdk-21-jdk') or set JAVA_HOME to it." >&2
    return 1
  fi
  export JAVA_HOME="$best"
  export PATH="$JAVA_HOME/bin:$PATH"
}
