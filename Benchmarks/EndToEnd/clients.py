"""The Python side of `make bench`: each subcommand is one measured client run against one broker,
run by run_benchmarks.py as its own python3 process (so its CPU is never the broker's), and prints
one JSON line. Times are taken inside the process, around the sends or reads only, so interpreter
start-up and imports are not counted (the Swift clients time themselves the same way)."""
import argparse
import json
import sys
import time


def kafka_python_study_notes(arguments):
    """The study notes exactly: acks=0, gzip, JSON, flush() after each send."""
    from kafka import KafkaProducer
    producer = KafkaProducer(bootstrap_servers=arguments.bootstrap_server, acks=0, compression_type="gzip",
                             value_serializer=lambda v: json.dumps(v).encode("utf-8"))
    start = time.perf_counter()
    for i in range(arguments.count):
        producer.send(arguments.topic, {"str": f"result {i}"})
        producer.flush()
    seconds = time.perf_counter() - start
    producer.close()
    return {"seconds": seconds}


def confluent_flush_each(arguments):
    """The study notes' loop with librdkafka: produce() then flush() for every message."""
    from confluent_kafka import Producer
    producer = Producer({"bootstrap.servers": arguments.bootstrap_server, "acks": arguments.acks,
                         "compression.type": "gzip", "enable.idempotence": arguments.acks == "all"})
    failures = []
    start = time.perf_counter()
    for i in range(arguments.count):
        producer.produce(arguments.topic, json.dumps({"str": f"result {i}"}).encode("utf-8"),
                         on_delivery=lambda error, _: error and failures.append(error))
        producer.flush(30)
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "failures": len(failures)}


def payloads(size):
    """Random capital letters, as kafka-producer-perf-test and `samsa perf produce` send: a pool of
    distinct payloads so that gzip sees the same kind of data from every client."""
    import random
    generator = random.Random(0)
    return [bytes(generator.choices(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ", k=size)) for _ in range(1000)]


def confluent_produce(arguments):
    from confluent_kafka import Producer
    producer = Producer({"bootstrap.servers": arguments.bootstrap_server, "acks": arguments.acks,
                         "compression.type": arguments.compression, "linger.ms": arguments.linger_ms,
                         "batch.size": arguments.batch_size, "enable.idempotence": arguments.acks == "all",
                         "queue.buffering.max.messages": 1_000_000})
    pool = payloads(arguments.record_size)
    failures = []
    start = time.perf_counter()
    for i in range(arguments.count):
        while True:
            try:
                producer.produce(arguments.topic, pool[i % len(pool)],
                                 on_delivery=lambda error, _: error and failures.append(error))
                break
            except BufferError:
                producer.poll(0.01)
        if i % 10_000 == 0:
            producer.poll(0)
    producer.flush(120)
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "messages": arguments.count - len(failures), "failures": len(failures),
            "bytes": arguments.count * arguments.record_size}


def kafka_python_produce(arguments):
    from kafka import KafkaProducer
    producer = KafkaProducer(bootstrap_servers=arguments.bootstrap_server,
                             acks="all" if arguments.acks == "all" else int(arguments.acks),
                             compression_type=None if arguments.compression == "none" else arguments.compression,
                             linger_ms=arguments.linger_ms, batch_size=arguments.batch_size)
    pool = payloads(arguments.record_size)
    futures = []
    start = time.perf_counter()
    for i in range(arguments.count):
        futures.append(producer.send(arguments.topic, pool[i % len(pool)]))
    producer.flush(120)
    seconds = time.perf_counter() - start
    failures = sum(1 for future in futures if future.failed())
    producer.close()
    return {"seconds": seconds, "messages": arguments.count - failures, "failures": failures,
            "bytes": arguments.count * arguments.record_size}


def confluent_consume(arguments):
    from confluent_kafka import Consumer, TopicPartition, OFFSET_BEGINNING
    consumer = Consumer({"bootstrap.servers": arguments.bootstrap_server, "group.id": f"bench-{arguments.topic}",
                         "enable.auto.commit": False, "check.crcs": False})
    consumer.assign([TopicPartition(arguments.topic, 0, OFFSET_BEGINNING)])
    messages = data = 0
    start = last = time.perf_counter()
    # Timed to the last message, so that waiting out the idle limit (a broker that stored fewer
    # than asked for) does not count.
    while messages < arguments.count and time.perf_counter() - last < arguments.idle_seconds:
        for message in consumer.consume(num_messages=10_000, timeout=0.5):
            if message.error() is None:
                messages += 1
                data += len(message.value() or b"")
                last = time.perf_counter()
    consumer.close()
    return {"seconds": last - start, "messages": messages, "bytes": data}


def kafka_python_consume(arguments):
    from kafka import KafkaConsumer, TopicPartition
    consumer = KafkaConsumer(bootstrap_servers=arguments.bootstrap_server, enable_auto_commit=False,
                             check_crcs=False, max_partition_fetch_bytes=1_048_576)
    partition = TopicPartition(arguments.topic, 0)
    consumer.assign([partition])
    consumer.seek_to_beginning(partition)
    messages = data = 0
    start = last = time.perf_counter()
    while messages < arguments.count and time.perf_counter() - last < arguments.idle_seconds:
        for records in consumer.poll(timeout_ms=500, max_records=10_000).values():
            messages += len(records)
            data += sum(len(record.value or b"") for record in records)
            last = time.perf_counter()
    consumer.close()
    return {"seconds": last - start, "messages": messages, "bytes": data}


def create_topics(arguments):
    from kafka.admin import KafkaAdminClient, NewTopic
    admin = KafkaAdminClient(bootstrap_servers=arguments.bootstrap_server, request_timeout_ms=30_000)
    names = arguments.topic.split(",")
    admin.create_topics([NewTopic(name, num_partitions=1, replication_factor=1) for name in names])
    admin.close()
    return {"created": len(names)}


def stored(arguments):
    """How many records each topic holds, read back from the start (Tansu's ListOffsets end offset
    can lag what a consumer reads, so offsets are not counted): until every topic has `count` or
    nothing arrives for the idle limit."""
    from confluent_kafka import Consumer, TopicPartition, OFFSET_BEGINNING
    names = arguments.topic.split(",")
    consumer = Consumer({"bootstrap.servers": arguments.bootstrap_server, "group.id": "bench-stored",
                         "enable.auto.commit": False})
    consumer.assign([TopicPartition(name, 0, OFFSET_BEGINNING) for name in names])
    counts = dict.fromkeys(names, 0)
    last = time.monotonic()
    while min(counts.values()) < arguments.count and time.monotonic() - last < arguments.idle_seconds:
        for message in consumer.consume(num_messages=10_000, timeout=0.5):
            if message.error() is None:
                counts[message.topic()] += 1
                last = time.monotonic()
    consumer.close()
    return counts


COMMANDS = {
    "kafka-python-study-notes": kafka_python_study_notes,
    "confluent-flush-each": confluent_flush_each,
    "confluent-produce": confluent_produce,
    "kafka-python-produce": kafka_python_produce,
    "confluent-consume": confluent_consume,
    "kafka-python-consume": kafka_python_consume,
    "create-topics": create_topics,
    "stored": stored,
}


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("command", choices=sorted(COMMANDS))
    parser.add_argument("--bootstrap-server", required=True)
    parser.add_argument("--topic", required=True, help="a topic, or comma-separated topics for create-topics and stored")
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--acks", default="1")
    parser.add_argument("--compression", default="none")
    parser.add_argument("--record-size", type=int, default=100)
    parser.add_argument("--linger-ms", type=int, default=5)
    parser.add_argument("--batch-size", type=int, default=262_144)
    parser.add_argument("--idle-seconds", type=float, default=3, help="readers stop after this long without a message")
    arguments = parser.parse_args()
    print(json.dumps(COMMANDS[arguments.command](arguments)), flush=True)


if __name__ == "__main__":
    sys.exit(main())
