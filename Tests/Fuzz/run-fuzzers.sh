#!/usr/bin/env bash
# Builds each libFuzzer target with AddressSanitizer, one product at a time (a whole-package
# sanitized build fails: libFuzzer brings its own main) and runs it for SECONDS seconds, from a seed corpus written from
# the golden frames. Prints executions and coverage per target, also into SUMMARY_FILE if given.
# A crash stops the script with libFuzzer's report; the input is left in $FUZZ_WORK/<target>/.
set -euo pipefail
seconds="${1:-60}"
summary_file="${2:-}"
cd "$(dirname "$0")"
golden="$(cd ../KafkaProtocolTests/GoldenFrames && pwd)"
work="${FUZZ_WORK:-${TMPDIR:-/tmp}/samsa-fuzz}"
targets=(FuzzRequestDecoder FuzzRecordBatchReader FuzzSegmentRecovery FuzzSecurityMessages)
# The SASL and ACL messages are small and their code short: half the time reaches their coverage,
# and keeps `make fuzz` in CI modest.
seconds_for() { if [ "$1" = FuzzSecurityMessages ]; then echo $(((seconds + 1) / 2)); else echo "$seconds"; fi; }
summary="target	seconds	executions	coverage (edges)	features	corpus	peak RSS (MB)"

# swiftc keeps only the last -sanitize flag, so `--sanitize=fuzzer --sanitize=address` would build
# without the coverage instrumentation libFuzzer needs: the pair goes to swiftc as one flag.
for target in "${targets[@]}"; do
    swift build -c release --sanitize=fuzzer -Xswiftc -sanitize=fuzzer,address --product "$target" --scratch-path .build-fuzz
done
for target in "${targets[@]}"; do
    binary=".build-fuzz/release/$target"
    corpus="$work/$target/corpus"
    mkdir -p "$corpus"
    SAMSA_FUZZ_SEEDS="$corpus" SAMSA_GOLDEN_FRAMES="$golden" "$binary"
    log="$work/$target/fuzz.log"
    target_seconds=$(seconds_for "$target")
    echo "Fuzzing $target for $target_seconds s"
    # Leak checks are off: the Swift runtime's caches outlive single inputs and read as leaks.
    # Swift's own backtracer is off too: it trips AddressSanitizer, hiding the crash behind its
    # report; libFuzzer prints the stack of a trap itself.
    if ! ASAN_OPTIONS=detect_leaks=0 SWIFT_BACKTRACE=enable=no "$binary" "$corpus" -max_total_time="$target_seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
        -print_final_stats=1 -artifact_prefix="$work/$target/" >"$log" 2>&1; then
        tail -n 60 "$log"
        echo "$target found a crash: see $work/$target/"
        exit 1
    fi
    executions=$(grep -o 'stat::number_of_executed_units:[[:space:]]*[0-9]*' "$log" | grep -o '[0-9]*$')
    peak=$(grep -o 'stat::peak_rss_mb:[[:space:]]*[0-9]*' "$log" | grep -o '[0-9]*$')
    final=$(grep -E '^#[0-9]+' "$log" | tail -n 1)
    coverage=$(echo "$final" | grep -o 'cov: [0-9]*' | grep -o '[0-9]*')
    features=$(echo "$final" | grep -o 'ft: [0-9]*' | grep -o '[0-9]*')
    corpus_size=$(echo "$final" | grep -o 'corp: [0-9]*' | grep -o '[0-9]*$')
    summary+=$'\n'"$target	$target_seconds	$executions	$coverage	$features	$corpus_size	$peak"
done
echo "$summary"
if [ -n "$summary_file" ]; then echo "$summary" >"$summary_file"; fi
