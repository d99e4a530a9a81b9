"""Keyed messages on a 3-partition topic: each key lands in the partition Java's murmur2 picks
(computed here independently of the producer), and per-key order holds when read back."""
import argparse
import json
import sys


def java_murmur2(data):
    """Kafka's Utils.murmur2, written out here so the check does not trust the producer's own."""
    length = len(data)
    seed = 0x9747b28c
    m = 0x5bd1e995
    r = 24
    h = (seed ^ length) & 0xffffffff
    length4 = length // 4
    for i in range(length4):
        i4 = i * 4
        k = (data[i4 + 0] & 0xff) + ((data[i4 + 1] & 0xff) << 8) + ((data[i4 + 2] & 0xff) << 16) + ((data[i4 + 3] & 0xff) << 24)
        k = (k * m) & 0xffffffff
        k ^= k >> r
        k = (k * m) & 0xffffffff
        h = (h * m) & 0xffffffff
        h ^= k
    extra = length % 4
    if extra >= 3:
        h ^= (data[(length & ~3) + 2] & 0xff) << 16
    if extra >= 2:
        h ^= (data[(length & ~3) + 1] & 0xff) << 8
    if extra >= 1:
        h ^= data[length & ~3] & 0xff
        h = (h * m) & 0xffffffff
    h ^= h >> 13
    h = (h * m) & 0xffffffff
    h ^= h >> 15
    return h


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bootstrap-server", default="127.0.0.1:9092")
    parser.add_argument("--topic", default="keyed")
    parser.add_argument("--keys", type=int, default=20)
    parser.add_argument("--per-key", type=int, default=25)
    args = parser.parse_args(argv)

    from kafka import KafkaConsumer, KafkaProducer, TopicPartition
    from kafka.admin import KafkaAdminClient, NewTopic

    admin = KafkaAdminClient(bootstrap_servers=[args.bootstrap_server])
    admin.create_topics([NewTopic(args.topic, num_partitions=3, replication_factor=1)])
    admin.close()

    producer = KafkaProducer(bootstrap_servers=[args.bootstrap_server], acks=1, linger_ms=5)
    keys = [f"key-{k}" for k in range(args.keys)]
    for n in range(args.per_key):
        for key in keys:
            producer.send(args.topic, key=key.encode(), value=f"{key}:{n}".encode())
    producer.flush()
    producer.close()

    consumer = KafkaConsumer(bootstrap_servers=[args.bootstrap_server], enable_auto_commit=False, consumer_timeout_ms=3000)
    partitions = [TopicPartition(args.topic, p) for p in range(3)]
    consumer.assign(partitions)
    consumer.seek_to_beginning(*partitions)
    wrong_partition = []
    sequences = {}
    for message in consumer:
        key = message.key.decode()
        expected = (java_murmur2(message.key) & 0x7fffffff) % 3
        if message.partition != expected:
            wrong_partition.append([key, message.partition, expected])
        sequences.setdefault(key, []).append(int(message.value.decode().split(":")[1]))
    consumer.close()
    return {
        "received": sum(len(v) for v in sequences.values()),
        "wrong_partition": wrong_partition,
        "keys_in_order": all(seq == list(range(args.per_key)) for seq in sequences.values()),
        "partitions_used": sorted({(java_murmur2(k.encode()) & 0x7fffffff) % 3 for k in keys}),
    }


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1:])))
