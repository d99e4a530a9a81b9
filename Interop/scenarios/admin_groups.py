"""kafka-python's admin client on consumer groups: a group consumes a topic to the end and
commits; then list groups, describe the group while a member is inside, list its committed
offsets, compute the lag (log end offset - committed offset), delete the group once empty."""
import argparse
import json
import sys


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bootstrap-server", default="127.0.0.1:9092")
    parser.add_argument("--topic", default="lagging")
    parser.add_argument("--group", default="admin-group")
    args = parser.parse_args(argv)

    from kafka import KafkaConsumer, KafkaProducer, TopicPartition
    from kafka.admin import KafkaAdminClient
    import kafka.errors as Errors

    producer = KafkaProducer(bootstrap_servers=[args.bootstrap_server], acks=1)
    for n in range(30):
        producer.send(args.topic, value=str(n).encode(), partition=0)
    producer.flush()
    producer.close()

    consumer = KafkaConsumer(args.topic, bootstrap_servers=[args.bootstrap_server], group_id=args.group,
                             client_id="admin-test-client", auto_offset_reset="earliest", enable_auto_commit=False,
                             consumer_timeout_ms=3000)
    consumed = sum(1 for _ in consumer)
    consumer.commit()

    admin = KafkaAdminClient(bootstrap_servers=[args.bootstrap_server])
    result = {"consumed": consumed}
    listed = admin.list_groups()
    result["listed"] = sorted(g["group_id"] if isinstance(g, dict) else g[0] for g in listed)

    described = admin.describe_groups([args.group])[args.group]
    result["described"] = {
        "state": described["group_state"],
        "protocol_type": described["protocol_type"],
        "protocol": described["protocol_data"],
        "members": [
            {"client_id": m["client_id"], "client_host": m["client_host"],
             "assignment": sorted(str(tp) for tp in _assigned(m))}
            for m in described["members"]
        ],
    }
    offsets = admin.list_group_offsets({args.group: None})[args.group]
    partition = TopicPartition(args.topic, 0)
    committed = offsets[partition].offset
    end = consumer.end_offsets([partition])[partition]
    result["committed"] = committed
    result["lag"] = end - committed

    result["delete_while_active"] = _delete(admin, args.group, Errors)
    consumer.close()
    result["delete_when_empty"] = _delete(admin, args.group, Errors)
    result["listed_after_delete"] = sorted(g["group_id"] if isinstance(g, dict) else g[0] for g in admin.list_groups())
    admin.close()
    return result


def _assigned(member):
    assignment = member["member_assignment"] or {}
    return [f"{entry['topic']}-{p}" for entry in assignment.get("assigned_partitions", []) for p in entry["partitions"]]


def _delete(admin, group, Errors):
    return admin.delete_groups([group])[group]


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1:]), default=str))
