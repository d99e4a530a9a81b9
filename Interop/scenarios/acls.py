"""Manages ACLs and SCRAM users through one client's admin API over SASL_PLAINTEXT and reports what
the broker then allows each principal.

Every client logs in as --user with --mechanism. Steps: `setup` (as the super user) creates the
topics and the SCRAM user --new-user; `grant` (as the super user) creates the ACLs below for
User:<--new-user> and reads them back; `check` (as anyone) reports, per action, the Kafka error code
the client saw (0 when it succeeded) and the topics the metadata shows; `revoke` deletes every ACL on
the topics. Scenario contract: see smoke.py.
"""
import argparse
import json
import sys
import time
import uuid

TIMEOUT_SECONDS = 20

# (resource type, name, pattern, operation, permission), in both clients' enum member names.
GRANTS = [
    ("TOPIC", "acl-open", "LITERAL", "READ", "ALLOW"),
    ("TOPIC", "acl-open", "LITERAL", "WRITE", "ALLOW"),
    ("TOPIC", "acl-prefix.", "PREFIXED", "WRITE", "ALLOW"),
    ("TOPIC", "acl-prefix.", "PREFIXED", "CREATE", "ALLOW"),
    ("TOPIC", "acl-prefix.denied", "LITERAL", "WRITE", "DENY"),
    ("GROUP", "acl-readers", "LITERAL", "READ", "ALLOW"),
    ("CLUSTER", "kafka-cluster", "LITERAL", "DESCRIBE", "ALLOW"),
]
# confluent-kafka names the CLUSTER resource type (4) BROKER.
CONFLUENT_RESOURCE_TYPES = {"CLUSTER": "BROKER"}
TOPICS = ["acl-open", "acl-closed", "acl-prefix.one", "acl-prefix.denied"]


def code_of(error):
    """The Kafka error code of a kafka-python or confluent-kafka exception."""
    if error is None:
        return 0
    # kafka-python's create_acls reports error classes, its other calls raise instances.
    value = getattr(error if isinstance(error, type) else type(error), "errno", None)
    if isinstance(value, int):
        return value
    if error.args and hasattr(error.args[0], "code"):
        return error.args[0].code()
    if hasattr(error, "code"):
        return error.code()
    return -1


class KafkaPython:
    def __init__(self, bootstrap, login):
        from kafka.admin import KafkaAdminClient

        self.bootstrap = bootstrap
        self.login = {"security_protocol": "SASL_PLAINTEXT", "sasl_mechanism": login.mechanism,
                      "sasl_plain_username": login.user, "sasl_plain_password": login.password}
        self.principal = f"User:{login.new_user}"
        self.admin = KafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=TIMEOUT_SECONDS * 1000, **self.login)

    def create_user(self, user, password):
        from kafka.admin import UserScramCredentialUpsertion

        errors = self.admin.alter_user_scram_credentials([UserScramCredentialUpsertion(user, "SCRAM-SHA-256", password, iterations=8192)])
        return code_of(errors.get(user))

    def visible_topics(self):
        from kafka import KafkaConsumer

        consumer = KafkaConsumer(bootstrap_servers=self.bootstrap, **self.login)
        try:
            return sorted(topic for topic in consumer.topics() if topic in TOPICS)
        except Exception as error:  # the refusal is what this scenario reports
            return [f"error {code_of(error)}"]
        finally:
            consumer.close()

    def acl(self, grant):
        from kafka.admin import ACL, ACLOperation, ACLPermissionType, ACLResourcePatternType, ResourcePattern, ResourceType

        resource_type, name, pattern, operation, permission = grant
        return ACL(
            principal=self.principal, host="*", operation=ACLOperation[operation], permission_type=ACLPermissionType[permission],
            resource_pattern=ResourcePattern(ResourceType[resource_type], name, ACLResourcePatternType[pattern]))

    def create_topics(self, names):
        from kafka.admin import NewTopic

        self.admin.create_topics([NewTopic(name, 1, 1) for name in names])

    def create_acls(self, grants):
        result = self.admin.create_acls([self.acl(grant) for grant in grants])
        return [code_of(error) for error in result["failed"]]

    def describe_acls(self):
        from kafka.admin import ACLFilter, ACLOperation, ACLPermissionType, ACLResourcePatternType, ResourcePatternFilter, ResourceType

        acls, _ = self.admin.describe_acls(ACLFilter(
            principal=None, host=None, operation=ACLOperation.ANY, permission_type=ACLPermissionType.ANY,
            resource_pattern=ResourcePatternFilter(ResourceType.ANY, None, ACLResourcePatternType.ANY)))
        return sorted([acl.resource_pattern.resource_name, acl.operation.name, acl.permission_type.name] for acl in acls)

    def delete_topic_acls(self):
        from kafka.admin import ACLFilter, ACLOperation, ACLPermissionType, ACLResourcePatternType, ResourcePatternFilter, ResourceType

        results = self.admin.delete_acls([ACLFilter(
            principal=None, host=None, operation=ACLOperation.ANY, permission_type=ACLPermissionType.ANY,
            resource_pattern=ResourcePatternFilter(ResourceType.TOPIC, None, ACLResourcePatternType.ANY))])
        return sum(len(matching) for _, matching, _ in results)

    def produce(self, topic):
        from kafka import KafkaProducer

        producer = KafkaProducer(bootstrap_servers=self.bootstrap, max_block_ms=TIMEOUT_SECONDS * 1000, retries=0, **self.login)
        try:
            producer.send(topic, b"value").get(timeout=TIMEOUT_SECONDS)
            return 0
        except Exception as error:  # the refusal is what this scenario reports
            return code_of(error)
        finally:
            producer.close(timeout=1)

    def consume(self, topic, group):
        from kafka import KafkaConsumer

        consumer = KafkaConsumer(
            topic, bootstrap_servers=self.bootstrap, group_id=group, auto_offset_reset="earliest", consumer_timeout_ms=10_000,
            **self.login)
        try:
            deadline = time.monotonic() + TIMEOUT_SECONDS
            while time.monotonic() < deadline:
                if any(consumer.poll(timeout_ms=500).values()):
                    return 0
            return -1
        except Exception as error:  # the refusal is what this scenario reports
            return code_of(error)
        finally:
            consumer.close()

    def create_topic_code(self, name):
        from kafka.admin import NewTopic

        try:
            self.admin.create_topics([NewTopic(name, 1, 1)])
            return 0
        except Exception as error:  # the refusal is what this scenario reports
            return code_of(error)

    def close(self):
        self.admin.close()


class ConfluentKafka:
    def __init__(self, bootstrap, login):
        from confluent_kafka.admin import AdminClient

        self.settings = {"bootstrap.servers": bootstrap, "security.protocol": "SASL_PLAINTEXT", "sasl.mechanisms": login.mechanism,
                         "sasl.username": login.user, "sasl.password": login.password}
        self.principal = f"User:{login.new_user}"
        self.admin = AdminClient(self.settings)

    def create_user(self, user, password):
        from confluent_kafka.admin import ScramCredentialInfo, ScramMechanism, UserScramCredentialUpsertion

        info = ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 8192)
        try:
            for future in self.admin.alter_user_scram_credentials([UserScramCredentialUpsertion(user, info, password.encode())]).values():
                future.result(TIMEOUT_SECONDS)
            return 0
        except Exception as error:  # reported as its code
            return code_of(error)

    def visible_topics(self):
        try:
            return sorted(topic for topic in self.admin.list_topics(timeout=TIMEOUT_SECONDS).topics if topic in TOPICS)
        except Exception as error:  # the refusal is what this scenario reports
            return [f"error {code_of(error)}"]

    def binding(self, grant):
        from confluent_kafka.admin import AclBinding, AclOperation, AclPermissionType, ResourcePatternType, ResourceType

        resource_type, name, pattern, operation, permission = grant
        return AclBinding(
            ResourceType[CONFLUENT_RESOURCE_TYPES.get(resource_type, resource_type)], name, ResourcePatternType[pattern], self.principal, "*",
            AclOperation[operation],
            AclPermissionType[permission])

    def create_topics(self, names):
        from confluent_kafka.admin import NewTopic

        for future in self.admin.create_topics([NewTopic(name, 1, 1) for name in names]).values():
            future.result(TIMEOUT_SECONDS)

    def create_acls(self, grants):
        codes = []
        for future in self.admin.create_acls([self.binding(grant) for grant in grants]).values():
            try:
                future.result(TIMEOUT_SECONDS)
            except Exception as error:  # reported per binding
                codes.append(code_of(error))
        return codes

    def any_filter(self, resource_type):
        from confluent_kafka.admin import AclBindingFilter, AclOperation, AclPermissionType, ResourcePatternType, ResourceType

        return AclBindingFilter(
            ResourceType[resource_type], None, ResourcePatternType.ANY, None, None, AclOperation.ANY, AclPermissionType.ANY)

    def describe_acls(self):
        bindings = self.admin.describe_acls(self.any_filter("ANY")).result(TIMEOUT_SECONDS)
        return sorted([binding.name, binding.operation.name, binding.permission_type.name] for binding in bindings)

    def delete_topic_acls(self):
        return sum(len(future.result(TIMEOUT_SECONDS)) for future in self.admin.delete_acls([self.any_filter("TOPIC")]).values())

    def produce(self, topic):
        from confluent_kafka import Producer

        outcome = []
        producer = Producer({**self.settings, "message.timeout.ms": TIMEOUT_SECONDS * 1000})
        producer.produce(topic, b"value", on_delivery=lambda error, _: outcome.append(error))
        producer.flush(TIMEOUT_SECONDS)
        if not outcome:
            return -1
        return 0 if outcome[0] is None else outcome[0].code()

    def consume(self, topic, group):
        from confluent_kafka import Consumer

        consumer = Consumer({**self.settings, "group.id": group, "auto.offset.reset": "earliest"})
        consumer.subscribe([topic])
        try:
            deadline = time.monotonic() + TIMEOUT_SECONDS
            while time.monotonic() < deadline:
                message = consumer.poll(0.5)
                if message is None:
                    continue
                return message.error().code() if message.error() else 0
            return -1
        finally:
            consumer.close()

    def create_topic_code(self, name):
        from confluent_kafka.admin import NewTopic

        try:
            for future in self.admin.create_topics([NewTopic(name, 1, 1)]).values():
                future.result(TIMEOUT_SECONDS)
            return 0
        except Exception as error:  # the refusal is what this scenario reports
            return code_of(error)

    def close(self):
        pass


CLIENTS = {"kafka-python": KafkaPython, "confluent-kafka": ConfluentKafka}


def acls_if_allowed(client):
    """Every ACL, or None for a login without DESCRIBE on the cluster."""
    try:
        return client.describe_acls()
    except Exception as error:
        if code_of(error) == 31:  # CLUSTER_AUTHORIZATION_FAILED
            return None
        raise


def main(argv):
    parser = argparse.ArgumentParser(description="Create, check or revoke ACLs with one client.")
    parser.add_argument("--bootstrap-server", default="127.0.0.1:9092")
    parser.add_argument("--client", choices=sorted(CLIENTS), required=True)
    parser.add_argument("--step", choices=["setup", "grant", "check", "revoke"], required=True)
    parser.add_argument("--user", required=True, help="who the client logs in as")
    parser.add_argument("--password", required=True)
    parser.add_argument("--mechanism", default="SCRAM-SHA-256")
    parser.add_argument("--new-user", default="alice", help="the SCRAM user `setup` creates and the ACLs name")
    parser.add_argument("--new-password", default="alice-secret")
    arguments = parser.parse_args(argv)
    client = CLIENTS[arguments.client](arguments.bootstrap_server, arguments)
    try:
        if arguments.step == "setup":
            client.create_topics(TOPICS)
            return {"created_user": client.create_user(arguments.new_user, arguments.new_password)}
        if arguments.step == "grant":
            failed = client.create_acls(GRANTS)
            return {"failed": failed, "acls": client.describe_acls()}
        if arguments.step == "revoke":
            return {"deleted": client.delete_topic_acls(), "acls": client.describe_acls()}
        return {
            "acls": acls_if_allowed(client),
            "produce_open": client.produce("acl-open"),
            "produce_closed": client.produce("acl-closed"),
            "produce_prefixed": client.produce("acl-prefix.one"),
            "produce_denied": client.produce("acl-prefix.denied"),
            "consume_open": client.consume("acl-open", "acl-readers"),
            "consume_other_group": client.consume("acl-open", "acl-strangers-" + uuid.uuid4().hex[:6]),
            "create_topic": client.create_topic_code("acl-new"),
            "create_prefixed_topic": client.create_topic_code("acl-prefix.new-" + uuid.uuid4().hex[:6]),
            "visible_topics": client.visible_topics(),
            "create_acls": client.create_acls(GRANTS[:1]),
        }
    finally:
        client.close()


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1:])))
