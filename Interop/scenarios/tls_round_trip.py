"""TLS scenario: one client produces records over SSL and reads them back, checking the broker's
certificate against the test CA with hostname checking on, optionally showing a client certificate.

--client picks kafka-python (whichever `kafka` is on the path), aiokafka, confluent-kafka or kcat.
Returns {"client", "produced", "consumed", "match"} (match: every record read back once, in any
partition's order); with --expect-refusal, the client must fail to
fetch metadata instead, and the result is {"client", "refused", "error"}.
"""
import argparse
import asyncio
import json
import subprocess
import sys
import time


def main(argv):
    parser = argparse.ArgumentParser(description="Produce and consume over SSL.")
    parser.add_argument("--bootstrap-server", required=True)
    parser.add_argument("--client", default="kafka-python")
    parser.add_argument("--topic", default="tls-round-trip")
    parser.add_argument("--count", type=int, default=20)
    parser.add_argument("--cafile", required=True)
    parser.add_argument("--certfile", default="")
    parser.add_argument("--keyfile", default="")
    parser.add_argument("--expect-refusal", default="false")
    arguments = parser.parse_args(argv)
    client = CLIENTS[arguments.client](arguments)
    if arguments.expect_refusal == "true":
        try:
            client.metadata()
        except Exception as error:  # each client has its own error types; any failure is a refusal
            return {"client": arguments.client, "refused": True, "error": f"{type(error).__name__}: {error}"[:300]}
        return {"client": arguments.client, "refused": False, "error": ""}
    values = [f"tls-{index}" for index in range(arguments.count)]
    client.produce(arguments.topic, values)
    consumed = client.consume(arguments.topic, len(values))
    return {"client": arguments.client, "produced": len(values), "consumed": len(consumed), "match": sorted(consumed) == sorted(values)}


class KafkaPython:
    def __init__(self, arguments):
        import kafka

        self.kafka = kafka
        self.settings = {
            "bootstrap_servers": [arguments.bootstrap_server], "security_protocol": "SSL",
            "ssl_cafile": arguments.cafile, "ssl_check_hostname": True,
        }
        if arguments.certfile:
            self.settings.update(ssl_certfile=arguments.certfile, ssl_keyfile=arguments.keyfile)

    def metadata(self):
        consumer = self.kafka.KafkaConsumer(**self.settings, request_timeout_ms=5000, api_version_auto_timeout_ms=5000)
        try:
            if not consumer.topics():
                return
        finally:
            consumer.close()

    def produce(self, topic, values):
        producer = self.kafka.KafkaProducer(**self.settings, acks="all")
        for value in values:
            producer.send(topic, value.encode())
        producer.flush(30)
        producer.close(10)

    def consume(self, topic, count):
        consumer = self.kafka.KafkaConsumer(topic, **self.settings, auto_offset_reset="earliest", consumer_timeout_ms=10000)
        values = []
        for record in consumer:
            values.append(record.value.decode())
            if len(values) == count:
                break
        consumer.close()
        return values


class AioKafka:
    def __init__(self, arguments):
        from aiokafka.helpers import create_ssl_context

        self.bootstrap = arguments.bootstrap_server
        self.context = lambda: create_ssl_context(
            cafile=arguments.cafile, certfile=arguments.certfile or None, keyfile=arguments.keyfile or None)

    def settings(self):
        return {"bootstrap_servers": self.bootstrap, "security_protocol": "SSL", "ssl_context": self.context()}

    def metadata(self):
        async def run():
            from aiokafka import AIOKafkaProducer

            producer = AIOKafkaProducer(**self.settings(), request_timeout_ms=5000)
            await producer.start()
            await producer.stop()
        asyncio.run(asyncio.wait_for(run(), 20))

    def produce(self, topic, values):
        async def run():
            from aiokafka import AIOKafkaProducer

            producer = AIOKafkaProducer(**self.settings(), acks="all")
            await producer.start()
            try:
                for value in values:
                    await producer.send_and_wait(topic, value.encode())
            finally:
                await producer.stop()
        asyncio.run(asyncio.wait_for(run(), 60))

    def consume(self, topic, count):
        async def run():
            from aiokafka import AIOKafkaConsumer

            consumer = AIOKafkaConsumer(topic, **self.settings(), auto_offset_reset="earliest")
            await consumer.start()
            values = []
            try:
                while len(values) < count:
                    batches = await consumer.getmany(timeout_ms=1000)
                    values += [record.value.decode() for records in batches.values() for record in records]
            finally:
                await consumer.stop()
            return values
        return asyncio.run(asyncio.wait_for(run(), 60))


class ConfluentKafka:
    def __init__(self, arguments):
        self.settings = {
            "bootstrap.servers": arguments.bootstrap_server, "security.protocol": "SSL",
            "ssl.ca.location": arguments.cafile, "ssl.endpoint.identification.algorithm": "https",
        }
        if arguments.certfile:
            self.settings.update({"ssl.certificate.location": arguments.certfile, "ssl.key.location": arguments.keyfile})

    def metadata(self):
        from confluent_kafka.admin import AdminClient

        AdminClient(self.settings).list_topics(timeout=10)

    def produce(self, topic, values):
        from confluent_kafka import Producer

        producer = Producer({**self.settings, "acks": "all"})
        for value in values:
            producer.produce(topic, value.encode())
        remaining = producer.flush(30)
        if remaining:
            raise RuntimeError(f"{remaining} records not delivered")

    def consume(self, topic, count):
        from confluent_kafka import Consumer

        consumer = Consumer({**self.settings, "group.id": f"{topic}-reader", "auto.offset.reset": "earliest"})
        consumer.subscribe([topic])
        values = []
        deadline = time.monotonic() + 30
        while len(values) < count and time.monotonic() < deadline:
            message = consumer.poll(1)
            if message is not None and message.error() is None:
                values.append(message.value().decode())
        consumer.close()
        return values


class Kcat:
    def __init__(self, arguments):
        self.options = ["-b", arguments.bootstrap_server, "-X", "security.protocol=SSL", "-X", f"ssl.ca.location={arguments.cafile}",
                        "-X", "ssl.endpoint.identification.algorithm=https"]
        if arguments.certfile:
            self.options += ["-X", f"ssl.certificate.location={arguments.certfile}", "-X", f"ssl.key.location={arguments.keyfile}"]

    def kcat(self, *options, stdin=""):
        done = subprocess.run(["kcat", *self.options, *options], input=stdin, capture_output=True, text=True, timeout=30)
        if done.returncode != 0:
            raise RuntimeError(f"kcat exited {done.returncode}: {done.stderr.strip()[-300:]}")
        return done.stdout

    def metadata(self):
        self.kcat("-L", "-m", "5")

    def produce(self, topic, values):
        self.kcat("-P", "-t", topic, stdin="".join(f"{value}\n" for value in values))

    def consume(self, topic, count):
        return self.kcat("-C", "-t", topic, "-o", "beginning", "-c", str(count), "-e").splitlines()


CLIENTS = {"kafka-python": KafkaPython, "aiokafka": AioKafka, "confluent-kafka": ConfluentKafka, "kcat": Kcat}


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1:])))
