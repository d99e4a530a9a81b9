"""confluent-kafka's (librdkafka's) AdminClient.delete_records against the broker: the same
partitions and offsets as delete_records.py, with the low watermarks, the refusal of an offset
beyond the high watermark, and where a consumer then starts."""
import argparse
import json
import sys


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bootstrap-server", default="127.0.0.1:9092")
    parser.add_argument("--topic", default="trimmed-confluent")
    args = parser.parse_args(argv)

    from confluent_kafka import KafkaException, Producer, TopicPartition
    from confluent_kafka.admin import AdminClient, NewTopic

    admin = AdminClient({"bootstrap.servers": args.bootstrap_server})
    admin.create_topics([NewTopic(args.topic, num_partitions=2, replication_factor=1)])[args.topic].result(10)
    producer = Producer({"bootstrap.servers": args.bootstrap_server})
    for index in range(10):
        producer.produce(args.topic, value=b"record-%d" % index, partition=0)
    for index in range(4):
        producer.produce(args.topic, value=b"other-%d" % index, partition=1)
    producer.flush(10)

    result = {}
    futures = admin.delete_records([TopicPartition(args.topic, 0, 6), TopicPartition(args.topic, 1, -1)])
    result["low_watermarks"] = {
        str(partition.partition): future.result(10).low_watermark for partition, future in futures.items()}
    beyond = admin.delete_records([TopicPartition(args.topic, 0, 11)])
    try:
        for future in beyond.values():
            future.result(10)
        result["beyond_end"] = "NO_ERROR"
    except KafkaException as error:
        result["beyond_end"] = error.args[0].name()

    from confluent_kafka import Consumer
    consumer = Consumer({"bootstrap.servers": args.bootstrap_server, "group.id": "delete-records-check"})
    low, high = consumer.get_watermark_offsets(TopicPartition(args.topic, 0), timeout=10)
    result["watermarks"] = [low, high]
    consumer.close()
    return result


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1:]), default=str))
