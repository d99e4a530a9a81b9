"""Commits a group's offset --count times in a row (as auto-commit does every interval), to show
that `__consumer_offsets` stays small: compaction keeps only the latest commit per key."""
import argparse
import json
import sys


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bootstrap-server", default="127.0.0.1:9092")
    parser.add_argument("--topic", default="commits")
    parser.add_argument("--group", default="committer")
    parser.add_argument("--count", type=int, default=600)
    args = parser.parse_args(argv)

    from kafka import KafkaConsumer, KafkaProducer, TopicPartition
    from kafka.structs import OffsetAndMetadata

    producer = KafkaProducer(bootstrap_servers=[args.bootstrap_server], acks=1)
    producer.send(args.topic, value=b"x", partition=0).get(timeout=10)
    producer.close()
    consumer = KafkaConsumer(bootstrap_servers=[args.bootstrap_server], group_id=args.group, enable_auto_commit=False)
    partition = TopicPartition(args.topic, 0)
    consumer.assign([partition])
    for n in range(args.count):
        consumer.commit({partition: OffsetAndMetadata(n % 2, "", -1)})
    committed = consumer.committed(partition)
    consumer.close()
    return {"commits": args.count, "committed": committed}


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1:])))
