#!/usr/bin/env bash
# Runs a command (`make test` runs the build and the tests this way) with the lz4, zstd and snappy
# development headers hidden, so that CI proves what a fresh machine needs: Samsa builds and its
# broker starts without liblz4-dev, libzstd-dev and libsnappy-dev, whose libraries it loads at run
# time. Each header is covered, inside a private mount namespace, by a file that is an #error, so
# any #include of one fails the build. Needs root (CI runs as root); elsewhere the command runs
# as it is, after one line saying so.
set -euo pipefail

codec_headers=(lz4.h lz4frame.h lz4frame_static.h lz4hc.h zstd.h zstd_errors.h zdict.h
    snappy-c.h snappy.h snappy-sinksource.h snappy-stubs-public.h)
include_dir=/usr/include

if [ "${SAMSA_CODEC_HEADERS_HIDDEN:-}" != 1 ]; then
    if [ "$(id -u)" != 0 ]; then
        if [ -n "${CI:-}" ]; then
            echo "without-codec-headers.sh: CI must run as root to hide the codec headers" >&2
            exit 1
        fi
        echo "without-codec-headers.sh: not root, so the codec headers stay visible" >&2
        exec "$@"
    fi
    exec unshare --mount --propagation private env SAMSA_CODEC_HEADERS_HIDDEN=1 "$0" "$@"
fi

stand_in=$(mktemp)
echo '#error "hidden by scripts/without-codec-headers.sh: Samsa must build without codec headers"' >"$stand_in"
for header in "${codec_headers[@]}"; do
    if [ -e "$include_dir/$header" ]; then
        mount --bind "$stand_in" "$include_dir/$header"
    fi
done
# The mounts keep the stand-in alive; its name is no longer needed.
rm -f "$stand_in"
exec "$@"
