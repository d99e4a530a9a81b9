"""Asks for a transactional producer with one client and reports how it failed and how soon.

Samsa has no transaction coordinator yet; every client must fail at once with a clear error rather
than retry until its own timeout. Scenario contract: see smoke.py.
"""
import argparse
import asyncio
import json
import sys
import time

TIMEOUT_SECONDS = 30


def init_kafka_python(bootstrap):
    from kafka import KafkaProducer

    producer = KafkaProducer(bootstrap_servers=bootstrap, transactional_id="refused-kafka-python")
    try:
        producer.init_transactions()
    finally:
        producer.close(timeout=1)


def init_confluent_kafka(bootstrap):
    from confluent_kafka import Producer

    Producer({"bootstrap.servers": bootstrap, "transactional.id": "refused-confluent"}).init_transactions(TIMEOUT_SECONDS)


def init_aiokafka(bootstrap):
    from aiokafka import AIOKafkaProducer

    async def start():
        producer = AIOKafkaProducer(bootstrap_servers=bootstrap, transactional_id="refused-aiokafka")
        try:
            await producer.start()
        finally:
            await producer.stop()

    asyncio.run(start())


CLIENTS = {"kafka-python": init_kafka_python, "confluent-kafka": init_confluent_kafka, "aiokafka": init_aiokafka}


def error_code(error):
    for attribute in ("errno", "code"):
        value = getattr(type(error), attribute, None)
        if isinstance(value, int):
            return value
    if error.args and hasattr(error.args[0], "code"):
        return error.args[0].code()
    return None


def main(argv):
    parser = argparse.ArgumentParser(description="Report how a transactional producer's initialisation fails.")
    parser.add_argument("--bootstrap-server", default="127.0.0.1:9092")
    parser.add_argument("--client", choices=sorted(CLIENTS), required=True)
    arguments = parser.parse_args(argv)
    started = time.monotonic()
    try:
        CLIENTS[arguments.client](arguments.bootstrap_server)
    except Exception as error:  # the failure is what this scenario reports
        return {"failed": True, "error_code": error_code(error), "message": str(error),
                "seconds": time.monotonic() - started}
    return {"failed": False, "seconds": time.monotonic() - started}


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1:])))
