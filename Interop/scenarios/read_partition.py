"""Reads a whole partition from the beginning with an assigned consumer and returns
(offset, value) pairs, plus the partition's end offset."""
import argparse
import json
import sys


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bootstrap-server", default="127.0.0.1:9092")
    parser.add_argument("--topic", default="crash")
    parser.add_argument("--partition", type=int, default=0)
    args = parser.parse_args(argv)

    from kafka import KafkaConsumer, TopicPartition

    consumer = KafkaConsumer(bootstrap_servers=[args.bootstrap_server], enable_auto_commit=False, consumer_timeout_ms=3000)
    partition = TopicPartition(args.topic, args.partition)
    consumer.assign([partition])
    consumer.seek_to_beginning(partition)
    end_offset = consumer.end_offsets([partition])[partition]
    records = []
    for message in consumer:
        records.append([message.offset, message.value.decode()])
        if message.offset + 1 >= end_offset:
            break
    consumer.close()
    return {"records": records, "end_offset": end_offset}


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1:])))
