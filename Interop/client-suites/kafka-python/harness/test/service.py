"""Stands in for kafka-python's test/service.py, which its PyPI source distribution leaves out.

Samsa runs the suite against a broker it started itself (KAFKA_URI), so the fixtures never spawn
Kafka or ZooKeeper; the classes exist only because test/integration/fixtures.py imports them.
"""


class ExternalService:
    def __init__(self, host, port):
        self.host = host
        self.port = port


class SpawnedService:
    def __init__(self, *args, **kwargs):
        raise RuntimeError("Samsa's run targets the broker named by KAFKA_URI; it never spawns Kafka")
