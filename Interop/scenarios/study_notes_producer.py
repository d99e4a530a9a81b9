"""The study notes' producer, unchanged but for the address, topic and acks, then an assigned
consumer that reads the partition back from the beginning.

    producer = KafkaProducer(acks=0, compression_type='gzip', bootstrap_servers=[...],
                             value_serializer=lambda x: dumps(x).encode('utf-8'))
    for i in range(10000):
        producer.send('hello', value={'str': f'result {i}'}); producer.flush()

Returns how many records were sent and read back, whether they came back in order, and how long
the sending took.
"""
import argparse
import json
import sys
import time
from json import dumps


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bootstrap-server", default="127.0.0.1:9092")
    parser.add_argument("--topic", default="hello")
    parser.add_argument("--acks", default="0", help="0, 1 or all")
    parser.add_argument("--count", type=int, default=10000)
    args = parser.parse_args(argv)

    from kafka import KafkaConsumer, KafkaProducer, TopicPartition

    acks = args.acks if args.acks == "all" else int(args.acks)
    producer = KafkaProducer(acks=acks, compression_type='gzip', bootstrap_servers=[args.bootstrap_server],
                             value_serializer=lambda x: dumps(x).encode('utf-8'))
    start = time.time()
    for i in range(args.count):
        data = {'str': f'result {i}'}
        producer.send(args.topic, value=data)
        producer.flush()
    elapsed = time.time() - start
    producer.close()

    consumer = KafkaConsumer(bootstrap_servers=[args.bootstrap_server], enable_auto_commit=False,
                             consumer_timeout_ms=3000, value_deserializer=json.loads)
    partition = TopicPartition(args.topic, 0)
    consumer.assign([partition])
    consumer.seek_to_beginning(partition)
    values = []
    offsets = []
    for message in consumer:
        values.append(message.value['str'])
        offsets.append(message.offset)
    end_offset = consumer.end_offsets([partition])[partition]
    consumer.close()
    expected = [f'result {i}' for i in range(args.count)]
    return {
        "sent": args.count,
        "received": len(values),
        "distinct": len(set(values)),
        "in_order": values == expected,
        "offsets_consecutive": offsets == list(range(offsets[0], offsets[0] + len(offsets))) if offsets else False,
        "end_offset": end_offset,
        "seconds": elapsed,
    }


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1:])))
