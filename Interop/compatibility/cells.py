"""What every client driver of the matrix shares: running one cell with a time limit, reporting it as
one JSON line on standard output (so the runner keeps the cells a killed driver already finished),
and reading the broker's segment files to see what was really stored."""
import argparse
import glob
import json
import logging
import os
import struct
import sys
import threading
import time
import traceback

from features import FEATURE_IDS

SCENARIOS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "scenarios")

CODEC_NAMES = {0: "none", 1: "gzip", 2: "snappy", 3: "lz4", 4: "zstd"}

# The SASL broker's users: PLAIN ones from its JAAS line, and a SCRAM user (both mechanisms) that
# `samsa storage format --add-scram` created before it started. Drivers whose admin client has
# AlterUserScramCredentials create further SCRAM users through it, as the admin user.
SASL_PLAIN_USERS = {"admin": "admin-secret", "alice": "alice-secret"}
SASL_SCRAM_USER = ("matrix-scram", "matrix-scram-secret")


def sasl_credentials(mechanism):
    """The (user, password) a driver logs in with for `mechanism` unless it made its own user."""
    return ("alice", SASL_PLAIN_USERS["alice"]) if mechanism == "PLAIN" else SASL_SCRAM_USER


class CellFailed(Exception):
    """A check inside a cell did not hold; the message is the reason shown in the matrix."""


class Unsupported(Exception):
    """The client has no way to do what the feature asks; the message says why."""


def dying_with_parent(command):
    """`command` run through util-linux's setpriv, which asks the kernel to kill it when its parent
    dies, so that a runner killed for a time limit leaves no broker, driver or kcat behind. (Linux
    means the parent thread: start children from a thread that outlives them.) A `preexec_fn`
    could do the same, but is unsafe in a process with threads."""
    return ["setpriv", "--pdeathsig", "KILL", *command]


def check(condition, reason):
    if not condition:
        raise CellFailed(reason)


def wait_until(predicate, seconds, step=0.1):
    """Polls `predicate` until it returns something truthy or `seconds` pass; returns the last value."""
    deadline = time.monotonic() + seconds
    while True:
        value = predicate()
        if value or time.monotonic() >= deadline:
            return value
        time.sleep(step)


def driver_arguments(description, argv=None):
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--bootstrap-server", required=True)
    parser.add_argument("--log-dir", default="", help="the broker's log.dirs, to check what was stored")
    parser.add_argument("--sasl-bootstrap-server", default="", help="a SASL_PLAINTEXT broker for the SASL rows")
    parser.add_argument("--sasl-ssl-bootstrap-server", default="", help="that broker's SASL_SSL listener, for the SASL_SSL rows")
    parser.add_argument("--sasl-ssl-cafile", default="", help="the CA of the SASL_SSL listener's certificate")
    parser.add_argument("--prefix", required=True, help="prefix of every topic and group this driver uses")
    parser.add_argument("--cell-timeout", type=float, default=45)
    parser.add_argument("--only", default="", help="comma-separated feature ids to run (default: all)")
    parser.add_argument("--ssl-bootstrap-server", default="", help="an SSL listener without client authentication")
    parser.add_argument("--mtls-bootstrap-server", default="", help="an SSL listener that requires a client certificate")
    parser.add_argument("--ssl-cafile", default="", help="the CA of the broker's and the client's certificates")
    parser.add_argument("--ssl-certfile", default="", help="the client certificate for --mtls-bootstrap-server")
    parser.add_argument("--ssl-keyfile", default="")
    parser.add_argument("--ssl-principal", default="", help="the principal the broker logs for that certificate")
    parser.add_argument("--broker-log", default="", help="the broker's log, to read the principal it gave the client")
    arguments = parser.parse_args(argv)
    # The clients' own logs go to standard error, which the runner keeps per driver.
    logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(asctime)s %(threadName)s %(name)s %(message)s")
    return arguments


def emit(**line):
    print(json.dumps(line), flush=True)


class Cells:
    """Runs cells one after another. A cell is a function that returns a short note (or None) when
    the feature works and raises otherwise; it runs on its own thread so that a client call that
    hangs costs only its time limit."""

    def __init__(self, arguments):
        self.arguments = arguments
        self.timeout = arguments.cell_timeout
        self.only = {f for f in arguments.only.split(",") if f}
        self.reported = set()

    def run(self, feature, body):
        assert feature in FEATURE_IDS, feature
        if self.only and feature not in self.only:
            return
        outcome = {}

        def target():
            try:
                outcome["status"], outcome["reason"] = "pass", body() or ""
            except Unsupported as error:
                outcome["status"], outcome["reason"] = "unsupported", str(error)
            except CellFailed as error:
                outcome["status"], outcome["reason"] = "fail", str(error)
            except BaseException as error:  # the reason shown is the client's own exception
                outcome["status"], outcome["reason"] = "fail", f"{type(error).__name__}: {error}".strip()
                traceback.print_exc(file=sys.stderr)

        started = time.monotonic()
        logging.info("cell %s starts", feature)
        thread = threading.Thread(target=target, name=feature, daemon=True)
        thread.start()
        thread.join(self.timeout)
        if thread.is_alive():
            outcome = {"status": "fail", "reason": f"did not finish within {self.timeout:.0f} s"}
        emit(feature=feature, seconds=round(time.monotonic() - started, 2), **outcome)
        self.reported.add(feature)

    def unsupported(self, feature, reason):
        def body():
            raise Unsupported(reason)
        self.run(feature, body)

    def fail(self, feature, reason):
        """Reports a cell that could not run because what it builds on failed."""
        def body():
            raise CellFailed(reason)
        self.run(feature, body)

    def finish(self):
        """Reports a cell for every feature the driver never ran, so no row is silently empty, and
        ends the process even if a timed-out cell's thread is still inside the client."""
        for feature in FEATURE_IDS:
            if feature not in self.reported and (not self.only or feature in self.only):
                emit(feature=feature, status="fail", reason="the driver has no cell for this feature")
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)


def run_tls_cells(runner, client):
    """The SSL rows, alike for every client: Interop/scenarios/tls_round_trip.py's `client` produces
    and reads back records over SSL, checking the broker's certificate and host name; with a client
    certificate, the broker's log must also name the certificate's subject as the principal."""
    arguments = runner.arguments
    sys.path.insert(0, SCENARIOS)
    import tls_round_trip

    def round_trip(bootstrap, topic, with_certificate):
        check(bootstrap and arguments.ssl_cafile, "the runner started no SSL listener")
        argv = ["--bootstrap-server", bootstrap, "--client", client, "--topic", f"{arguments.prefix}-{topic}",
                "--cafile", arguments.ssl_cafile]
        if with_certificate:
            argv += ["--certfile", arguments.ssl_certfile, "--keyfile", arguments.ssl_keyfile]
        result = tls_round_trip.main(argv)
        check(result["match"], f"read back {result['consumed']} records, not the {result['produced']} produced")

    def server_certificate():
        round_trip(arguments.ssl_bootstrap_server, "ssl", False)
        return "server certificate and host name checked"

    def client_certificate():
        before = principal_lines(arguments.broker_log, arguments.ssl_principal)
        round_trip(arguments.mtls_bootstrap_server, "mtls", True)
        check(wait_until(lambda: principal_lines(arguments.broker_log, arguments.ssl_principal) > before, 5),
              f"the broker did not log the principal {arguments.ssl_principal}")
        return f"ssl.client.auth=required; principal {arguments.ssl_principal}"

    runner.run("ssl", server_certificate)
    runner.run("ssl_client_certificate", client_certificate)


def principal_lines(broker_log, principal):
    """How many connections the broker's log says presented a certificate for `principal`."""
    if not broker_log or not os.path.exists(broker_log):
        return 0
    with open(broker_log, encoding="utf-8", errors="replace") as log:
        return sum(1 for line in log if f"principal {principal}" in line)


def stored_batches(log_dir, topic):
    """(attributes' codec, record count) of every batch in the topic's segment files, read as the
    broker wrote them: the codec the client really sent, and how records were grouped into batches."""
    batches = []
    for path in sorted(glob.glob(os.path.join(log_dir, f"{glob.escape(topic)}-*", "*.log"))):
        with open(path, "rb") as segment:
            data = segment.read()
        position = 0
        while position + 61 <= len(data):
            (length,) = struct.unpack_from(">i", data, position + 8)
            if length <= 0 or position + 12 + length > len(data):
                break
            (attributes,) = struct.unpack_from(">h", data, position + 21)
            (count,) = struct.unpack_from(">i", data, position + 57)
            batches.append((CODEC_NAMES.get(attributes & 7, str(attributes & 7)), count))
            position += 12 + length
    return batches


# The dynamic broker config row: a key no other row depends on, set on broker 1 (the matrix broker's
# node.id) to a value away from Kafka's default, then removed again.
DYNAMIC_BROKER_KEY = "log.cleaner.delete.retention.ms"
DYNAMIC_BROKER_VALUE = "86400001"


def check_stored_codec(log_dir, topic, codec):
    """Fails unless every batch of `topic` on disk uses `codec`; returns the note for the cell."""
    if not log_dir:
        return f"{codec} round trip"
    batches = wait_until(lambda: stored_batches(log_dir, topic), 5)
    codecs = sorted({c for c, _ in batches})
    check(codecs == [codec], f"stored batches use {codecs or 'nothing'}, not {codec}")
    return f"{len(batches)} {codec} batch(es) stored and read back"
