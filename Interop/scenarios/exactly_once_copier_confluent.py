"""An exactly-once copier with confluent-kafka: every record of --input goes to --output, each poll's
records in one transaction together with the input offsets after them (send_offsets_to_transaction).
Started again after a SIGKILL with the same --transactional-id, it fences the killed copier, aborts
its open transaction and resumes from the committed offsets, so a read_committed reader of the output
sees every input record exactly once. It reads the input partitions by assignment (no rebalance wait
on restart) and stops after --exit-when-idle-ms without a record.

Prints "ready" once the producer is initialised. Scenario contract: see smoke.py.
"""
import argparse
import json
import sys
import time

BLOCK_SECONDS = 30


def main(argv):
    parser = argparse.ArgumentParser(description="Copy --input to --output exactly once.")
    parser.add_argument("--bootstrap-server", default="127.0.0.1:9092")
    parser.add_argument("--input", required=True)
    parser.add_argument("--output", required=True)
    parser.add_argument("--group", required=True)
    parser.add_argument("--transactional-id", required=True)
    parser.add_argument("--max-records-per-transaction", type=int, default=100)
    parser.add_argument("--exit-when-idle-ms", type=int, default=3000)
    args = parser.parse_args(argv)

    from confluent_kafka import Consumer, KafkaException, Producer, TopicPartition

    consumer = Consumer({
        "bootstrap.servers": args.bootstrap_server, "group.id": args.group, "enable.auto.commit": False,
        "isolation.level": "read_committed", "auto.offset.reset": "earliest"})
    producer = Producer({"bootstrap.servers": args.bootstrap_server, "transactional.id": args.transactional_id})
    producer.init_transactions(BLOCK_SECONDS)
    partitions = consumer.list_topics(args.input, timeout=BLOCK_SECONDS).topics[args.input].partitions
    consumer.assign([TopicPartition(args.input, partition) for partition in partitions])
    print("ready", flush=True)

    copied = 0
    idle_since = time.monotonic()
    while time.monotonic() - idle_since < args.exit_when_idle_ms / 1000:
        messages = [m for m in consumer.consume(args.max_records_per_transaction, timeout=0.2) if m.error() is None]
        if not messages:
            continue
        idle_since = time.monotonic()
        producer.begin_transaction()
        for message in messages:
            producer.produce(args.output, message.value(), message.key())
        offsets = {}
        for message in messages:
            offsets[(message.topic(), message.partition())] = message.offset() + 1
        producer.send_offsets_to_transaction(
            [TopicPartition(topic, partition, offset) for (topic, partition), offset in offsets.items()],
            consumer.consumer_group_metadata(), BLOCK_SECONDS)
        try:
            producer.commit_transaction(BLOCK_SECONDS)
        except KafkaException as error:
            if not error.args[0].txn_requires_abort():
                raise
            producer.abort_transaction(BLOCK_SECONDS)
            for (topic, partition), _ in offsets.items():
                first = min(m.offset() for m in messages if (m.topic(), m.partition()) == (topic, partition))
                consumer.seek(TopicPartition(topic, partition, first))
            continue
        copied += len(messages)
    consumer.close()
    return {"copied": copied}


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1:])))
