"""kafka-python 3's delete_records and describe_log_dirs against the broker: records below an
offset are deleted (-1: the high watermark), a consumer then starts at the new log start offset,
an offset beyond the high watermark is refused, and the log directory reports each partition's
size and lag."""
import argparse
import json
import sys


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bootstrap-server", default="127.0.0.1:9092")
    parser.add_argument("--topic", default="trimmed")
    args = parser.parse_args(argv)

    from kafka import KafkaConsumer, KafkaProducer, TopicPartition
    from kafka.admin import KafkaAdminClient
    import kafka.errors as Errors

    admin = KafkaAdminClient(bootstrap_servers=[args.bootstrap_server])
    admin.create_topics({args.topic: {"num_partitions": 2, "replication_factor": 1}})
    producer = KafkaProducer(bootstrap_servers=[args.bootstrap_server])
    for index in range(10):
        producer.send(args.topic, value=b"record-%d" % index, partition=0)
    for index in range(4):
        producer.send(args.topic, value=b"other-%d" % index, partition=1)
    producer.flush()
    producer.close()

    first, second = TopicPartition(args.topic, 0), TopicPartition(args.topic, 1)
    result = {}
    deleted = admin.delete_records({first: 6, second: -1})
    result["low_watermarks"] = {str(tp.partition): entry["low_watermark"] for tp, entry in deleted.items()}
    try:
        admin.delete_records({first: 11})
        result["beyond_end"] = "NoError"
    except Errors.KafkaError as error:
        result["beyond_end"] = type(error).__name__

    consumer = KafkaConsumer(
        bootstrap_servers=[args.bootstrap_server], auto_offset_reset="earliest", enable_auto_commit=False,
        consumer_timeout_ms=5000)
    consumer.assign([first])
    result["beginning"] = consumer.beginning_offsets([first, second])[first]
    result["consumed"] = [message.value.decode() for message in consumer]
    consumer.close()

    dirs = admin.describe_log_dirs({args.topic: [0, 1]})
    result["brokers"] = [entry["broker"] for entry in dirs]
    log_dirs = dirs[0]["log_dirs"]
    result["log_dir_count"] = len(log_dirs)
    result["log_dir_error"] = log_dirs[0]["error_code"]
    partitions = {
        (topic["name"], partition["partition_index"]): partition
        for topic in log_dirs[0]["topics"] for partition in topic["partitions"]}
    result["described_partitions"] = sorted("%s-%d" % key for key in partitions)
    result["sizes_positive"] = all(partition["partition_size"] > 0 for partition in partitions.values())
    result["offset_lags"] = sorted({partition["offset_lag"] for partition in partitions.values()})
    result["usable_bytes_positive"] = log_dirs[0].get("usable_bytes", 0) > 0
    admin.close()
    return result


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1:]), default=str))
