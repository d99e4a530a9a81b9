"""Runs one transaction case with one client's transactional producer and read_committed consumer.

Cases: commit_abort (committed records visible, aborted never), open_holds_lso (an open transaction
hides itself and later records until it commits), fencing (a second producer with the same
transactional id fences the first), timeout (a transaction older than transaction.timeout.ms is
aborted by the broker). Scenario contract: see smoke.py.
"""
import argparse
import asyncio
import json
import sys
import time

BLOCK_SECONDS = 30


class KafkaPythonProducer:
    def __init__(self, bootstrap, transactional_id, timeout_ms):
        from kafka import KafkaProducer

        self.producer = KafkaProducer(
            bootstrap_servers=bootstrap, transactional_id=transactional_id, transaction_timeout_ms=timeout_ms)

    def init(self):
        self.producer.init_transactions()

    def begin(self):
        self.producer.begin_transaction()

    def send(self, topic, value):
        self.producer.send(topic, value.encode())
        self.producer.flush()

    def commit(self):
        self.producer.commit_transaction()

    def abort(self):
        self.producer.abort_transaction()

    def close(self):
        self.producer.close(timeout=1)


class ConfluentProducer:
    def __init__(self, bootstrap, transactional_id, timeout_ms):
        from confluent_kafka import Producer

        self.producer = Producer({
            "bootstrap.servers": bootstrap, "transactional.id": transactional_id, "transaction.timeout.ms": timeout_ms})

    def init(self):
        self.producer.init_transactions(BLOCK_SECONDS)

    def begin(self):
        self.producer.begin_transaction()

    def send(self, topic, value):
        self.producer.produce(topic, value.encode())
        self.producer.flush(BLOCK_SECONDS)

    def commit(self):
        self.producer.commit_transaction(BLOCK_SECONDS)

    def abort(self):
        self.producer.abort_transaction(BLOCK_SECONDS)

    def close(self):
        self.producer.flush(1)


class AiokafkaProducer:
    def __init__(self, bootstrap, transactional_id, timeout_ms):
        from aiokafka import AIOKafkaProducer

        self.loop = asyncio.new_event_loop()

        async def create():
            return AIOKafkaProducer(
                bootstrap_servers=bootstrap, transactional_id=transactional_id, transaction_timeout_ms=timeout_ms)

        self.producer = self.loop.run_until_complete(create())

    def init(self):
        self.loop.run_until_complete(self.producer.start())

    def begin(self):
        self.loop.run_until_complete(self.producer.begin_transaction())

    def send(self, topic, value):
        self.loop.run_until_complete(self.producer.send_and_wait(topic, value.encode()))

    def commit(self):
        self.loop.run_until_complete(self.producer.commit_transaction())

    def abort(self):
        self.loop.run_until_complete(self.producer.abort_transaction())

    def close(self):
        self.loop.run_until_complete(self.producer.stop())
        self.loop.close()


PRODUCERS = {"kafka-python": KafkaPythonProducer, "confluent-kafka": ConfluentProducer, "aiokafka": AiokafkaProducer}


def read_committed(client, bootstrap, topic, expected, seconds):
    """The values a read_committed consumer of `client` finds in the topic from its start: it stops
    at `expected` values or after `seconds`."""
    deadline = time.monotonic() + seconds
    values = []
    if client == "confluent-kafka":
        from confluent_kafka import Consumer, TopicPartition

        consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": f"reader-{time.monotonic_ns()}",
                             "isolation.level": "read_committed", "auto.offset.reset": "earliest",
                             "enable.auto.commit": False})
        consumer.assign([TopicPartition(topic, 0, 0)])
        while len(values) < expected and time.monotonic() < deadline:
            message = consumer.poll(0.2)
            if message is not None and message.error() is None:
                values.append(message.value().decode())
        consumer.close()
    elif client == "aiokafka":
        from aiokafka import AIOKafkaConsumer
        from aiokafka.structs import TopicPartition

        async def consume():
            consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, isolation_level="read_committed",
                                        auto_offset_reset="earliest", enable_auto_commit=False)
            await consumer.start()
            try:
                consumer.assign([TopicPartition(topic, 0)])
                await consumer.seek_to_beginning()
                while len(values) < expected and time.monotonic() < deadline:
                    batches = await consumer.getmany(timeout_ms=200)
                    for records in batches.values():
                        values.extend(record.value.decode() for record in records)
            finally:
                await consumer.stop()

        asyncio.run(consume())
    else:
        from kafka import KafkaConsumer, TopicPartition

        consumer = KafkaConsumer(bootstrap_servers=bootstrap, isolation_level="read_committed",
                                 auto_offset_reset="earliest", enable_auto_commit=False)
        consumer.assign([TopicPartition(topic, 0)])
        consumer.seek_to_beginning()
        while len(values) < expected and time.monotonic() < deadline:
            for records in consumer.poll(timeout_ms=200).values():
                values.extend(record.value.decode() for record in records)
        consumer.close()
    return values


def committed_end_offset(bootstrap, topic):
    """The end offset a read_committed consumer sees (ListOffsets latest at READ_COMMITTED: the LSO)."""
    from kafka import KafkaConsumer, TopicPartition

    consumer = KafkaConsumer(bootstrap_servers=bootstrap, isolation_level="read_committed")
    partition = TopicPartition(topic, 0)
    try:
        return consumer.end_offsets([partition])[partition]
    finally:
        consumer.close()


def failure_of(action):
    """The error an action raised, as text, or None when it succeeded."""
    try:
        action()
    except Exception as error:  # the failure is what the case reports
        return f"{type(error).__name__}: {error}"
    return None


def case_commit_abort(make, client, bootstrap, topic):
    producer = make("commit-abort")
    producer.init()
    for values, commit in ((["c1", "c2", "c3"], True), (["a1", "a2"], False), (["c4"], True)):
        producer.begin()
        for value in values:
            producer.send(topic, value)
        producer.commit() if commit else producer.abort()
    producer.close()
    return {"values": read_committed(client, bootstrap, topic, 4, 10)}


def case_open_holds_lso(make, client, bootstrap, topic):
    producer = make("open")
    producer.init()
    producer.begin()
    producer.send(topic, "c1")
    producer.commit()
    producer.begin()
    producer.send(topic, "open1")
    before = read_committed(client, bootstrap, topic, 2, 3)
    lso_while_open = committed_end_offset(bootstrap, topic)
    producer.commit()
    after = read_committed(client, bootstrap, topic, 2, 10)
    producer.close()
    return {"values_while_open": before, "lso_while_open": lso_while_open, "values": after}


def case_fencing(make, client, bootstrap, topic):
    first = make("fenced")
    first.init()
    first.begin()
    first.send(topic, "zombie")
    second = make("fenced")
    second.init()
    second.begin()
    second.send(topic, "winner")
    second.commit()
    second.close()
    fenced = failure_of(first.commit)
    failure_of(first.close)
    return {"fenced_error": fenced, "values": read_committed(client, bootstrap, topic, 2, 5)}


def case_timeout(make, client, bootstrap, topic):
    producer = make("timed-out", timeout_ms=1000)
    producer.init()
    producer.begin()
    producer.send(topic, "expired")
    time.sleep(4)
    timed_out = failure_of(producer.commit)
    failure_of(producer.close)
    replacement = make("timed-out")
    replacement.init()
    replacement.begin()
    replacement.send(topic, "after")
    replacement.commit()
    replacement.close()
    return {"commit_error": timed_out, "values": read_committed(client, bootstrap, topic, 2, 5)}


CASES = {"commit_abort": case_commit_abort, "open_holds_lso": case_open_holds_lso, "fencing": case_fencing,
         "timeout": case_timeout}


def main(argv):
    parser = argparse.ArgumentParser(description="Run one transaction case with one client.")
    parser.add_argument("--bootstrap-server", default="127.0.0.1:9092")
    parser.add_argument("--client", choices=sorted(PRODUCERS), required=True)
    parser.add_argument("--case", choices=sorted(CASES), required=True)
    parser.add_argument("--topic", required=True)
    arguments = parser.parse_args(argv)
    client, bootstrap = arguments.client, arguments.bootstrap_server

    def make(transactional_id, timeout_ms=20000):
        return PRODUCERS[client](bootstrap, f"{client}-{arguments.topic}-{transactional_id}", timeout_ms)

    return CASES[arguments.case](make, client, bootstrap, arguments.topic)


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1:])))
