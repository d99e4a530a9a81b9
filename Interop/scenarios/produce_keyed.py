"""Creates a topic and produces --count records round-robin over its partitions (explicit
partition numbers), so that each partition gets the same number."""
import argparse
import json
import sys


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bootstrap-server", default="127.0.0.1:9092")
    parser.add_argument("--topic", default="members")
    parser.add_argument("--partitions", type=int, default=3)
    parser.add_argument("--count", type=int, default=300)
    args = parser.parse_args(argv)

    from kafka import KafkaProducer
    from kafka.admin import KafkaAdminClient

    admin = KafkaAdminClient(bootstrap_servers=[args.bootstrap_server])
    admin.create_topics({args.topic: {"num_partitions": args.partitions, "replication_factor": 1}}, raise_errors=False)
    admin.close()
    producer = KafkaProducer(bootstrap_servers=[args.bootstrap_server], acks=1, linger_ms=5)
    for n in range(args.count):
        producer.send(args.topic, value=str(n).encode(), partition=n % args.partitions)
    producer.flush()
    producer.close()
    return {"produced": args.count}


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1:])))
