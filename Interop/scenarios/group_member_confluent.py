"""One member of a consumer group written with confluent-kafka (librdkafka), with the same
command line and JSON event lines as group_member.py, so that the same test drives both."""
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

    from confluent_kafka import Consumer

    consumer = Consumer({
        "bootstrap.servers": args.bootstrap_server, "group.id": args.group, "client.id": args.client_id,
        "auto.offset.reset": "earliest", "enable.auto.commit": False,
        "session.timeout.ms": 6000, "heartbeat.interval.ms": 500,
        "topic.metadata.refresh.interval.ms": 1000,
    })
    assigned = None

    def report():
        nonlocal assigned
        current = sorted(tp.partition for tp in consumer.assignment())
        if current != assigned:
            assigned = current
            emit(event="assignment", client=args.client_id, partitions=current)

    consumer.subscribe([args.topic], on_assign=lambda c, parts: None, on_revoke=lambda c, parts: None)
    records = 0
    deadline = time.time() + args.seconds
    while time.time() < deadline:
        if args.stop_file and os.path.exists(args.stop_file):
            break
        message = consumer.poll(0.2)
        report()
        if message is None or message.error():
            continue
        records += 1
        emit(event="record", client=args.client_id, partition=message.partition(), offset=message.offset())
        consumer.commit(message=message, asynchronous=False)
    consumer.close()
    emit(event="closed", client=args.client_id, records=records)
    return {"records": records}


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1:])), flush=True)
