"""One confluent-kafka (librdkafka) member of a consumer group in the load test. It reads one topic
until the stop file appears and reports the offsets it consumed as ranges per partition: a line
{"event": "ranges", ...} whenever they changed (at most twice a second), so that the test can tell
when the group has read everything without a line per record."""
import argparse
import json
import os
import sys
import time


class OffsetRanges:
    """Sorted, disjoint [start, end) ranges of consumed offsets; records arrive in offset order per
    partition, so nearly every offset extends the last range."""

    def __init__(self):
        self.ranges = []
        self.repeated = 0

    def add(self, offset):
        ranges = self.ranges
        if ranges and ranges[-1][1] == offset:
            ranges[-1][1] = offset + 1
            return
        for index, (start, end) in enumerate(ranges):
            if start <= offset < end:
                self.repeated += 1
                return
            if offset < start:
                ranges.insert(index, [offset, offset + 1])
                self._merge()
                return
        ranges.append([offset, offset + 1])
        self._merge()

    def _merge(self):
        merged = []
        for start, end in self.ranges:
            if merged and merged[-1][1] >= start:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        self.ranges = merged


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bootstrap-server", default="127.0.0.1:9092")
    parser.add_argument("--topic", required=True)
    parser.add_argument("--group", required=True)
    parser.add_argument("--client-id", default="load-confluent")
    parser.add_argument("--stop-file", required=True)
    parser.add_argument("--seconds", type=float, default=600)
    args = parser.parse_args(argv)

    from confluent_kafka import Consumer

    consumer = Consumer({
        "bootstrap.servers": args.bootstrap_server, "group.id": args.group, "client.id": args.client_id,
        "auto.offset.reset": "earliest", "session.timeout.ms": 10000, "heartbeat.interval.ms": 1000,
        "topic.metadata.refresh.interval.ms": 2000,
    })
    consumer.subscribe([args.topic])
    partitions = {}
    records = 0
    errors = 0
    changed = False
    last_report = 0.0

    def report():
        print(json.dumps({
            "event": "ranges", "records": records, "errors": errors,
            "repeated": sum(ranges.repeated for ranges in partitions.values()),
            "ranges": {str(partition): ranges.ranges for partition, ranges in partitions.items()},
        }), flush=True)

    deadline = time.time() + args.seconds
    while time.time() < deadline and not os.path.exists(args.stop_file):
        for message in consumer.consume(num_messages=1000, timeout=0.2):
            if message.error():
                # Transport errors while the broker restarts; librdkafka reconnects by itself.
                errors += 1
                continue
            records += 1
            changed = True
            partitions.setdefault(message.partition(), OffsetRanges()).add(message.offset())
        if changed and time.time() - last_report >= 0.5:
            report()
            changed = False
            last_report = time.time()
    report()
    consumer.close()
    return {"records": records, "errors": errors}


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1:])), flush=True)
