"""A group consumer that reads at most --max messages, commits what it read and closes.
Returns the offsets it read, so a test can see where a group resumes."""
import argparse
import json
import sys


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bootstrap-server", default="127.0.0.1:9092")
    parser.add_argument("--topic", default="resume")
    parser.add_argument("--group", default="resume-group")
    parser.add_argument("--max", type=int, default=1000000)
    args = parser.parse_args(argv)

    from kafka import KafkaConsumer

    consumer = KafkaConsumer(args.topic, bootstrap_servers=[args.bootstrap_server], group_id=args.group,
                             auto_offset_reset="earliest", enable_auto_commit=False, consumer_timeout_ms=3000,
                             max_poll_records=10)
    offsets = []
    for message in consumer:
        offsets.append(message.offset)
        if len(offsets) >= args.max:
            break
    consumer.commit()
    consumer.close()
    return {"offsets": offsets}


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1:])))
