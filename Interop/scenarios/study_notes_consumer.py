"""The study notes' consumer exactly as written, but for the address, topic and group:

    KafkaConsumer('hello', bootstrap_servers=[...], auto_offset_reset='earliest',
                  enable_auto_commit=True, group_id='my-group', consumer_timeout_ms=1000)

Returns how many messages it read, the first and last value, and which partitions it saw."""
import argparse
import json
import sys


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bootstrap-server", default="127.0.0.1:9092")
    parser.add_argument("--topic", default="hello")
    parser.add_argument("--group", default="my-group")
    args = parser.parse_args(argv)

    from kafka import KafkaConsumer

    consumer = KafkaConsumer(
        args.topic,
        bootstrap_servers=[args.bootstrap_server],
        auto_offset_reset='earliest',
        enable_auto_commit=True,
        group_id=args.group,
        consumer_timeout_ms=1000
    )
    values = []
    partitions = set()
    for message in consumer:
        values.append(message.value.decode())
        partitions.add(message.partition)
    consumer.close()
    return {
        "count": len(values),
        "distinct": len(set(values)),
        "first": values[0] if values else None,
        "last": values[-1] if values else None,
        "partitions": sorted(partitions),
    }


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1:])))
