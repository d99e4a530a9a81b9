"""Runs one client's own integration suite against a broker that is already listening, and prints
each test's outcome as one JSON object on the last line (the scenario contract of Interop/scenarios).

The suites come from the clients' source distributions, unpacked by `make deps` into
.python-deps/client-suites; which tests may fail against Samsa, and why, is the caller's business
(Interop/client-suites/<suite>/excluded.tsv, checked by ClientTestSuitesTests).
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ElementTree

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
DEPS = os.path.join(ROOT, ".python-deps")


def kafka_python_command(bootstrap, scratch):
    source = os.path.join(DEPS, "client-suites", "kafka_python-3.0.12")
    environment = {
        "KAFKA_URI": f"PLAINTEXT://{bootstrap}",
        "KAFKA_VERSION": "3.9",
        # The harness checks that KAFKA_ROOT is a folder, though with KAFKA_URI set it never runs Kafka.
        "KAFKA_ROOT": scratch,
        "PYTHONPATH": os.pathsep.join([os.path.join(DEPS, "client-suites"), os.path.join(DEPS, "kafka-python-3"), source]),
    }
    command = [
        sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--timeout=120", "-o", "log_level=WARNING",
        "--tb=line", f"--junitxml={os.path.join(scratch, 'junit.xml')}", "test/integration",
    ]
    return command, source, environment


def confluent_kafka_python_command(bootstrap, scratch):
    suite = os.path.join(HERE, "confluent-kafka-python")
    environment = {
        "BROKERS": bootstrap,
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONPATH": os.pathsep.join([os.path.join(DEPS, "client-suites"), os.path.join(DEPS, "kafka-python-3"), suite]),
    }
    # Run from a scratch folder: trivup, which the SASL fixture calls, writes into the current one.
    command = [
        sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--timeout=120", f"--rootdir={suite}",
        "--tb=line", f"--junitxml={os.path.join(scratch, 'junit.xml')}", os.path.join(suite, "tests", "integration"),
    ]
    return command, scratch, environment


SUITES = {"kafka-python": kafka_python_command, "confluent-kafka-python": confluent_kafka_python_command}


def test_id(case):
    """`test_admin_integration.py::test_create_partitions`, or `file.py::Class::test` for methods."""
    parts = case.get("classname", "").split(".")
    module_index = next((i for i, part in enumerate(parts) if part.startswith("test_")), len(parts) - 1)
    path = "/".join(parts[: module_index + 1]) + ".py"
    for prefix in ("test/integration/", "tests/integration/"):
        if path.startswith(prefix):
            path = path[len(prefix):]
    return "::".join([path, *parts[module_index + 1:], case.get("name", "")])


def outcomes(junit_path):
    results = []
    for case in ElementTree.parse(junit_path).iter("testcase"):
        outcome, message = "passed", ""
        for kind in ("failure", "error", "skipped"):
            element = case.find(kind)
            if element is not None:
                outcome = "skipped" if kind == "skipped" else "failed"
                text = (element.get("message") or element.text or "").strip()
                message = text.splitlines()[0][:400] if text else ""
                break
        results.append({"test": test_id(case.attrib), "outcome": outcome, "message": message})
    return results


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--suite", required=True, choices=sorted(SUITES))
    parser.add_argument("--bootstrap-server", required=True)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        junit_path = os.path.join(scratch, "junit.xml")
        command, working_directory, environment = SUITES[arguments.suite](arguments.bootstrap_server, scratch)
        if not os.path.isdir(working_directory):
            sys.exit(f"{working_directory} is missing: run `make deps`")
        completed = subprocess.run(
            command, cwd=working_directory, env={**os.environ, **environment}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            text=True)
        if not os.path.exists(junit_path):
            sys.exit(f"pytest wrote no results (exit {completed.returncode}):\n{completed.stdout[-4000:]}")
        print(json.dumps({"tests": outcomes(junit_path), "exitCode": completed.returncode}))


if __name__ == "__main__":
    main()
