"""The matrix cells for kafka-python, 3.x or 2.0.2: whichever `kafka` package is on PYTHONPATH.
Both import as `kafka`; where their APIs differ (admin method names, idempotence) the cell says so."""
import copy
import sys
import threading
import time

import cells
from cells import CellFailed, Unsupported, check, wait_until
from features import SASL_MECHANISMS, SASL_SSL_MECHANISMS


def main(argv):
    arguments = cells.driver_arguments(__doc__, argv)
    import kafka

    cells.emit(client_version=kafka.__version__)
    Driver(arguments).run_all()


class Driver:
    def __init__(self, arguments):
        import kafka

        self.kafka = kafka
        self.major = int(kafka.__version__.split(".")[0])
        self.bootstrap = [arguments.bootstrap_server]
        self.sasl_bootstrap = arguments.sasl_bootstrap_server
        self.sasl_ssl_bootstrap = arguments.sasl_ssl_bootstrap_server
        self.sasl_ssl_cafile = arguments.sasl_ssl_cafile
        # Client settings every producer, consumer and admin client gets: the SASL cells' login.
        self.security = {}
        self.log_dir = arguments.log_dir
        self.prefix = arguments.prefix
        self.cells = cells.Cells(arguments)

    def topic(self, name):
        return f"{self.prefix}-{name}"

    def run_all(self):
        run = self.cells.run
        run("connect_metadata", self.connect_metadata)
        for acks in (0, 1, "all"):
            run(f"produce_acks_{acks}", lambda acks=acks: self.produce_with_acks(acks))
        for codec in ("gzip", "lz4", "zstd", "snappy"):
            run(f"compression_{codec}", lambda codec=codec: self.compression(codec))
        run("keys_headers", self.keys_headers)
        run("idempotent_producer", self.idempotent_producer)
        run("consume_earliest", self.consume_earliest)
        run("consume_latest", self.consume_latest)
        run("group_auto_commit", lambda: self.group_commit(auto=True))
        run("group_manual_commit", lambda: self.group_commit(auto=False))
        run("group_rebalance", self.group_rebalance)
        run("admin_create_topics", self.admin_create_topics)
        run("admin_list_topics", self.admin_list_topics)
        run("admin_describe_topics", self.admin_describe_topics)
        run("admin_delete_topics", self.admin_delete_topics)
        self.admin_groups()
        run("offsets_count_records", self.offsets_count_records)
        run("admin_delete_records", self.admin_delete_records)
        for feature, mechanism in SASL_MECHANISMS.items():
            run(feature, lambda mechanism=mechanism: self.sasl_round_trip(mechanism))
        for feature, mechanism in SASL_SSL_MECHANISMS.items():
            run(feature, lambda mechanism=mechanism: self.sasl_round_trip(mechanism, tls=True))
        run("log_append_time", self.log_append_time)
        run("keyless_compacted_refused", self.keyless_compacted_refused)
        run("compaction_within_a_minute", self.compaction_within_a_minute)
        run("dynamic_broker_configs", self.dynamic_broker_configs)
        cells.run_tls_cells(self.cells, "kafka-python")
        run("transactions", self.transactions)
        run("read_committed", self.read_committed)
        self.cells.finish()

    # Building blocks

    def producer(self, **settings):
        return self.kafka.KafkaProducer(bootstrap_servers=self.bootstrap, **self.security, **settings)

    def consumer(self, *topics, **settings):
        settings.setdefault("auto_offset_reset", "earliest")
        settings.setdefault("enable_auto_commit", False)
        return self.kafka.KafkaConsumer(*topics, bootstrap_servers=self.bootstrap, **self.security, **settings)

    def admin(self):
        return self.kafka.admin.KafkaAdminClient(bootstrap_servers=self.bootstrap, **self.security)

    def group_consumer(self, topic, **settings):
        """A group member subscribed to `topic` once the topic's partitions are known. Joining
        before that gives an empty assignment and a second rebalance as soon as the metadata
        arrives, and kafka-python 3.0.12 now and then never applies the assignment of a SyncGroup
        response that lands together with a metadata response (seen with
        group.initial.rebalance.delay.ms=0, which answers the first join at once)."""
        consumer = self.consumer(**settings)
        check(wait_until(lambda: consumer.partitions_for_topic(topic), 10), f"no partitions known for {topic}")
        consumer.subscribe([topic])
        return consumer

    def produce(self, topic, values, partition=None, **settings):
        producer = self.producer(**settings)
        try:
            futures = [producer.send(topic, value=v, partition=partition) for v in values]
            producer.flush(timeout=15)
            return [f.get(timeout=15) for f in futures]
        finally:
            producer.close(timeout=5)

    @staticmethod
    def collect(consumer, count, seconds=15):
        records = []
        deadline = time.monotonic() + seconds
        while len(records) < count and time.monotonic() < deadline:
            for batch in consumer.poll(timeout_ms=200).values():
                records.extend(batch)
        return records

    def read_back(self, topic, count, **settings):
        consumer = self.consumer(topic, **settings)
        try:
            return self.collect(consumer, count)
        finally:
            consumer.close()

    def expect_values(self, records, values):
        got = sorted(r.value for r in records)
        check(got == sorted(values), f"read back {len(got)} records {got[:3]}…, expected {len(values)}")

    def end_offsets(self, consumer, topic):
        partitions = wait_until(lambda: consumer.partitions_for_topic(topic), 10)
        check(partitions, f"no partitions known for {topic}")
        tps = [self.kafka.TopicPartition(topic, p) for p in sorted(partitions)]
        return consumer.end_offsets(tps)

    def over_sasl(self, mechanism, user, password, tls=False):
        """This driver, connecting to the SASL broker as `user` with `mechanism`; with `tls` to its
        SASL_SSL listener, checking the certificate and host name."""
        driver = copy.copy(self)
        if tls:
            check(self.sasl_ssl_bootstrap, "no SASL_SSL listener was given (--sasl-ssl-bootstrap-server)")
            driver.bootstrap = [self.sasl_ssl_bootstrap]
            driver.security = {"security_protocol": "SASL_SSL", "ssl_cafile": self.sasl_ssl_cafile, "ssl_check_hostname": True}
        else:
            check(self.sasl_bootstrap, "no SASL broker was given (--sasl-bootstrap-server)")
            driver.bootstrap = [self.sasl_bootstrap]
            driver.security = {"security_protocol": "SASL_PLAINTEXT"}
        driver.security.update(sasl_mechanism=mechanism, sasl_plain_username=user, sasl_plain_password=password)
        return driver

    # Cells

    def sasl_round_trip(self, mechanism, tls=False):
        """Produces and consumes over SASL_PLAINTEXT (or SASL_SSL). kafka-python 3 has
        AlterUserScramCredentials: it creates its SCRAM user itself, logged in as the PLAIN admin."""
        user, password = cells.sasl_credentials(mechanism)
        note = "user from the JAAS line" if mechanism == "PLAIN" else "user from samsa storage format"
        if mechanism != "PLAIN" and self.major >= 3:
            from kafka.admin import UserScramCredentialUpsertion

            user, password = f"{self.prefix}-{'ssl-' if tls else ''}{mechanism.lower()}", "made-by-admin-client"
            admin = self.over_sasl("PLAIN", "admin", cells.SASL_PLAIN_USERS["admin"]).admin()
            try:
                errors = admin.alter_user_scram_credentials(
                    [UserScramCredentialUpsertion(user, mechanism, password, iterations=8192)])
                check(errors == {user: None}, f"alter_user_scram_credentials answered {errors}")
            finally:
                admin.close()
            note = "user created with alter_user_scram_credentials"
        driver = self.over_sasl(mechanism, user, password, tls)
        topic = self.topic(f"sasl-{'ssl-' if tls else ''}{mechanism.lower()}")
        values = [f"{mechanism} #{n}".encode() for n in range(3)]
        driver.produce(topic, values)
        driver.expect_values(driver.read_back(topic, 3), values)
        return f"3 records produced and read back; {note}"

    def connect_metadata(self):
        consumer = self.consumer()
        try:
            check(isinstance(consumer.topics(), set), "topics() did not answer")
            brokers = consumer._client.cluster.brokers()
            check(len(brokers) == 1, f"metadata lists {len(brokers)} brokers")
            broker = next(iter(brokers))
            check(broker.host == "127.0.0.1", f"the broker is listed at {broker.host}")
            return "1 broker, at the address it listens on"
        finally:
            consumer.close()

    def produce_with_acks(self, acks):
        topic = self.topic(f"acks-{acks}")
        values = [f"acks {acks} #{n}".encode() for n in range(5)]
        settings = {"acks": acks}
        metadata = self.produce(topic, values, partition=0, **settings)
        if acks != 0:
            check([m.offset for m in metadata] == list(range(5)), f"offsets {[m.offset for m in metadata]}")
        self.expect_values(self.read_back(topic, 5), values)
        return "5 records acknowledged and read back" if acks != 0 else "5 records, no response expected, read back"

    def compression(self, codec):
        topic = self.topic(f"codec-{codec}")
        # Compressible values: kafka-python sends a batch uncompressed when compressing does not shrink it.
        values = [f"{codec} record {n} ".encode() + b"x" * 200 for n in range(20)]
        self.produce(topic, values, partition=0, compression_type=codec, linger_ms=20)
        self.expect_values(self.read_back(topic, 20), values)
        return cells.check_stored_codec(self.log_dir, topic, codec)

    def keys_headers(self):
        topic = self.topic("keys-headers")
        producer = self.producer()
        try:
            for n in range(4):
                producer.send(topic, key=f"key-{n}".encode(), value=f"value-{n}".encode(),
                              headers=[("trace", f"t-{n}".encode()), ("empty", b"")])
            producer.flush(timeout=15)
        finally:
            producer.close(timeout=5)
        records = self.read_back(topic, 4)
        got = sorted((r.key, r.value, [(k, v) for k, v in r.headers]) for r in records)
        expected = [(f"key-{n}".encode(), f"value-{n}".encode(), [("trace", f"t-{n}".encode()), ("empty", b"")])
                    for n in range(4)]
        check(got == expected, f"read back {got}")
        return "4 keyed records with 2 headers each"

    def idempotent_producer(self):
        if self.major < 3:
            raise Unsupported("kafka-python 2.0.2 has no idempotent producer")
        topic = self.topic("idempotent")
        values = [f"once #{n}".encode() for n in range(10)]
        metadata = self.produce(topic, values, partition=0, acks="all", enable_idempotence=True)
        check([m.offset for m in metadata] == list(range(10)), f"offsets {[m.offset for m in metadata]}")
        self.expect_values(self.read_back(topic, 10), values)
        return "enable_idempotence=True: producer id assigned, 10 records once each"

    def consume_earliest(self):
        topic = self.topic("earliest")
        values = [f"early #{n}".encode() for n in range(5)]
        self.produce(topic, values)
        self.expect_values(self.read_back(topic, 5, auto_offset_reset="earliest"), values)
        return "all 5 records from offset 0"

    def consume_latest(self):
        topic = self.topic("latest")
        self.produce(topic, [b"old 1", b"old 2"], partition=0)
        consumer = self.consumer(auto_offset_reset="latest")
        try:
            tp = self.kafka.TopicPartition(topic, 0)
            consumer.assign([tp])
            check(consumer.position(tp) == 2, f"position {consumer.position(tp)} is not the log end offset 2")
            self.produce(topic, [b"new 1", b"new 2", b"new 3"], partition=0)
            records = self.collect(consumer, 3)
            check(sorted(r.value for r in records) == [b"new 1", b"new 2", b"new 3"],
                  f"read {[r.value for r in records]}")
            return "starts at the log end offset and reads only new records"
        finally:
            consumer.close()

    def group_commit(self, auto):
        kind = "auto" if auto else "manual"
        topic, group = self.topic(f"group-{kind}"), self.topic(f"group-{kind}")
        values = [f"{kind} #{n}".encode() for n in range(6)]
        self.produce(topic, values)
        settings = {"group_id": group, "enable_auto_commit": auto, "auto_commit_interval_ms": 200,
                    "session_timeout_ms": 6000, "heartbeat_interval_ms": 500}
        consumer = self.group_consumer(topic, **settings)
        try:
            self.expect_values(self.collect(consumer, 6), values)
            # Polling on lets a rebalance the client started by itself finish before the commit.
            check(not self.collect(consumer, 1, seconds=1), "a record came twice")
            if not auto:
                consumer.commit()
        finally:
            consumer.close()  # with auto commit, close() commits what was consumed
        more = [f"{kind} later #{n}".encode() for n in range(2)]
        self.produce(topic, more)
        consumer = self.group_consumer(topic, **settings)
        try:
            self.expect_values(self.collect(consumer, 2), more)
            check(not self.collect(consumer, 1, seconds=1), "records before the committed offsets came again")
            if not auto:
                consumer.commit()
        finally:
            consumer.close()
        # A consumer that only asks (never subscribes) does not join the group.
        checker = self.consumer(group_id=group)
        try:
            partitions = [self.kafka.TopicPartition(topic, p) for p in sorted(checker.partitions_for_topic(topic))]
            committed = sum(checker.committed(tp) or 0 for tp in partitions)
        finally:
            checker.close()
        check(committed == 8, f"committed offsets add up to {committed}, not 8")
        return f"{'auto' if auto else 'manual'} commits: a second consumer resumes after them"

    def group_rebalance(self):
        topic, group = self.topic("rebalance"), self.topic("rebalance")
        for partition in (0, 1):
            self.produce(topic, [f"p{partition} #{n}".encode() for n in range(5)], partition=partition)
        members = {name: Member(self, topic, group) for name in ("a", "b")}
        members["a"].start()
        try:
            check(wait_until(lambda: members["a"].assigned == [0, 1], 20),
                  f"the first member got {members['a'].assigned}, not both partitions")
            members["b"].start()
            split = wait_until(lambda: sorted(members["a"].assigned + members["b"].assigned) == [0, 1]
                               and members["a"].assigned and members["b"].assigned, 30)
            check(split, f"after the second member joined: a={members['a'].assigned} b={members['b'].assigned}")
            everything = wait_until(lambda: len(members["a"].values | members["b"].values) == 10, 15)
            check(everything, f"consumed {len(members['a'].values | members['b'].values)} of 10 distinct records")
        finally:
            for member in members.values():
                member.stop()
        for member in members.values():
            if member.error:
                raise CellFailed(f"a member failed: {member.error}")
        return "one partition each after the second member joined; all 10 records consumed"

    def admin_create_topics(self):
        admin = self.admin()
        try:
            name = self.topic("admin-create")
            admin.create_topics([self.kafka.admin.NewTopic(name, 3, 1)])
            consumer = self.consumer()
            try:
                partitions = wait_until(lambda: consumer.partitions_for_topic(name), 10)
            finally:
                consumer.close()
            check(partitions == {0, 1, 2}, f"the new topic has partitions {partitions}")
            return "3 partitions"
        finally:
            admin.close()

    def admin_list_topics(self):
        admin = self.admin()
        try:
            name = self.topic("admin-list")
            admin.create_topics([self.kafka.admin.NewTopic(name, 1, 1)])
            listed = wait_until(lambda: name in admin.list_topics(), 10)
            check(listed, f"{name} is not listed")
            return "lists the created topic"
        finally:
            admin.close()

    def admin_describe_topics(self):
        admin = self.admin()
        try:
            name = self.topic("admin-describe")
            admin.create_topics([self.kafka.admin.NewTopic(name, 2, 1)])
            described = admin.describe_topics([name])
            check(len(described) == 1, f"described {described}")
            topic = described[0]
            check((topic.get("name") or topic.get("topic")) == name, f"described {topic}")
            check(topic.get("error_code", 0) == 0, f"error code {topic.get('error_code')}")
            check(len(topic["partitions"]) == 2, f"{len(topic['partitions'])} partitions")
            return "2 partitions with leader 0"
        finally:
            admin.close()

    def admin_delete_topics(self):
        admin = self.admin()
        try:
            name = self.topic("admin-delete")
            admin.create_topics([self.kafka.admin.NewTopic(name, 1, 1)])
            check(wait_until(lambda: name in admin.list_topics(), 10), "the topic to delete was not created")
            admin.delete_topics([name])
            check(wait_until(lambda: name not in admin.list_topics(), 10), f"{name} is still listed")
            return "gone from the topic list"
        finally:
            admin.close()

    def admin_groups(self):
        """list, describe and offsets share one group with a live member and committed offsets."""
        topic, group = self.topic("admin-groups"), self.topic("admin-groups")
        try:
            self.produce(topic, [f"g #{n}".encode() for n in range(7)], partition=0)
            consumer = self.group_consumer(topic, group_id=group, client_id=f"{self.prefix}-member",
                                           session_timeout_ms=6000, heartbeat_interval_ms=500)
            check(len(self.collect(consumer, 7)) == 7, "the group did not consume its 7 records")
            consumer.commit()
        except Exception as error:
            reason = f"setting up a group failed: {type(error).__name__}: {error}"
            for feature in ("admin_list_groups", "admin_describe_groups", "admin_group_offsets"):
                self.cells.fail(feature, reason)
            return
        admin = self.admin()
        try:
            self.cells.run("admin_list_groups", lambda: self.admin_list_groups(admin, group))
            self.cells.run("admin_describe_groups", lambda: self.admin_describe_groups(admin, group))
            self.cells.run("admin_group_offsets", lambda: self.admin_group_offsets(admin, group, topic))
        finally:
            admin.close()
            consumer.close()

    def admin_list_groups(self, admin, group):
        if self.major >= 3:
            listed = [g["group_id"] if isinstance(g, dict) else g[0] for g in admin.list_groups()]
        else:
            listed = [g[0] for g in admin.list_consumer_groups()]
        check(group in listed, f"{group} not in {listed}")
        return "lists the group"

    def admin_describe_groups(self, admin, group):
        if self.major >= 3:
            described = admin.describe_groups([group])[group]
            state, members = described["group_state"], described["members"]
            clients = [m["client_id"] for m in members]
            assigned = [p for m in members for entry in (m["member_assignment"] or {}).get("assigned_partitions", [])
                        for p in entry["partitions"]]
        else:
            described = admin.describe_consumer_groups([group])[0]
            state, members = described.state, described.members
            clients = [m.client_id for m in members]
            assigned = [p for m in members for _, partitions in m.member_assignment.assignment for p in partitions]
        check(state == "Stable", f"state {state}")
        check(clients == [f"{self.prefix}-member"], f"members {clients}")
        check(sorted(assigned) == [0, 1], f"assignment {assigned}")
        return "Stable, one member owning both partitions"

    def admin_group_offsets(self, admin, group, topic):
        if self.major >= 3:
            offsets = admin.list_group_offsets({group: None})[group]
        else:
            offsets = admin.list_consumer_group_offsets(group)
        committed = {tp.partition: meta.offset for tp, meta in offsets.items() if tp.topic == topic}
        check(committed.get(0) == 7, f"committed {committed}")
        return "committed offset 7 on partition 0"

    def offsets_count_records(self):
        topic, group = self.topic("count"), self.topic("count")
        # One batch of 10 records: linger long enough for all of them, then flush.
        self.produce(topic, [f"c #{n}".encode() for n in range(10)], partition=0, linger_ms=500, compression_type="gzip")
        if self.log_dir:
            batches = cells.stored_batches(self.log_dir, topic)
            check(sum(n for _, n in batches) == 10, f"stored batches {batches}")
        consumer = self.consumer(group_id=group)
        try:
            tp = self.kafka.TopicPartition(topic, 0)
            consumer.assign([tp])
            records = self.collect(consumer, 4)
            check(len(records) >= 4, f"read {len(records)} records")
            consumer.commit({tp: self.offset_and_metadata(4)})
            end = consumer.end_offsets([tp])[tp]
            committed = consumer.committed(tp)
        finally:
            consumer.close()
        check(end == 10, f"end offset {end}, not 10")
        check(committed == 4, f"committed {committed}, not 4")
        admin = self.admin()
        try:
            if self.major >= 3:
                offsets = admin.list_group_offsets({group: None})[group]
            else:
                offsets = admin.list_consumer_group_offsets(group)
        finally:
            admin.close()
        lag = end - offsets[tp].offset
        check(lag == 6, f"lag {lag}, not 6")
        return f"{len(batches) if self.log_dir else 'some'} batch(es) of 10 records: end offset 10, lag 6 after committing 4"

    def admin_delete_records(self):
        if self.major < 3:
            raise Unsupported("kafka-python 2.0.2 has no delete_records")
        topic = self.topic("delete-records")
        self.produce(topic, [f"record {n}".encode() for n in range(5)], partition=0)
        partition = self.kafka.TopicPartition(topic, 0)
        admin = self.admin()
        try:
            low_watermark = admin.delete_records({partition: 3})[partition]["low_watermark"]
        finally:
            admin.close()
        check(low_watermark == 3, f"low watermark {low_watermark}")
        offsets = sorted(r.offset for r in self.read_back(topic, 2))
        check(offsets == [3, 4], f"a consumer from earliest read offsets {offsets}")
        return "low watermark 3; a consumer from earliest starts there"

    def dynamic_broker_configs(self):
        """AlterConfigs on broker 1, then DescribeConfigs of the broker and of a topic that follows it."""
        from kafka.admin import ConfigResource, ConfigResourceType

        key, value = cells.DYNAMIC_BROKER_KEY, cells.DYNAMIC_BROKER_VALUE
        topic = self.topic("dynamic-broker-configs")
        self.create_topic(topic)
        admin = self.admin()
        try:
            admin.alter_configs([ConfigResource(ConfigResourceType.BROKER, "1", configs={key: value})])
            try:
                broker = admin.describe_configs([ConfigResource(ConfigResourceType.BROKER, "1", configs={key: None})])
                every_topic_config = {"config_filter": "all"} if self.major >= 3 else {}
                topic_configs = admin.describe_configs([ConfigResource(ConfigResourceType.TOPIC, topic)], **every_topic_config)
            finally:
                if self.major >= 3:
                    admin.reset_configs([ConfigResource(ConfigResourceType.BROKER, "1", configs={key: None})])
                else:
                    # 2.0.2 sends AlterConfigs, which replaces the broker's whole set.
                    admin.alter_configs([ConfigResource(ConfigResourceType.BROKER, "1", configs={})])
        finally:
            admin.close()
        if self.major < 3:
            entries = {entry[0]: entry[1] for entry in broker[0].resources[0][4]}
            topic_entries = {entry[0]: entry[1] for entry in topic_configs[0].resources[0][4]}
            check(entries.get(key) == value, f"the broker describes {key}={entries.get(key)}")
            followed = topic_entries.get("delete.retention.ms")
            check(followed == value, f"the topic's delete.retention.ms is {followed}")
            return f"{key} set on broker 1; a topic without its own value follows it"
        entry = broker["broker"]["1"][key]
        check(entry["value"] == value, f"the broker describes {key}={entry['value']}")
        check(str(entry["config_source"]).endswith("DYNAMIC_BROKER_CONFIG"), f"its source is {entry['config_source']}")
        followed = topic_configs["topic"][topic]["delete.retention.ms"]
        check(followed["value"] == value, f"the topic's delete.retention.ms is {followed['value']}")
        return f"{key} set on broker 1 (DYNAMIC_BROKER_CONFIG); a topic without its own value follows it"

    def create_topic(self, name, **configs):
        admin = self.admin()
        try:
            admin.create_topics([self.kafka.admin.NewTopic(name, 1, 1, topic_configs=configs)])
        finally:
            admin.close()

    def log_append_time(self):
        topic = self.topic("log-append-time")
        self.create_topic(topic, **{"message.timestamp.type": "LogAppendTime"})
        before = int(time.time() * 1000)
        producer = self.producer()
        try:
            metadata = producer.send(topic, value=b"stamped", timestamp_ms=1_000_000).get(timeout=15)
        finally:
            producer.close(timeout=5)
        after = int(time.time() * 1000)
        check(before <= metadata.timestamp <= after, f"the send's metadata has timestamp {metadata.timestamp}")
        records = self.read_back(topic, 1)
        check(len(records) == 1, f"read back {len(records)} records")
        record = records[0]
        check(record.timestamp_type == 1, f"timestamp type {record.timestamp_type}")
        check(record.timestamp == metadata.timestamp, f"consumed timestamp {record.timestamp}, produced {metadata.timestamp}")
        return "the broker's clock replaces the producer's timestamp (type 1) in the send's metadata and when consumed"

    def keyless_compacted_refused(self):
        topic = self.topic("keyless-compacted")
        self.create_topic(topic, **{"cleanup.policy": "compact"})
        producer = self.producer(retries=0)
        try:
            future = producer.send(topic, value=b"no key")
            producer.flush(timeout=15)
            try:
                future.get(timeout=15)
            except self.kafka.errors.KafkaError as error:
                refusal = error
            else:
                raise CellFailed("the record without a key was accepted")
        finally:
            producer.close(timeout=5)
        consumer = self.consumer()
        try:
            stored = self.end_offsets(consumer, topic)
        finally:
            consumer.close()
        check(list(stored.values()) == [0], f"end offsets {stored}: the refused record was stored")
        if self.major >= 3:
            check(isinstance(refusal, self.kafka.errors.InvalidRecordError), f"refused with {refusal!r}")
            check("Compacted topic cannot accept message without key" in str(refusal), f"refused with {refusal}")
            return "InvalidRecordError with the broker's record error message; nothing stored"
        return f"refused with {type(refusal).__name__} (kafka-python 2.0.2 predates INVALID_RECORD); nothing stored"

    def compaction_within_a_minute(self):
        topic = self.topic("compaction")
        self.create_topic(topic, **{"cleanup.policy": "compact", "segment.ms": "1000"})
        producer = self.producer()
        try:
            for n in range(5):
                producer.send(topic, key=b"k", value=f"v{n}".encode(), partition=0)
            producer.flush(timeout=15)
            # The next record, over segment.ms later, rolls the segment: the duplicates become cleanable.
            time.sleep(1.2)
            producer.send(topic, key=b"other", value=b"last", partition=0).get(timeout=15)
        finally:
            producer.close(timeout=5)
        start = time.monotonic()

        def compacted():
            return [(r.key, r.value) for r in self.read_back(topic, 2)] == [(b"k", b"v4"), (b"other", b"last")]

        check(wait_until(compacted, 40, step=1), "the duplicates of key k are still there after 40 s")
        return f"compacted {time.monotonic() - start:.0f} s after the segment rolled"
    def transactional_producer(self, name):
        if self.major < 3:
            raise Unsupported("kafka-python 2.0.2 has no transactional producer")
        producer = self.producer(transactional_id=self.topic(name))
        producer.init_transactions()
        return producer

    def transact(self, producer, topic, values, commit):
        producer.begin_transaction()
        for value in values:
            producer.send(topic, value=value, partition=0)
        producer.flush(timeout=15)
        if commit:
            producer.commit_transaction()
        else:
            producer.abort_transaction()

    def transactions(self):
        topic = self.topic("transactions")
        producer = self.transactional_producer("transactions")
        try:
            self.transact(producer, topic, [b"c1", b"c2"], commit=True)
            self.transact(producer, topic, [b"a1"], commit=False)
            self.transact(producer, topic, [b"c3"], commit=True)
        finally:
            producer.close(timeout=5)
        records = self.read_back(topic, 3, auto_offset_reset="earliest", isolation_level="read_committed")
        check([r.value for r in records] == [b"c1", b"c2", b"c3"], f"read_committed read {[r.value for r in records]}")
        return "2 committed transactions visible, the aborted one not"

    def read_committed(self):
        topic = self.topic("read-committed")
        producer = self.transactional_producer("read-committed")
        try:
            producer.begin_transaction()
            producer.send(topic, value=b"open", partition=0)
            producer.flush(timeout=15)
            hidden = self.read_back(topic, 1, auto_offset_reset="earliest", isolation_level="read_committed")
            check(not hidden, f"read_committed saw {len(hidden)} records of an open transaction")
            producer.commit_transaction()
        finally:
            producer.close(timeout=5)
        records = self.read_back(topic, 1, auto_offset_reset="earliest", isolation_level="read_committed")
        check([r.value for r in records] == [b"open"], f"after the commit read {[r.value for r in records]}")
        return "an open transaction stays hidden until its commit"

    def offset_and_metadata(self, offset):
        structs = self.kafka.structs
        fields = structs.OffsetAndMetadata._fields
        # kafka-python 3 added leader_epoch to OffsetAndMetadata.
        return structs.OffsetAndMetadata(offset, "", -1) if "leader_epoch" in fields else structs.OffsetAndMetadata(offset, "")


class Member:
    """One group member on its own thread: kafka-python joins and rebalances inside poll()."""

    def __init__(self, driver, topic, group):
        self.driver, self.topic, self.group = driver, topic, group
        self.assigned, self.values, self.error = [], set(), None
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self.loop, daemon=True)

    def start(self):
        self.thread.start()

    def loop(self):
        try:
            consumer = self.driver.group_consumer(self.topic, group_id=self.group, enable_auto_commit=True,
                                                  auto_commit_interval_ms=200, session_timeout_ms=6000,
                                                  heartbeat_interval_ms=300)
            deadline = time.monotonic() + 60
            while not self.stopping.is_set() and time.monotonic() < deadline:
                for batch in consumer.poll(timeout_ms=200).values():
                    self.values.update(r.value for r in batch)
                self.assigned = sorted(tp.partition for tp in consumer.assignment())
            consumer.close()
        except Exception as error:
            self.error = f"{type(error).__name__}: {error}"

    def stop(self):
        self.stopping.set()
        if self.thread.ident is not None:  # never started when an earlier check failed
            self.thread.join(15)


if __name__ == "__main__":
    main(sys.argv[1:])
