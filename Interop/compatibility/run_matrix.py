"""Runs the client compatibility matrix against a samsa broker and writes Interop/COMPATIBILITY.md and
Interop/compatibility/results.json from the run.

Starts the built broker (`--samsa`, default .build/debug/samsa) on a free 127.0.0.1 port with a
temporary data folder, plus two SSL listeners on localhost with certificates made by openssl for the
run, and a second broker with a SASL_PLAINTEXT listener and a SASL_SSL one (same certificates), runs every client driver (each a python3 process that reports one JSON line
per cell), stops the broker, and writes both files. The last line on standard output is a JSON
summary. `make compatibility` regenerates the committed files; InteropTests' CompatibilityMatrixTests
runs this script and fails when a cell that passes in the committed results.json fails."""
import argparse
import datetime
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import cells  # noqa: E402
from cells import dying_with_parent  # noqa: E402
from features import FEATURES  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(HERE))
KAFKA_PYTHON_3 = os.path.join(ROOT, ".python-deps", "kafka-python-3")
KAFKA_PYTHON_2 = os.path.join(ROOT, ".python-deps", "kafka-python-2")

# (column id, client name, driver script, package folder on PYTHONPATH)
CLIENTS = [
    ("kafka-python-3", "kafka-python", "kafka_python_cells.py", KAFKA_PYTHON_3),
    ("kafka-python-2", "kafka-python", "kafka_python_cells.py", KAFKA_PYTHON_2),
    ("aiokafka", "aiokafka", "aiokafka_cells.py", KAFKA_PYTHON_3),
    ("confluent-kafka", "confluent-kafka", "confluent_kafka_cells.py", KAFKA_PYTHON_3),
    ("kcat", "kcat", "kcat_cells.py", None),
]

SYMBOLS = {"pass": "✅", "fail": "❌", "unsupported": "➖"}


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--samsa", default=os.path.join(ROOT, ".build", "debug", "samsa"))
    parser.add_argument("--bootstrap-server", default="", help="use this running broker instead of starting one")
    parser.add_argument("--log-dir", default="", help="with --bootstrap-server: that broker's log.dirs")
    parser.add_argument("--sasl-bootstrap-server", default="",
                        help="use this running SASL_PLAINTEXT broker (users as in cells.py) instead of starting one")
    parser.add_argument("--sasl-ssl-bootstrap-server", default="",
                        help="with --sasl-bootstrap-server: that broker's SASL_SSL listener")
    parser.add_argument("--sasl-ssl-cafile", default="", help="with --sasl-ssl-bootstrap-server: the CA of its certificate")
    parser.add_argument("--clients", default="", help="comma-separated column ids (default: all)")
    parser.add_argument("--only", default="", help="comma-separated feature ids (default: all)")
    parser.add_argument("--markdown", default=os.path.join(ROOT, "Interop", "COMPATIBILITY.md"))
    parser.add_argument("--results", default=os.path.join(HERE, "results.json"))
    parser.add_argument("--logs", default="", help="keep the broker's and each driver's log in this folder")
    parser.add_argument("--jobs", type=int, default=2, help="client drivers running at once")
    parser.add_argument("--cell-timeout", type=float, default=45)
    parser.add_argument("--client-timeout", type=float, default=420)
    arguments = parser.parse_args(argv)

    selected = [c for c in CLIENTS if not arguments.clients or c[0] in arguments.clients.split(",")]
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="samsa-matrix-") as scratch:
        logs = arguments.logs or scratch
        os.makedirs(logs, exist_ok=True)
        certificates = None
        if not arguments.bootstrap_server or not arguments.sasl_bootstrap_server:
            certificates = make_certificates(os.path.join(scratch, "certificates"))
        if arguments.bootstrap_server:
            broker, bootstrap, log_dir, tls = None, arguments.bootstrap_server, arguments.log_dir, []
        else:
            log_dir = os.path.join(scratch, "data")
            broker_log = os.path.join(logs, "broker.log")
            broker, bootstrap, ssl_bootstrap, mtls_bootstrap = start_broker(arguments.samsa, log_dir, broker_log, certificates)
            tls = ["--ssl-bootstrap-server", ssl_bootstrap, "--mtls-bootstrap-server", mtls_bootstrap,
                   "--ssl-cafile", certificates["ca"], "--ssl-certfile", certificates["client"],
                   "--ssl-keyfile", certificates["client_key"], "--ssl-principal", CLIENT_PRINCIPAL, "--broker-log", broker_log]
        sasl_broker = None
        endpoints = (bootstrap, tls)
        try:
            if arguments.sasl_bootstrap_server:
                arguments.sasl_bootstrap = arguments.sasl_bootstrap_server
                arguments.sasl_ssl_bootstrap = arguments.sasl_ssl_bootstrap_server
            else:
                sasl_broker, arguments.sasl_bootstrap, arguments.sasl_ssl_bootstrap = start_sasl_broker(
                    arguments.samsa, os.path.join(scratch, "sasl-data"), os.path.join(logs, "sasl-broker.log"), certificates)
                arguments.sasl_ssl_cafile = certificates["ca"]
            with ThreadPoolExecutor(max_workers=max(1, arguments.jobs)) as pool:
                runs = list(pool.map(lambda c: run_driver(c, endpoints, log_dir, logs, arguments), selected))
                retry_failed_cells(pool, selected, runs, endpoints, log_dir, logs, arguments)
        finally:
            for process in (broker, sasl_broker):
                if process:
                    stop_broker(process)
    results = {
        "date": datetime.date.today().isoformat(),
        "clients": [run["client"] for run in runs],
        "features": [{"id": f, "title": t} for f, t in FEATURES],
        "cells": {run["client"]["id"]: run["cells"] for run in runs},
    }
    write_json(arguments.results, results)
    write_text(arguments.markdown, markdown(results))
    counts = {status: sum(1 for run in runs for cell in run["cells"].values() if cell["status"] == status)
              for status in SYMBOLS}
    print(json.dumps({"results": arguments.results, "markdown": arguments.markdown,
                      "seconds": round(time.monotonic() - started, 1), **counts}), flush=True)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_sasl_broker(samsa, log_dir, log_path, certificates):
    """A second broker with a SASL_PLAINTEXT listener on 127.0.0.1 and a SASL_SSL one on localhost
    (the name its certificate carries), each with PLAIN and both SCRAM mechanisms; its SCRAM user is
    created by `samsa storage format --add-scram` before it starts. Returns the process and the two
    bootstrap addresses."""
    user, password = cells.SASL_SCRAM_USER
    subprocess.run([samsa, "storage", "format", "--override", f"log.dirs={log_dir}",
                    "--add-scram", f"SCRAM-SHA-256=[name={user},password={password}]",
                    "--add-scram", f"SCRAM-SHA-512=[name={user},password={password},iterations=8192]"],
                   check=True, capture_output=True, timeout=60)
    plain_users = " ".join(f'user_{name}="{secret}"' for name, secret in cells.SASL_PLAIN_USERS.items())
    jaas = ('org.apache.kafka.common.security.plain.PlainLoginModule required username="admin" '
            f'password="{cells.SASL_PLAIN_USERS["admin"]}" {plain_users};')
    scram = "org.apache.kafka.common.security.scram.ScramLoginModule required;"
    ports = [free_port(), free_port()]
    process = launch_broker(
        samsa, log_dir, log_path, f"SASL_PLAINTEXT://127.0.0.1:{ports[0]},SASL_SSL://localhost:{ports[1]}", ports, [
            "sasl.enabled.mechanisms=PLAIN,SCRAM-SHA-256,SCRAM-SHA-512", f"ssl.keystore.location={certificates['keystore']}",
            *[setting for listener in ("sasl_plaintext", "sasl_ssl") for setting in (
                f"listener.name.{listener}.plain.sasl.jaas.config={jaas}",
                f"listener.name.{listener}.scram-sha-256.sasl.jaas.config={scram}",
                f"listener.name.{listener}.scram-sha-512.sasl.jaas.config={scram}")],
        ])
    return process, f"127.0.0.1:{ports[0]}", f"localhost:{ports[1]}"


# The subject of the client certificate `make_certificates` signs, as Kafka's principal builder prints it.
CLIENT_PRINCIPAL = "User:CN=carol,OU=Eng,O=Samsa"


def make_certificates(folder):
    """A CA, a server certificate for localhost and 127.0.0.1 (the broker's PEM keystore holds its key
    and certificate) and a client certificate, made with openssl; returns their paths."""
    os.makedirs(folder)
    path = lambda name: os.path.join(folder, name)  # noqa: E731

    def openssl(*arguments):
        subprocess.run(["openssl", *arguments], check=True, capture_output=True, timeout=30)

    def new_key_request(name, subject):
        openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", path(f"{name}.key"),
                "-out", path(f"{name}.csr"), "-subj", subject)

    def sign(name, *extra):
        openssl("x509", "-req", "-in", path(f"{name}.csr"), "-CA", path("ca.pem"), "-CAkey", path("ca.key"), "-CAcreateserial",
                "-out", path(f"{name}.pem"), "-days", "2", *extra)

    openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", path("ca.key"),
            "-out", path("ca.pem"), "-subj", "/CN=Samsa Matrix CA", "-days", "2")
    with open(path("server.ext"), "w") as extensions:
        extensions.write("subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n")
    new_key_request("server", "/CN=localhost")
    sign("server", "-extfile", path("server.ext"))
    new_key_request("client", "/O=Samsa/OU=Eng/CN=carol")
    sign("client")
    with open(path("keystore.pem"), "w") as keystore:
        for name in ("server.key", "server.pem"):
            with open(path(name)) as part:
                keystore.write(part.read())
    return {"ca": path("ca.pem"), "keystore": path("keystore.pem"), "client": path("client.pem"),
            "client_key": path("client.key")}


def start_broker(samsa, log_dir, log_path, certificates):
    """Starts samsa with a PLAINTEXT listener on 127.0.0.1, an SSL one and an SSL one that requires a
    client certificate (MTLS), both on localhost (the name their certificate carries); returns the
    process and the three bootstrap addresses."""
    ports = [free_port() for _ in range(3)]
    process = launch_broker(
        samsa, log_dir, log_path, f"PLAINTEXT://127.0.0.1:{ports[0]},SSL://localhost:{ports[1]},MTLS://localhost:{ports[2]}", ports,
        ["listener.security.protocol.map=PLAINTEXT:PLAINTEXT,SSL:SSL,MTLS:SSL", f"ssl.keystore.location={certificates['keystore']}",
         f"ssl.truststore.location={certificates['ca']}", "listener.name.mtls.ssl.client.auth=required"])
    return process, f"127.0.0.1:{ports[0]}", f"localhost:{ports[1]}", f"localhost:{ports[2]}"


def launch_broker(samsa, log_dir, log_path, listeners, ports, overrides):
    """Starts samsa with `listeners` and the server.properties `overrides`; returns the process once
    every one of `ports` accepts connections."""
    command = [samsa, "broker", "--override", f"listeners={listeners}",
               "--override", f"log.dirs={log_dir}",
               *[argument for override in overrides for argument in ("--override", override)],
               # No console listener: its fixed default port may be taken by another broker.
               "--override", "metrics.listener=",
               # Two partitions for auto-created topics, so that two group members can share one.
               "--override", "num.partitions=2"]
    log = open(log_path, "wb")
    process = subprocess.Popen(dying_with_parent(command), stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"samsa exited with {process.returncode}; see {log_path}")
        try:
            for port in ports:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit(f"samsa did not listen on 127.0.0.1:{ports} within 30 s")


def stop_broker(process):
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def retry_failed_cells(pool, clients, runs, endpoints, log_dir, logs, arguments):
    """Runs every failed cell once more (fresh topics and groups): the clients have races of their
    own around rebalances, and one unlucky interleaving should not mark a feature broken. A cell
    that passes on the retry keeps the first failure in `first_try`, and COMPATIBILITY.md lists it."""
    retries = []
    for client, run in zip(clients, runs):
        failed = [feature for feature, cell in run["cells"].items() if cell["status"] == "fail"]
        if failed:
            retries.append((client, run, failed))
    second_runs = pool.map(lambda retry: run_driver(retry[0], endpoints, log_dir, logs, arguments,
                                                    only=retry[2], attempt=2), retries)
    for (_, run, failed), second in zip(retries, second_runs):
        for feature in failed:
            cell = second["cells"].get(feature)
            if cell and cell["status"] == "pass":
                run["cells"][feature] = {**cell, "first_try": run["cells"][feature].get("reason", "")}


def run_driver(client, endpoints, log_dir, logs, arguments, only=None, attempt=1):
    column, name, script, packages = client
    bootstrap, tls = endpoints
    only = only or [f for f in arguments.only.split(",") if f]
    environment = dict(os.environ)
    environment["PYTHONPATH"] = os.pathsep.join(p for p in (HERE, packages) if p)
    environment["PYTHONDONTWRITEBYTECODE"] = "1"
    prefix = column.replace("-", "") + ("" if attempt == 1 else f"try{attempt}")
    command = [sys.executable, os.path.join(HERE, script), "--bootstrap-server", bootstrap, "--log-dir", log_dir,
               "--sasl-bootstrap-server", arguments.sasl_bootstrap, "--sasl-ssl-bootstrap-server", arguments.sasl_ssl_bootstrap,
               "--sasl-ssl-cafile", arguments.sasl_ssl_cafile, "--prefix", prefix, "--cell-timeout", str(arguments.cell_timeout),
               *tls]
    if only:
        command += ["--only", ",".join(only)]
    info = {"id": column, "name": name, "version": "unknown"}
    cells = {}
    error_log = open(os.path.join(logs, f"{column}{'' if attempt == 1 else f'-try{attempt}'}.log"), "w+")
    process = subprocess.Popen(dying_with_parent(command), stdout=subprocess.PIPE, stderr=error_log, env=environment,
                               text=True, start_new_session=True)
    killed = threading.Event()

    def kill():
        killed.set()
        os.killpg(process.pid, signal.SIGKILL)

    timer = threading.Timer(arguments.client_timeout, kill)
    timer.start()
    try:
        for line in process.stdout:
            try:
                report = json.loads(line)
            except ValueError:
                continue
            if "client_version" in report:
                info["version"] = report["client_version"]
                if "library" in report:
                    info["library"] = report["library"]
            elif "feature" in report:
                cells[report["feature"]] = {k: report[k] for k in ("status", "reason") if k in report}
                print(f"{column + ('' if attempt == 1 else ' (retry)'):24} {report['feature']:24} "
                      f"{report['status']:11} {report.get('reason', '')}", file=sys.stderr, flush=True)
        process.wait()
    finally:
        timer.cancel()
    error_log.seek(0)
    errors = error_log.read()
    error_log.close()
    for feature, _ in FEATURES:
        if feature not in cells and (not only or feature in only):
            reason = (f"the driver was killed after {arguments.client_timeout:.0f} s" if killed.is_set()
                      else f"the driver ended (exit {process.returncode}) before this cell: "
                           + last_line(errors))
            cells[feature] = {"status": "fail", "reason": reason}
    return {"client": info, "cells": cells}


def last_line(text):
    lines = [line for line in text.splitlines() if line.strip()]
    return lines[-1][:300] if lines else "no error output"


def markdown(results):
    clients = results["clients"]
    lines = [
        "# Client compatibility",
        "",
        "Generated by `Interop/compatibility/run_matrix.py` (`make compatibility`) from a run against the samsa",
        f"broker on {results['date']}; do not edit by hand. ✅ works, ❌ fails (see known gaps), ➖ the client has",
        "no such feature. The same run wrote `Interop/compatibility/results.json`; `swift test` reruns the",
        "matrix and fails when a cell that is ✅ there turns ❌.",
        "",
        "| client | version |",
        "|---|---|",
    ]
    for client in clients:
        version = client["version"] + (f" ({client['library']})" if client.get("library") else "")
        lines.append(f"| {client['name']} | {version} |")
    lines += ["", "| feature | " + " | ".join(f"{c['name']} {c['version']}" for c in clients) + " |",
              "|---|" + "---|" * len(clients)]
    for feature in results["features"]:
        row = []
        for client in clients:
            cell = results["cells"][client["id"]].get(feature["id"])
            if cell is None:
                row.append(" ")
            elif cell["status"] == "pass":
                row.append(SYMBOLS["pass"])
            else:
                row.append(f"{SYMBOLS[cell['status']]} {escape(cell.get('reason', ''))}")
        lines.append(f"| {feature['title']} | " + " | ".join(row) + " |")
    lines += [
        "",
        "How the cells check: every produced record is consumed back and compared; a compression cell",
        "also reads the broker's segment files to see that the batches were stored in that codec; the",
        "last row produces 10 records in one batch, then expects end offset 10 and, after committing 4,",
        "lag 6 as the client computes it. The SSL rows produce and read back 20 records over an SSL",
        "listener on localhost, checking the broker's certificate with hostname verification; with a",
        "client certificate the listener has `ssl.client.auth=required` and the broker must log the",
        "certificate's subject as the principal. kcat cells drive the command line (`-P`, `-C`, `-G`, `-L`,",
        "`-Q`). kafka-python's group members subscribe once the topic's partitions are known: joining",
        "earlier makes kafka-python 3.0.12 rebalance again when the metadata arrives, and it sometimes",
        "never applies that second assignment. The SASL rows produce and consume through a second broker",
        "whose listener is SASL_PLAINTEXT: PLAIN users come from its JAAS line, the SCRAM user from",
        "`samsa storage format --add-scram`, and kafka-python 3 and confluent-kafka create their own SCRAM",
        "users with `alter_user_scram_credentials` (the cell's note says which). The SASL_SSL rows do the",
        "same through that broker's SASL_SSL listener on localhost, checking its certificate with hostname",
        "verification on. The dynamic broker configs row sets `log.cleaner.delete.retention.ms` on broker 1",
        "(AlterConfigs; confluent-kafka IncrementalAlterConfigs), reads it back from the broker and from a",
        "topic without its own value (DescribeConfigs), then removes it.",
    ]
    gaps = [(client, feature, results["cells"][client["id"]][feature["id"]])
            for feature in results["features"] for client in clients
            if results["cells"][client["id"]].get(feature["id"], {}).get("status") == "fail"]
    lines += ["", "## Known gaps", ""]
    if gaps:
        lines += [f"- {c['name']} {c['version']}, {f['title']}: {escape(cell.get('reason', ''))}" for c, f, cell in gaps]
    else:
        lines.append("None: every cell a client can run passes.")
    retried = [(client, feature, results["cells"][client["id"]][feature["id"]])
               for feature in results["features"] for client in clients
               if "first_try" in results["cells"][client["id"]].get(feature["id"], {})]
    if retried:
        lines += ["", "## Passed on the second try", "",
                  "Each failed cell runs once more; these failed the first time in this run:", ""]
        lines += [f"- {c['name']} {c['version']}, {f['title']}: {escape(cell['first_try'])}" for c, f, cell in retried]
    return "\n".join(lines) + "\n"


def escape(text):
    return " ".join(text.replace("|", "\\|").split())


def write_json(path, value):
    with open(path, "w", encoding="utf-8") as output:
        json.dump(value, output, indent=1, ensure_ascii=False)
        output.write("\n")


def write_text(path, text):
    with open(path, "w", encoding="utf-8") as output:
        output.write(text)


if __name__ == "__main__":
    main(sys.argv[1:])
