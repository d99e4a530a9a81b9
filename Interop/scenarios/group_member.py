"""One member of a consumer group, run as a long-lived python3 subprocess so that a test can
close it or kill it. It prints one JSON line per event: every assignment it is given, every
record it reads (committed synchronously after each poll), and when it has left.

Stops by itself after --seconds, or when --stop-file appears (then it closes the consumer,
which sends LeaveGroup)."""
import argparse
import json
import os
import sys
import time


def emit(**event):
    print(json.dumps(event), flush=True)


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bootstrap-server", default="127.0.0.1:9092")
    parser.add_argument("--topic", default="members")
    parser.add_argument("--group", default="members-group")
    parser.add_argument("--client-id", default="member")
    parser.add_argument("--stop-file", default="")
    parser.add_argument("--seconds", type=float, default=120)
    args = parser.parse_args(argv)

    from kafka import KafkaConsumer

    consumer = KafkaConsumer(
        bootstrap_servers=[args.bootstrap_server], group_id=args.group, client_id=args.client_id,
        auto_offset_reset='earliest', enable_auto_commit=False,
        session_timeout_ms=6000, heartbeat_interval_ms=500, max_poll_interval_ms=60000)
    # kafka-python 3.0.12 can miss an assignment whose SyncGroup answer arrives together with the
    # first metadata of the topic; subscribing once the partitions are known avoids that race.
    known_by = time.time() + 30
    while not consumer.partitions_for_topic(args.topic) and time.time() < known_by:
        time.sleep(0.1)
    consumer.subscribe([args.topic])
    assigned = None
    records = 0
    deadline = time.time() + args.seconds
    while time.time() < deadline:
        if args.stop_file and os.path.exists(args.stop_file):
            break
        batch = consumer.poll(timeout_ms=200)
        current = sorted(tp.partition for tp in consumer.assignment())
        if current != assigned:
            assigned = current
            emit(event="assignment", client=args.client_id, partitions=current)
        for tp, messages in batch.items():
            for message in messages:
                records += 1
                emit(event="record", client=args.client_id, partition=tp.partition, offset=message.offset)
        if batch:
            consumer.commit()
    consumer.close()
    emit(event="closed", client=args.client_id, records=records)
    return {"records": records}


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1:])), flush=True)
