"""Smoke scenario: reports which kafka-python and Python ran it, proving the harness found them.

Scenario contract (shared by every file here): main(argv) takes the arguments after the script name
and returns a JSON-serialisable dict. The embedded harness calls main directly; run as a script, the
file prints that dict as one line of JSON.
"""
import argparse
import json
import sys

import kafka


def main(argv):
    parser = argparse.ArgumentParser(description="Report the kafka-python and Python versions.")
    # Accepted like every scenario's, so all scenarios share one command line; unused here.
    parser.add_argument("--bootstrap-server", default="127.0.0.1:9092")
    parser.parse_args(argv)
    return {"kafka_version": kafka.__version__, "python": sys.version}


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1:])))
