"""What a crash test checks after each restart: reads the whole partition as (offset, value) pairs
and the group's committed offset, then commits --commit as the group's new offset and reads it
back, so the next restart can check that it survived."""
import argparse
import json
import sys


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bootstrap-server", default="127.0.0.1:9092")
    parser.add_argument("--topic", default="crash")
    parser.add_argument("--group", default="crash-checker")
    parser.add_argument("--commit", type=int, required=True)
    args = parser.parse_args(argv)

    from kafka import KafkaConsumer, TopicPartition
    from kafka.structs import OffsetAndMetadata

    consumer = KafkaConsumer(bootstrap_servers=[args.bootstrap_server], group_id=args.group,
                             enable_auto_commit=False, consumer_timeout_ms=5000)
    partition = TopicPartition(args.topic, 0)
    consumer.assign([partition])
    committed_before = consumer.committed(partition)
    consumer.seek_to_beginning(partition)
    end_offset = consumer.end_offsets([partition])[partition]
    records = []
    if end_offset > 0:
        for message in consumer:
            records.append([message.offset, message.value.decode()])
            if message.offset + 1 >= end_offset:
                break
    consumer.commit({partition: OffsetAndMetadata(args.commit, "", -1)})
    committed_after = consumer.committed(partition)
    consumer.close()
    return {"records": records, "end_offset": end_offset, "committed_before": committed_before,
            "committed_after": committed_after}


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1:])))
