#!/usr/bin/env bash
# Start-up benchmark (issue 20): how long a process takes from start to exit, against an empty JVM measured in the
# same run, the two run in turn (A B A B ...) so that a machine slowing down slows both. Public tools only: bash,
# date, /usr/bin/time, java, ss.
#
#   port-cli/bench/startup.sh [RUNS]        (default 21 runs of each; medians, and the median of the pairs' ratios)
#
# (a) an application's first getOrAllocate on the JSON store: a program on the portman jar's classpath (every module
#     and Jackson, as a fat-jar application has them) that builds PortManager.builder().store("json:...").build() and
#     calls getOrAllocate once, on a registry that already holds its port (a restart), against the same java and
#     classpath running an empty main; plain `java`, no flags: what an application gets.
#     Also against a main that logs one line through slf4j: an application that logs has paid for starting slf4j
#     (about 30 ms) before it asks for a port, so this row is the library's own share.
# (b) ./portman get (the README's main command, as a user runs it: the launcher script, its flags and its
#     class-data-sharing archive), against `java -version`.
# (c) ./portman scan --json against `java -version`; `ss -tulnp` is timed too, for scale.
# Targets: (a) at most +150 ms; (b) at most 2x; (c) at most 2.5x. Results: docs/BENCHMARKS.md, "Start-up".
#
#   BASELINE=/path/to/another/checkout port-cli/bench/startup.sh [RUNS]
#
# adds (a), (b) and (c) of this checkout against the same of that one (an older commit: git worktree add --detach
# ../base COMMIT), built by its own ./portman, in the same run: after against before.
set -euo pipefail
runs=${1:-21}
root=$(cd "$(dirname "$0")/../.." && pwd)
jar=$root/port-cli/target/portman.jar
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$root/portman" --version >/dev/null # builds the jar and its archive when they are missing or stale
cat >"$work/FirstAllocation.java" <<'JAVA'
import dev.portmanager.PortManager;

public class FirstAllocation {
    public static void main(String[] args) {
        try (PortManager pm = PortManager.builder().store("json:" + args[0]).build()) {
            System.out.println(pm.getOrAllocate("bench", "api"));
        }
    }
}
JAVA
cat >"$work/Empty.java" <<'JAVA'
public class Empty {
    public static void main(String[] args) {
    }
}
JAVA
cat >"$work/Logging.java" <<'JAVA'
public class Logging {
    public static void main(String[] args) {
        org.slf4j.LoggerFactory.getLogger(Logging.class).info("started");
    }
}
JAVA
javac -cp "$jar" -d "$work" "$work/FirstAllocation.java" "$work/Empty.java" "$work/Logging.java"
export PORTMANAGER_STORE="json:$work/cli/ports.json"
export org_slf4j_simpleLogger_defaultLogLevel=warn
app=(java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$jar:$work" FirstAllocation "$work/app/ports.json")
empty=(java -cp "$jar:$work" Empty)
logging=(java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$jar:$work" Logging)
"${app[@]}" >/dev/null
"$root/portman" get bench api >/dev/null

# One run: "wall_ms cpu_ms" of the command, its output thrown away.
measure() {
    local start end
    start=$(date +%s%N)
    /usr/bin/time -f '%U %S' -o "$work/time" "$@" >/dev/null 2>&1
    end=$(date +%s%N)
    awk -v w=$(((end - start) / 1000)) '{ printf "%.1f %.0f\n", w / 1000, ($1 + $2) * 1000 }' "$work/time"
}

median() {
    sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# pair NAME -- A... -- B...: RUNS runs of each in turn, one warm-up of each first; prints one table row.
pair() {
    local name=$1 a=() b=()
    shift 2
    while [ "$1" != -- ]; do a+=("$1"); shift; done
    shift
    b=("$@")
    measure "${a[@]}" >/dev/null
    measure "${b[@]}" >/dev/null
    : >"$work/rows"
    for ((i = 0; i < runs; i++)); do
        echo "$(measure "${a[@]}") $(measure "${b[@]}")" >>"$work/rows"
    done
    local aw bw ac bc ratio cratio extra
    aw=$(awk '{ print $1 }' "$work/rows" | median)
    bw=$(awk '{ print $3 }' "$work/rows" | median)
    ac=$(awk '{ print $2 }' "$work/rows" | median)
    bc=$(awk '{ print $4 }' "$work/rows" | median)
    ratio=$(awk '{ printf "%.3f\n", $1 / $3 }' "$work/rows" | median)
    cratio=$(awk '{ printf "%.3f\n", $2 / ($4 > 0 ? $4 : 1) }' "$work/rows" | median)
    extra=$(awk '{ printf "%.1f\n", $1 - $3 }' "$work/rows" | median)
    printf '| %s | %s ms (cpu %s ms) | %s ms (cpu %s ms) | %sx (cpu %sx) | %+.1f ms |\n' "$name" "$aw" "$ac" "$bw" \
        "$bc" "$ratio" "$cratio" "$extra"
}

echo "$(date -u +%FT%TZ), $(nproc) cores, load $(cut -d ' ' -f 1-3 /proc/loadavg), $(java -version 2>&1 | head -1), $runs runs"
echo
echo "| what (A) against what (B) | A, median wall | B, median wall | A/B, median of pairs | A-B, median of pairs |"
echo "| --- | --- | --- | --- | --- |"
pair "(a) first getOrAllocate, JSON store / empty main" -- "${app[@]}" -- "${empty[@]}"
pair "(a) the same / a main that logs one line (slf4j started)" -- "${app[@]}" -- "${logging[@]}"
pair "(b) ./portman get / java -version" -- "$root/portman" get bench api -- java -version
pair "(c) ./portman scan --json / java -version" -- "$root/portman" scan --json -- java -version
if command -v ss >/dev/null; then
    pair "ss -tulnp / java -version" -- ss -tulnp -- java -version
fi
if [ -n "${BASELINE:-}" ]; then
    base=$(cd "$BASELINE" && pwd)
    "$base/portman" --version >/dev/null
    mkdir -p "$work/base"
    javac -cp "$base/port-cli/target/portman.jar" -d "$work/base" "$work/FirstAllocation.java"
    base_app=(java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$base/port-cli/target/portman.jar:$work/base"
        FirstAllocation "$work/base-app/ports.json")
    "${base_app[@]}" >/dev/null
    "$base/portman" get bench api >/dev/null
    pair "(a) this checkout / BASELINE ($base)" -- "${app[@]}" -- "${base_app[@]}"
    pair "(b) ./portman get, this checkout / BASELINE" -- "$root/portman" get bench api -- "$base/portman" get bench api
    pair "(c) ./portman scan --json, this checkout / BASELINE" -- "$root/portman" scan --json -- "$base/portman" scan \
        --json
fi
