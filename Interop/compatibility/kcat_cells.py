"""The matrix cells for kcat (Debian's, on its librdkafka), driven as a command-line tool: every cell
runs `kcat` processes with time limits. kcat has no admin or manual-commit commands; those cells
say so."""
import copy
import json
import queue
import re
import subprocess
import sys
import threading
import time

import cells
from cells import check
from features import SASL_MECHANISMS, SASL_SSL_MECHANISMS

KCAT = "kcat"


def main(argv):
    arguments = cells.driver_arguments(__doc__, argv)
    banner = subprocess.run([KCAT, "-V"], capture_output=True, text=True, timeout=10).stdout
    # "Version 1.7.1 (JSON, …, librdkafka 2.0.2 builtin.features=…)"
    version = re.search(r"^Version ([\d.]+)", banner, re.MULTILINE)
    library = re.search(r"librdkafka ([\d.]+)", banner)
    cells.emit(client_version=version.group(1) if version else "unknown",
               library=f"librdkafka {library.group(1)}" if library else "librdkafka")
    Driver(arguments).run_all()


class Driver:
    def __init__(self, arguments):
        self.bootstrap = arguments.bootstrap_server
        self.sasl_bootstrap = arguments.sasl_bootstrap_server
        self.sasl_ssl_bootstrap = arguments.sasl_ssl_bootstrap_server
        self.sasl_ssl_cafile = arguments.sasl_ssl_cafile
        # -X options every kcat run gets: the SASL cells' login.
        self.security = []
        self.log_dir = arguments.log_dir
        self.prefix = arguments.prefix
        self.cells = cells.Cells(arguments)

    def topic(self, name):
        return f"{self.prefix}-{name}"

    def run_all(self):
        run, unsupported = self.cells.run, self.cells.unsupported
        run("connect_metadata", self.connect_metadata)
        for acks in (0, 1, "all"):
            run(f"produce_acks_{acks}", lambda acks=acks: self.produce_with_acks(acks))
        for codec in ("gzip", "lz4", "zstd", "snappy"):
            run(f"compression_{codec}", lambda codec=codec: self.compression(codec))
        run("keys_headers", self.keys_headers)
        run("idempotent_producer", self.idempotent_producer)
        run("consume_earliest", self.consume_earliest)
        run("consume_latest", self.consume_latest)
        run("group_auto_commit", self.group_auto_commit)
        unsupported("group_manual_commit", "kcat commits only automatically (-G)")
        run("group_rebalance", self.group_rebalance)
        unsupported("admin_create_topics", "kcat has no admin commands")
        run("admin_list_topics", self.list_topics)
        run("admin_describe_topics", self.describe_topic)
        unsupported("admin_delete_topics", "kcat has no admin commands")
        for feature in ("admin_list_groups", "admin_describe_groups", "admin_group_offsets"):
            unsupported(feature, "kcat has no group admin commands")
        run("offsets_count_records", self.offsets_count_records)
        unsupported("admin_delete_records", "kcat has no admin commands")
        for feature, mechanism in SASL_MECHANISMS.items():
            self.cells.run(feature, lambda mechanism=mechanism: self.sasl_round_trip(mechanism))
        for feature, mechanism in SASL_SSL_MECHANISMS.items():
            self.cells.run(feature, lambda mechanism=mechanism: self.sasl_round_trip(mechanism, tls=True))
        for feature in ("log_append_time", "keyless_compacted_refused", "compaction_within_a_minute"):
            unsupported(feature, "kcat has no admin commands to create a topic with its settings")
        unsupported("dynamic_broker_configs", "kcat has no admin commands")
        cells.run_tls_cells(self.cells, "kcat")
        unsupported("transactions", "kcat has no transactional producer")
        unsupported("read_committed", "kcat has no transactional producer to hold a transaction open")
        self.cells.finish()

    # Building blocks

    def kcat(self, *options, stdin="", seconds=20):
        """Runs kcat to completion and returns its standard output; fails on a non-zero exit."""
        command = [KCAT, "-b", self.bootstrap, *self.security, *options]
        try:
            done = subprocess.run(cells.dying_with_parent(command), input=stdin, capture_output=True, text=True,
                                  timeout=seconds)
        except subprocess.TimeoutExpired:
            raise cells.CellFailed(f"`kcat {' '.join(options)}` did not finish within {seconds} s")
        check(done.returncode == 0, f"`kcat {' '.join(options)}` exited {done.returncode}: {last_line(done.stderr)}")
        return done.stdout

    def produce(self, topic, lines, *options, partition=0):
        self.kcat("-P", "-t", topic, "-p", str(partition), *options, stdin="".join(f"{line}\n" for line in lines))

    def consume(self, topic, *options, count=None):
        arguments = ["-C", "-t", topic, "-o", "beginning", "-e", "-f", "%s\\n", *options]
        if count is not None:
            arguments += ["-c", str(count)]
        return self.kcat(*arguments).splitlines()

    def metadata(self, *options):
        return json.loads(self.kcat("-L", "-J", *options))

    # Cells

    def sasl_round_trip(self, mechanism, tls=False):
        """-P then -C over SASL_PLAINTEXT, or SASL_SSL checking the certificate and host name, with
        librdkafka's sasl.* settings."""
        user, password = cells.sasl_credentials(mechanism)
        driver = copy.copy(self)
        if tls:
            check(self.sasl_ssl_bootstrap, "no SASL_SSL listener was given (--sasl-ssl-bootstrap-server)")
            driver.bootstrap = self.sasl_ssl_bootstrap
            driver.security = ["-X", "security.protocol=SASL_SSL", "-X", f"ssl.ca.location={self.sasl_ssl_cafile}",
                               "-X", "ssl.endpoint.identification.algorithm=https"]
        else:
            check(self.sasl_bootstrap, "no SASL broker was given (--sasl-bootstrap-server)")
            driver.bootstrap = self.sasl_bootstrap
            driver.security = ["-X", "security.protocol=SASL_PLAINTEXT"]
        driver.security += ["-X", f"sasl.mechanisms={mechanism}", "-X", f"sasl.username={user}", "-X", f"sasl.password={password}"]
        topic = self.topic(f"sasl-{'ssl-' if tls else ''}{mechanism.lower()}")
        values = [f"{mechanism} #{n}" for n in range(3)]
        driver.produce(topic, values)
        got = driver.consume(topic, "-p", "0")
        check(got == values, f"read back {got}")
        return "-P then -C: 3 records"

    def connect_metadata(self):
        metadata = self.metadata()
        brokers = metadata.get("brokers", [])
        check(len(brokers) == 1, f"-L lists {len(brokers)} brokers")
        check(brokers[0]["name"] == self.bootstrap, f"-L lists the broker as {brokers[0]['name']}")
        return "-L: 1 broker, at the address it listens on"

    def produce_with_acks(self, acks):
        topic = self.topic(f"acks-{acks}")
        values = [f"acks {acks} #{n}" for n in range(5)]
        self.produce(topic, values, "-X", f"acks={acks}")
        got = self.consume(topic, "-p", "0")
        check(got == values, f"read back {got}")
        return "-P then -C: 5 records"

    def compression(self, codec):
        topic = self.topic(f"codec-{codec}")
        values = [f"{codec} record {n} " + "x" * 200 for n in range(20)]
        self.produce(topic, values, "-z", codec)
        got = self.consume(topic, "-p", "0")
        check(got == values, f"read back {len(got)} records")
        return cells.check_stored_codec(self.log_dir, topic, codec)

    def keys_headers(self):
        topic = self.topic("keys-headers")
        self.produce(topic, [f"key-{n}:value-{n}" for n in range(4)], "-K", ":", "-H", "trace=t", "-H", "empty=")
        got = self.consume(topic, "-p", "0", "-f", "%k|%s|%h\\n")
        expected = [f"key-{n}|value-{n}|trace=t,empty=" for n in range(4)]
        check(got == expected, f"read back {got}")
        return "-K and -H, read back with %k and %h"

    def idempotent_producer(self):
        topic = self.topic("idempotent")
        values = [f"once #{n}" for n in range(10)]
        self.produce(topic, values, "-X", "enable.idempotence=true")
        got = self.consume(topic, "-p", "0")
        check(got == values, f"read back {got}")
        return "-X enable.idempotence=true"

    def consume_earliest(self):
        topic = self.topic("earliest")
        values = [f"early #{n}" for n in range(5)]
        self.produce(topic, values)
        got = self.consume(topic, "-p", "0")
        check(got == values, f"read back {got}")
        return "-o beginning -e"

    def consume_latest(self):
        topic = self.topic("latest")
        self.produce(topic, ["old 1", "old 2"])
        command = [KCAT, "-b", self.bootstrap, "-C", "-t", topic, "-p", "0", "-o", "end", "-c", "3", "-u",
                   "-f", "%s\\n", "-X", "enable.partition.eof=true"]
        process = subprocess.Popen(cells.dying_with_parent(command), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   text=True)
        try:
            # kcat says "Reached end of topic … at offset 2" once it sits at the end.
            at_end = LineReader(process.stderr).wait_for(lambda line: "Reached end" in line, 15)
            check(at_end and "offset 2" in at_end, f"kcat did not report the end of the partition: {at_end}")
            self.produce(topic, ["new 1", "new 2", "new 3"])
            output, _ = process.communicate(timeout=15)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
        check(output.splitlines() == ["new 1", "new 2", "new 3"], f"read {output.splitlines()}")
        return "-o end: only the records produced afterwards"

    def group_auto_commit(self):
        topic, group = self.topic("group-auto"), self.topic("group-auto")
        values = [f"auto #{n}" for n in range(6)]
        self.produce(topic, values, partition=0)
        group_options = ["-G", group, "-X", "auto.offset.reset=earliest", "-e", "-f", "%s\\n", topic]
        first = self.kcat(*group_options, seconds=30).splitlines()
        check(sorted(first) == sorted(values), f"first run read {first}")
        more = [f"auto later #{n}" for n in range(2)]
        self.produce(topic, more, partition=1)
        second = self.kcat(*group_options, seconds=30).splitlines()
        check(sorted(second) == sorted(more), f"the second run read {second}, not just the 2 new records")
        return "-G twice: the second run starts at the committed offsets"

    def group_rebalance(self):
        topic, group = self.topic("rebalance"), self.topic("rebalance")
        self.produce(topic, ["p0"], partition=0)
        self.produce(topic, ["p1"], partition=1)
        members, logs = [], []
        try:
            for name in ("a", "b"):
                members.append(subprocess.Popen(
                    cells.dying_with_parent(
                        [KCAT, "-b", self.bootstrap, "-G", group, "-X", "auto.offset.reset=earliest",
                         "-X", "session.timeout.ms=6000", "-X", "heartbeat.interval.ms=300", "-u", "-f", "%s\\n", topic]),
                    stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True))
                logs.append(LineReader(members[-1].stderr))
                # kcat logs every assignment: "% Group … rebalanced (memberid …): assigned: t [0], t [1]".
                first = logs[-1].wait_for(lambda line: "assigned:" in line, 20)
                check(first, f"member {name} was never assigned anything")
                if name == "a":
                    check(first.count("[") == 2, f"the first member got {first}")
            second_a = logs[0].wait_for(lambda line: "assigned:" in line, 20)
            check(second_a and second_a.count("[") == 1, f"after the second member joined the first has: {second_a}")
        finally:
            for member in members:
                member.terminate()
            for member in members:
                try:
                    member.wait(10)
                except subprocess.TimeoutExpired:
                    member.kill()
                    member.wait()
        return "two -G members: one partition each after the rebalance"

    def list_topics(self):
        topic = self.topic("listed")
        self.produce(topic, ["x"])
        names = [t["topic"] for t in self.metadata()["topics"]]
        check(topic in names, f"{topic} not in -L")
        return "-L lists the topics (kcat cannot create them)"

    def describe_topic(self):
        topic = self.topic("described")
        self.produce(topic, ["x"])
        described = self.metadata("-t", topic)["topics"]
        check(len(described) == 1 and len(described[0]["partitions"]) == 2, f"-L -t: {described}")
        return "-L -t describes the partitions"

    def offsets_count_records(self):
        topic = self.topic("count")
        # kcat sends everything read from standard input as soon as it can: one batch of 10.
        self.produce(topic, [f"c #{n}" for n in range(10)], "-X", "linger.ms=200")
        if self.log_dir:
            batches = cells.stored_batches(self.log_dir, topic)
            check(sum(n for _, n in batches) == 10, f"stored batches {batches}")
        # -Q with timestamp -1 asks ListOffsets for the log end offset.
        answer = self.kcat("-Q", "-t", f"{topic}:0:-1")
        found = re.search(r"\[0\]\s+offset\s+(-?\d+)", answer)
        check(found and int(found.group(1)) == 10, f"-Q answered {answer.strip()!r}")
        return "-Q: end offset 10 for 10 records (kcat reports no lag)"


class LineReader:
    """Reads a process's output lines on a thread, so a test can wait for one with a time limit."""

    def __init__(self, stream):
        self.lines = queue.Queue()
        threading.Thread(target=self.pump, args=(stream,), daemon=True).start()

    def pump(self, stream):
        for line in stream:
            self.lines.put(line)
        self.lines.put(None)

    def wait_for(self, predicate, seconds):
        """The first line from now on that satisfies `predicate`, or None after `seconds` or at the end."""
        deadline = time.monotonic() + seconds
        while True:
            try:
                line = self.lines.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                return None
            if line is None:
                return None
            if predicate(line):
                return line.strip()


def last_line(text):
    lines = [line for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else "no error output"


if __name__ == "__main__":
    main(sys.argv[1:])
