#!/usr/bin/env bash
# Proves the README's first command the way a newcomer meets it: a Debian bookworm root file system
# made with debootstrap (the minimal base), plus only the packages Swift's installation guide lists
# for Debian 12, this machine's Swift toolchain (mounted read-only) and a clean clone of this
# repository. The README's first command (from its first sh block) runs inside, in private mount
# and network namespaces; once its broker listens, kafka-python (from .python-deps) produces to it
# and consumes from it. Prints each step's time; needs root. `make fresh-machine-test` runs it.
#
# SAMSA_FRESH_MACHINE_DIR keeps the root file system there between runs (the debootstrap and the
# package installation are then done once); by default a temporary folder is used and removed.
# SAMSA_FRESH_MACHINE_TIMEOUT (seconds, default 5400) bounds the wait for the broker's port.
set -euo pipefail

repository=$(git -C "$(dirname "$0")/.." rev-parse --show-toplevel)
suite=bookworm
# Swift.org's list of prerequisites for Debian 12 (its tarball installation guide).
swift_prerequisites=(binutils-gold gcc git libcurl4-openssl-dev libedit-dev libicu-dev libncurses-dev libpython3-dev
    libsqlite3-dev libstdc++-12-dev libxml2-dev pkg-config tzdata uuid-dev)
port_timeout=${SAMSA_FRESH_MACHINE_TIMEOUT:-5400}
kafka_python="$repository/.python-deps/kafka-python-3"

started=$SECONDS
step() { printf '[%4ds] %s\n' $((SECONDS - started)) "$*"; }
fail() { echo "fresh-machine-test: $*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || fail "needs root (debootstrap, chroot and namespaces)"
[ -d "$kafka_python/kafka" ] || fail "kafka-python is missing from $kafka_python: run make python-deps"
command -v debootstrap >/dev/null || { step "installing debootstrap"; apt-get install -y -qq debootstrap >/dev/null; }

# The first URI of the machine's apt sources that serves the suite (deb822 or one-line format).
debian_mirror() {
    local file
    for file in /etc/apt/sources.list.d/*.sources; do
        [ -e "$file" ] || continue
        awk -v suite="$suite" '
            /^[[:space:]]*$/ { if (uri != "" && has_suite) { print uri; exit } uri = ""; has_suite = 0; next }
            /^URIs:/ { uri = $2 }
            /^Suites:/ { for (i = 2; i <= NF; i++) if ($i == suite) has_suite = 1 }
            END { if (uri != "" && has_suite) print uri }' "$file"
    done
    cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
        awk -v suite="$suite" '$1 == "deb" { sub(/\[[^]]*\] */, ""); if ($3 == suite) print $2 }'
}
# Either source format may be absent, and head stops reading early: neither is a failure.
mirror=$(debian_mirror | head -n 1 || true)
[ -n "$mirror" ] || fail "no apt source for $suite in /etc/apt/sources.list*"

# The toolchain's root: `swift` is ROOT/usr/bin/swift.
swift_root=$(dirname "$(dirname "$(dirname "$(readlink -f "$(command -v swift)")")")")
# Where git's url.<base>.insteadOf rules point packages at a local mirror (this machine has no
# route to the hosts in Package.swift): each base that is a folder is mounted read-only.
mapfile -t git_url_rules < <(git config --get-regexp '^url\..*\.insteadof$' || true)

if [ -n "${SAMSA_FRESH_MACHINE_DIR:-}" ]; then
    workspace=$SAMSA_FRESH_MACHINE_DIR
    mkdir -p "$workspace"
else
    workspace=$(mktemp -d /var/tmp/samsa-fresh-machine.XXXXXX)
fi
root="$workspace/rootfs"
broker_log="$workspace/first-command.log"
namespace_ready="$workspace/namespace-ready"
runner_pid=""

cleanup() {
    if [ -n "$runner_pid" ] && kill -0 "$runner_pid" 2>/dev/null; then
        # unshare itself ignores SIGTERM while it waits; its child is the first process of the
        # private process tree, and killing that ends every process in the tree.
        for child in $(pgrep -P "$runner_pid"); do kill -KILL "$child" 2>/dev/null || true; done
        wait "$runner_pid" 2>/dev/null || true
    fi
    # Every mount lived in the runner's private mount namespace; none remains once it has ended.
    if grep -q " $root" /proc/mounts; then
        echo "fresh-machine-test: mounts under $root remain" >&2
    elif [ -z "${SAMSA_FRESH_MACHINE_DIR:-}" ]; then
        rm -rf "$workspace"
    fi
}
trap cleanup EXIT
trap 'exit 1' INT TERM

step "workspace $workspace; mirror $mirror; toolchain $swift_root"
if [ ! -e "$root/.prerequisites-installed" ]; then
    rm -rf "$root"
    step "debootstrap --variant=minbase $suite"
    debootstrap --variant=minbase "$suite" "$root" "$mirror" >"$workspace/debootstrap.log" 2>&1 ||
        fail "debootstrap failed; see $workspace/debootstrap.log"
    cp /etc/resolv.conf "$root/etc/resolv.conf"
    step "installing Swift's prerequisites: ${swift_prerequisites[*]}"
    unshare --mount --propagation private sh -c '
        mount -t proc proc "$1/proc" && shift &&
        chroot "$0" env DEBIAN_FRONTEND=noninteractive sh -c "apt-get update -qq && apt-get install -y -qq --no-install-recommends \"\$@\"" sh "$@"
    ' "$root" "$root" "${swift_prerequisites[@]}" >"$workspace/prerequisites.log" 2>&1 ||
        fail "installing the prerequisites failed; see $workspace/prerequisites.log"
    touch "$root/.prerequisites-installed"
fi
# debootstrap leaves /etc/hosts out, so `localhost` would not resolve. The host's copy makes the
# broker inside and the client outside agree on what `localhost` is.
cp /etc/hosts "$root/etc/hosts"
for library in liblz4-1 libzstd1 libsnappy1v5; do
    if chroot "$root" dpkg-query -W -f='${Status}' "$library" 2>/dev/null | grep -q "ok installed"; then
        step "the root file system has $library"
    else
        step "the root file system lacks $library"
    fi
done

step "cloning the repository's committed HEAD"
rm -rf "$root/root/samsa" "$root/root/.cache" "$root/root/.swiftpm"
git clone --quiet --no-hardlinks "$repository" "$root/root/samsa"
rm -f "$root/etc/gitconfig"
mirror_folders=()
for rule in "${git_url_rules[@]}"; do
    key=${rule%% *}
    base=${key#url.}
    base=${base%.insteadof}
    git config --file "$root/etc/gitconfig" --add "url.$base.insteadOf" "${rule#* }"
    if [ -d "$base" ]; then mirror_folders+=("$base"); fi
done

# The README's first command, as the clone has it: the first line of its first sh block, less the comment.
first_command=$(awk '/^```sh$/ { inside = 1; next } inside { print; exit }' "$root/root/samsa/README.md" | sed 's/[[:space:]]*#.*$//')
[ -n "$first_command" ] || fail "README.md has no sh code block"

step "running the first command in the root file system: $first_command"
# The runner: private mounts (the toolchain, the package mirrors, /proc, /dev), a private network
# with only loopback, so the broker's localhost:9092 cannot meet anything of the host's, and a
# private process tree, which ends whole when the runner is killed.
rm -f "$namespace_ready"
unshare --mount --net --pid --propagation private --fork --kill-child bash -c '
    set -e
    root=$1 swift_root=$2 ready=$3 first_command=$4
    shift 4
    ip link set lo up
    for folder in "$swift_root" "$@"; do
        mkdir -p "$root$folder"
        mount --bind "$folder" "$root$folder"
        mount -o remount,bind,ro "$root$folder"
    done
    mount -t proc proc "$root/proc"
    mount --rbind /dev "$root/dev"
    touch "$ready"
    exec chroot "$root" env -i HOME=/root PATH="$swift_root/usr/bin:/usr/sbin:/usr/bin:/sbin:/bin" LANG=C.UTF-8 \
        sh -c "cd /root/samsa && exec $first_command"
' bash "$root" "$swift_root" "$namespace_ready" "$first_command" "${mirror_folders[@]}" >"$broker_log" 2>&1 &
runner_pid=$!

# unshare moved itself into the new network before it forked the runner's shell.
in_broker_network() { nsenter --net="/proc/$runner_pid/ns/net" "$@"; }

deadline=$((SECONDS + port_timeout))
until [ -e "$namespace_ready" ] && in_broker_network python3 -c '
import socket, sys
try:
    socket.create_connection(("localhost", 9092), timeout=1).close()
except OSError:
    sys.exit(1)' 2>/dev/null; do
    kill -0 "$runner_pid" 2>/dev/null || { tail -n 40 "$broker_log" >&2; fail "the first command ended before its broker listened"; }
    [ "$SECONDS" -lt "$deadline" ] || { tail -n 40 "$broker_log" >&2; fail "no broker on port 9092 after ${port_timeout}s"; }
    sleep 5
done
step "the broker listens on localhost:9092 (build and start-up)"
grep "compression is unavailable" "$broker_log" || true

in_broker_network env PYTHONPATH="$kafka_python" python3 - <<'PYTHON'
import uuid
from kafka import KafkaConsumer, KafkaProducer

topic = "fresh-machine-" + uuid.uuid4().hex[:8]
values = [f"record {i}".encode() for i in range(100)]
producer = KafkaProducer(bootstrap_servers="localhost:9092", compression_type="gzip")
for value in values:
    producer.send(topic, value)
producer.flush(timeout=30)
producer.close()
consumer = KafkaConsumer(topic, bootstrap_servers="localhost:9092", auto_offset_reset="earliest",
                         group_id="fresh-machine", consumer_timeout_ms=15000)
received = [record.value for record in consumer]
consumer.close()
if received != values:
    raise SystemExit(f"consumed {len(received)} of {len(values)} records, or not in order")
print(f"kafka-python produced {len(values)} gzip records to {topic} and consumed them back")
PYTHON
step "passed"
