"""kafka-python's admin client against the broker: create, list, describe, delete topics;
describe and alter configs; create partitions; and the error cases, returned as Kafka's error
names and messages."""
import argparse
import json
import sys


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bootstrap-server", default="127.0.0.1:9092")
    args = parser.parse_args(argv)

    from kafka.admin import ConfigResource, ConfigResourceType, KafkaAdminClient
    import kafka.errors as Errors

    admin = KafkaAdminClient(bootstrap_servers=[args.bootstrap_server])
    result = {}

    def outcome(response, key="topics"):
        """(error name, message) of the one topic in a raise_errors=False response."""
        entry = response[key][0]
        return [Errors.for_code(entry["error_code"]).__name__, entry.get("error_message")]

    result["create"] = outcome(admin.create_topics(
        {"admin-a": {"num_partitions": 2, "replication_factor": 1, "configs": {"retention.ms": "3600000"}}}, raise_errors=False))
    result["create_defaults"] = outcome(admin.create_topics({"admin-b": {}}, raise_errors=False))
    result["create_existing"] = outcome(admin.create_topics({"admin-a": {"num_partitions": 1}}, raise_errors=False))
    result["create_rf3"] = outcome(admin.create_topics({"admin-c": {"num_partitions": 1, "replication_factor": 3}}, raise_errors=False))
    result["create_bad_name"] = outcome(admin.create_topics({"bad name!": {"num_partitions": 1}}, raise_errors=False))
    admin.create_topics({"dots.and": {"num_partitions": 1}}, raise_errors=False)
    result["create_colliding"] = outcome(admin.create_topics({"dots_and": {"num_partitions": 1}}, raise_errors=False))
    result["create_bad_config"] = outcome(admin.create_topics(
        {"admin-d": {"num_partitions": 1, "configs": {"retention.ms": "soon"}}}, raise_errors=False))
    result["create_zero_partitions"] = outcome(admin.create_topics({"admin-e": {"num_partitions": 0}}, raise_errors=False))

    result["list"] = sorted(admin.list_topics())
    described = admin.describe_topics(["admin-a"])[0]
    result["describe"] = {
        "name": described["name"],
        "error_code": described["error_code"],
        "partitions": sorted(p["partition_index"] for p in described["partitions"]),
        "leaders": sorted({p["leader_id"] for p in described["partitions"]}),
    }

    configs = admin.describe_configs([ConfigResource(ConfigResourceType.TOPIC, "admin-a")], config_filter="all")
    topic_configs = configs["topic"]["admin-a"]
    result["config_retention"] = _value(topic_configs, "retention.ms")
    result["config_cleanup"] = _value(topic_configs, "cleanup.policy")

    admin.alter_configs([ConfigResource(ConfigResourceType.TOPIC, "admin-a", configs={"retention.ms": "7200000", "cleanup.policy": "compact"})])
    configs = admin.describe_configs([ConfigResource(ConfigResourceType.TOPIC, "admin-a")], config_filter="all")
    topic_configs = configs["topic"]["admin-a"]
    result["altered_retention"] = _value(topic_configs, "retention.ms")
    result["altered_cleanup"] = _value(topic_configs, "cleanup.policy")

    # create_partitions returns the response object itself, not a dict.
    partitions = admin.create_partitions({"admin-a": 4}, raise_errors=False)
    result["create_partitions"] = [Errors.for_code(r.error_code).__name__ for r in partitions.results]
    result["partitions_after"] = len(admin.describe_topics(["admin-a"])[0]["partitions"])
    shrink = admin.create_partitions({"admin-a": 2}, raise_errors=False).results[0]
    result["shrink_partitions"] = [Errors.for_code(shrink.error_code).__name__, shrink.error_message]

    deleted = admin.delete_topics(["admin-b"], raise_errors=False)
    result["delete"] = [Errors.for_code(r["error_code"]).__name__ for r in deleted["topics"]]
    deleted = admin.delete_topics(["no-such-topic"], raise_errors=False)
    result["delete_unknown"] = [Errors.for_code(r["error_code"]).__name__ for r in deleted["topics"]]
    result["list_after_delete"] = sorted(admin.list_topics())
    admin.close()
    return result


def _value(configs, key):
    entry = configs.get(key)
    if isinstance(entry, dict):
        return entry.get("value", entry.get("config_value"))
    return entry


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1:]), default=str))
