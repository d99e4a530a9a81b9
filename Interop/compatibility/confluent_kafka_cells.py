"""The matrix cells for confluent-kafka (librdkafka, bundled in its wheel)."""
import copy
import sys
import time
import uuid

import cells
from cells import check, wait_until
from features import SASL_MECHANISMS, SASL_SSL_MECHANISMS


def main(argv):
    arguments = cells.driver_arguments(__doc__, argv)
    import confluent_kafka

    cells.emit(client_version=confluent_kafka.__version__, library=f"librdkafka {confluent_kafka.libversion()[0]}")
    Driver(arguments).run_all()


class Driver:
    def __init__(self, arguments):
        import confluent_kafka
        import confluent_kafka.admin

        self.ck = confluent_kafka
        self.admin_module = confluent_kafka.admin
        self.bootstrap = arguments.bootstrap_server
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
        cells.run_tls_cells(self.cells, "confluent-kafka")
        run("transactions", self.transactions)
        run("read_committed", self.read_committed)
        self.cells.finish()

    # Building blocks

    def produce(self, topic, values, partition=None, keys=None, headers=None, **settings):
        """Produces and returns the delivery reports' offsets; fails on any delivery error."""
        producer = self.ck.Producer({"bootstrap.servers": self.bootstrap, **self.security, **settings})
        reports = []
        for index, value in enumerate(values):
            extra = {"partition": partition} if partition is not None else {}
            producer.produce(topic, value=value, key=keys[index] if keys else None,
                             headers=headers[index] if headers else None,
                             on_delivery=lambda error, message: reports.append((error, message)), **extra)
        remaining = producer.flush(15)
        check(remaining == 0, f"{remaining} messages still undelivered after 15 s")
        errors = [str(error) for error, _ in reports if error]
        check(not errors, f"delivery failed: {errors[:2]}")
        return [message.offset() for _, message in reports]

    def consumer(self, **settings):
        # librdkafka wants a group.id even for assign(), which never joins the group.
        settings = {"bootstrap.servers": self.bootstrap, **self.security, "group.id": f"{self.prefix}-{uuid.uuid4().hex[:8]}",
                    "auto.offset.reset": "earliest", "enable.auto.commit": False, **settings}
        return self.ck.Consumer(settings)

    def admin(self):
        return self.admin_module.AdminClient({"bootstrap.servers": self.bootstrap, **self.security})

    @staticmethod
    def collect(consumer, count, seconds=15):
        records = []
        deadline = time.monotonic() + seconds
        while len(records) < count and time.monotonic() < deadline:
            message = consumer.poll(0.2)
            if message is not None and not message.error():
                records.append(message)
        return records

    def read_back(self, topic, count, **settings):
        consumer = self.consumer(**settings)
        try:
            consumer.subscribe([topic])
            return self.collect(consumer, count)
        finally:
            consumer.close()

    @staticmethod
    def expect_values(records, values):
        got = sorted(r.value() for r in records)
        check(got == sorted(values), f"read back {len(got)} records {got[:3]}…, expected {len(values)}")

    def transactional_producer(self, name):
        producer = self.ck.Producer({"bootstrap.servers": self.bootstrap, "transactional.id": self.topic(name)})
        producer.init_transactions(15)
        return producer

    @staticmethod
    def transact(producer, topic, values, commit):
        producer.begin_transaction()
        for value in values:
            producer.produce(topic, value=value, partition=0)
        producer.flush(15)
        if commit:
            producer.commit_transaction(15)
        else:
            producer.abort_transaction(15)

    # Cells

    def over_sasl(self, mechanism, user, password, tls=False):
        """This driver, connecting to the SASL broker as `user` with `mechanism`; with `tls` to its
        SASL_SSL listener, checking the certificate and host name."""
        driver = copy.copy(self)
        if tls:
            check(self.sasl_ssl_bootstrap, "no SASL_SSL listener was given (--sasl-ssl-bootstrap-server)")
            driver.bootstrap = self.sasl_ssl_bootstrap
            driver.security = {"security.protocol": "SASL_SSL", "ssl.ca.location": self.sasl_ssl_cafile,
                               "ssl.endpoint.identification.algorithm": "https"}
        else:
            check(self.sasl_bootstrap, "no SASL broker was given (--sasl-bootstrap-server)")
            driver.bootstrap = self.sasl_bootstrap
            driver.security = {"security.protocol": "SASL_PLAINTEXT"}
        driver.security.update({"sasl.mechanisms": mechanism, "sasl.username": user, "sasl.password": password})
        return driver

    def sasl_round_trip(self, mechanism, tls=False):
        """Produces and consumes over SASL_PLAINTEXT (or SASL_SSL); the SCRAM-SHA-256 user is created with the
        admin client's alter_user_scram_credentials, logged in as the PLAIN admin."""
        user, password = cells.sasl_credentials(mechanism)
        note = "user from the JAAS line" if mechanism == "PLAIN" else "user from samsa storage format"
        if mechanism == "SCRAM-SHA-256":
            user, password = f"{self.prefix}-{'ssl-' if tls else ''}{mechanism.lower()}", "made-by-admin-client"
            admin = self.over_sasl("PLAIN", "admin", cells.SASL_PLAIN_USERS["admin"]).admin()
            info = self.admin_module.ScramCredentialInfo(self.admin_module.ScramMechanism.SCRAM_SHA_256, 8192)
            futures = admin.alter_user_scram_credentials(
                [self.admin_module.UserScramCredentialUpsertion(user, info, password.encode())])
            for future in futures.values():
                future.result(timeout=15)
            note = "user created with alter_user_scram_credentials"
        driver = self.over_sasl(mechanism, user, password, tls)
        topic = self.topic(f"sasl-{'ssl-' if tls else ''}{mechanism.lower()}")
        values = [f"{mechanism} #{n}".encode() for n in range(3)]
        driver.produce(topic, values)
        got = sorted(m.value() for m in driver.read_back(topic, 3))
        check(got == sorted(values), f"read back {got}")
        return f"3 records produced and read back; {note}"

    def connect_metadata(self):
        metadata = self.admin().list_topics(timeout=10)
        check(len(metadata.brokers) == 1, f"metadata lists {len(metadata.brokers)} brokers")
        broker = next(iter(metadata.brokers.values()))
        check(metadata.controller_id == broker.id, f"controller {metadata.controller_id} is not broker {broker.id}")
        check(broker.host == "127.0.0.1", f"the broker is listed at {broker.host}")
        return "1 broker, at the address it listens on, also the controller"

    def produce_with_acks(self, acks):
        topic = self.topic(f"acks-{acks}")
        values = [f"acks {acks} #{n}".encode() for n in range(5)]
        offsets = self.produce(topic, values, partition=0, acks=str(acks))
        if acks != 0:
            check(offsets == list(range(5)), f"offsets {offsets}")
        self.expect_values(self.read_back(topic, 5), values)
        return "5 records acknowledged and read back" if acks != 0 else "5 records, no response expected, read back"

    def compression(self, codec):
        topic = self.topic(f"codec-{codec}")
        values = [f"{codec} record {n} ".encode() + b"x" * 200 for n in range(20)]
        self.produce(topic, values, partition=0, **{"compression.type": codec, "linger.ms": 20})
        self.expect_values(self.read_back(topic, 20), values)
        return cells.check_stored_codec(self.log_dir, topic, codec)

    def keys_headers(self):
        topic = self.topic("keys-headers")
        keys = [f"key-{n}".encode() for n in range(4)]
        headers = [[("trace", f"t-{n}".encode()), ("empty", b"")] for n in range(4)]
        self.produce(topic, [f"value-{n}".encode() for n in range(4)], keys=keys, headers=headers)
        records = self.read_back(topic, 4)
        got = sorted((r.key(), r.value(), r.headers()) for r in records)
        expected = [(keys[n], f"value-{n}".encode(), headers[n]) for n in range(4)]
        check(got == expected, f"read back {got}")
        return "4 keyed records with 2 headers each"

    def transactions(self):
        topic = self.topic("transactions")
        producer = self.transactional_producer("transactions")
        self.transact(producer, topic, [b"c1", b"c2"], commit=True)
        self.transact(producer, topic, [b"a1"], commit=False)
        self.transact(producer, topic, [b"c3"], commit=True)
        records = self.read_back(topic, 3, **{"isolation.level": "read_committed"})
        check([r.value() for r in records] == [b"c1", b"c2", b"c3"], f"read_committed read {[r.value() for r in records]}")
        return "2 committed transactions visible, the aborted one not"

    def read_committed(self):
        topic = self.topic("read-committed")
        producer = self.transactional_producer("read-committed")
        producer.begin_transaction()
        producer.produce(topic, value=b"open", partition=0)
        producer.flush(15)
        hidden = self.read_back(topic, 1, **{"isolation.level": "read_committed"})
        check(not hidden, f"read_committed saw {len(hidden)} records of an open transaction")
        producer.commit_transaction(15)
        records = self.read_back(topic, 1, **{"isolation.level": "read_committed"})
        check([r.value() for r in records] == [b"open"], f"after the commit read {[r.value() for r in records]}")
        return "an open transaction stays hidden until its commit"

    def idempotent_producer(self):
        topic = self.topic("idempotent")
        values = [f"once #{n}".encode() for n in range(10)]
        offsets = self.produce(topic, values, partition=0, **{"enable.idempotence": True, "acks": "all"})
        check(offsets == list(range(10)), f"offsets {offsets}")
        self.expect_values(self.read_back(topic, 10), values)
        return "enable.idempotence=true: producer id assigned, 10 records once each"

    def consume_earliest(self):
        topic = self.topic("earliest")
        values = [f"early #{n}".encode() for n in range(5)]
        self.produce(topic, values)
        self.expect_values(self.read_back(topic, 5, **{"auto.offset.reset": "earliest"}), values)
        return "all 5 records from offset 0"

    def consume_latest(self):
        topic = self.topic("latest")
        self.produce(topic, [b"old 1", b"old 2"], partition=0)
        # position() only moves with consumed messages; the end-of-partition event says where it sits.
        consumer = self.consumer(**{"auto.offset.reset": "latest", "enable.partition.eof": True})
        try:
            consumer.assign([self.ck.TopicPartition(topic, 0)])

            def end_of_partition():
                message = consumer.poll(0.1)
                if message is not None and message.error() and message.error().code() == self.ck.KafkaError._PARTITION_EOF:
                    return message
            eof = wait_until(end_of_partition, 10, step=0)
            check(eof is not None, "no end-of-partition event within 10 s")
            check(eof.offset() == 2, f"the consumer sits at offset {eof.offset()}, not at the log end offset 2")
            self.produce(topic, [b"new 1", b"new 2", b"new 3"], partition=0)
            records = self.collect(consumer, 3)
            check(sorted(r.value() for r in records) == [b"new 1", b"new 2", b"new 3"],
                  f"read {[r.value() for r in records]}")
            return "starts at the log end offset and reads only new records"
        finally:
            consumer.close()

    def group_commit(self, auto):
        kind = "auto" if auto else "manual"
        topic, group = self.topic(f"group-{kind}"), self.topic(f"group-{kind}")
        values = [f"{kind} #{n}".encode() for n in range(6)]
        self.produce(topic, values)
        settings = {"group.id": group, "enable.auto.commit": auto, "auto.commit.interval.ms": 200,
                    "session.timeout.ms": 6000, "heartbeat.interval.ms": 500}

        def consume(expected):
            consumer = self.consumer(**settings)
            try:
                consumer.subscribe([topic])
                self.expect_values(self.collect(consumer, len(expected)), expected)
                check(not self.collect(consumer, 1, seconds=1), "records before the committed offsets came again")
                if not auto:
                    consumer.commit(asynchronous=False)
            finally:
                consumer.close()  # with auto commit, close() commits what was consumed

        consume(values)
        more = [f"{kind} later #{n}".encode() for n in range(2)]
        self.produce(topic, more)
        consume(more)
        checker = self.consumer(**{"group.id": group})
        try:
            metadata = checker.list_topics(topic, timeout=10)
            partitions = [self.ck.TopicPartition(topic, p) for p in sorted(metadata.topics[topic].partitions)]
            committed = sum(max(tp.offset, 0) for tp in checker.committed(partitions, timeout=10))
        finally:
            checker.close()
        check(committed == 8, f"committed offsets add up to {committed}, not 8")
        return f"{kind} commits: a second consumer resumes after them"

    def group_rebalance(self):
        topic, group = self.topic("rebalance"), self.topic("rebalance")
        for partition in (0, 1):
            self.produce(topic, [f"p{partition} #{n}".encode() for n in range(5)], partition=partition)
        settings = {"group.id": group, "enable.auto.commit": True, "auto.commit.interval.ms": 200,
                    "session.timeout.ms": 6000, "heartbeat.interval.ms": 300}
        members = {name: self.consumer(**settings) for name in ("a", "b")}
        values = set()
        active = ["a"]

        def assigned(name):
            return sorted(tp.partition for tp in members[name].assignment())

        def poll_active():
            for name in active:
                message = members[name].poll(0.1)
                if message is not None and not message.error():
                    values.add(message.value())

        def after_polling(predicate):
            def step():
                poll_active()
                return predicate()
            return step

        try:
            members["a"].subscribe([topic])
            check(wait_until(after_polling(lambda: assigned("a") == [0, 1]), 20, step=0),
                  f"the first member got {assigned('a')}, not both partitions")
            members["b"].subscribe([topic])
            active.append("b")
            split = wait_until(after_polling(
                lambda: assigned("a") and assigned("b") and sorted(assigned("a") + assigned("b")) == [0, 1]), 30, step=0)
            check(split, f"after the second member joined: a={assigned('a')} b={assigned('b')}")
            check(wait_until(after_polling(lambda: len(values) == 10), 15, step=0),
                  f"consumed {len(values)} of 10 distinct records")
        finally:
            for member in members.values():
                member.close()
        return "one partition each after the second member joined; all 10 records consumed"

    def new_topic(self, admin, name, partitions, config=None):
        futures = admin.create_topics(
            [self.admin_module.NewTopic(name, num_partitions=partitions, replication_factor=1, config=config or {})])
        futures[name].result(15)

    def listed(self, admin, name):
        return name in admin.list_topics(timeout=10).topics

    def admin_create_topics(self):
        admin = self.admin()
        name = self.topic("admin-create")
        self.new_topic(admin, name, 3)
        topic = wait_until(lambda: admin.list_topics(name, timeout=10).topics.get(name), 10)
        check(topic is not None and len(topic.partitions) == 3, f"the new topic has {topic and len(topic.partitions)} partitions")
        return "3 partitions"

    def admin_list_topics(self):
        admin = self.admin()
        name = self.topic("admin-list")
        self.new_topic(admin, name, 1)
        check(wait_until(lambda: self.listed(admin, name), 10), f"{name} is not listed")
        return "lists the created topic"

    def admin_describe_topics(self):
        admin = self.admin()
        name = self.topic("admin-describe")
        self.new_topic(admin, name, 2)
        futures = admin.describe_topics(self.ck.TopicCollection([name]))
        description = futures[name].result(15)
        check(description.name == name, f"described {description.name}")
        check(len(description.partitions) == 2, f"{len(description.partitions)} partitions")
        return "2 partitions"

    def admin_delete_records(self):
        topic = self.topic("delete-records")
        self.produce(topic, [f"record {n}".encode() for n in range(5)], partition=0)
        # The client must outlive its futures: librdkafka drops the requests of a destroyed one.
        admin = self.admin()
        futures = admin.delete_records([self.ck.TopicPartition(topic, 0, 3)])
        low_watermark = next(iter(futures.values())).result(15).low_watermark
        check(low_watermark == 3, f"low watermark {low_watermark}")
        consumer = self.consumer()
        try:
            low, high = consumer.get_watermark_offsets(self.ck.TopicPartition(topic, 0), timeout=10)
        finally:
            consumer.close()
        check((low, high) == (3, 5), f"watermarks {low}, {high}")
        return "low watermark 3; ListOffsets earliest answers it"

    def log_append_time(self):
        topic = self.topic("log-append-time")
        self.new_topic(self.admin(), topic, 1, {"message.timestamp.type": "LogAppendTime"})
        before = int(time.time() * 1000)
        producer = self.ck.Producer({"bootstrap.servers": self.bootstrap})
        reports = []
        producer.produce(topic, value=b"stamped", timestamp=1_000_000, on_delivery=lambda e, m: reports.append((e, m)))
        check(producer.flush(15) == 0, "the message is still undelivered after 15 s")
        error, message = reports[0]
        check(error is None, f"delivery failed: {error}")
        after = int(time.time() * 1000)
        kind, stamped = message.timestamp()
        check(kind == self.ck.TIMESTAMP_LOG_APPEND_TIME, f"the delivery report's timestamp type is {kind}")
        check(before <= stamped <= after, f"the delivery report's timestamp is {stamped}")
        records = self.read_back(topic, 1)
        check(len(records) == 1, f"read back {len(records)} records")
        check(records[0].timestamp() == (self.ck.TIMESTAMP_LOG_APPEND_TIME, stamped), f"consumed {records[0].timestamp()}")
        return "the broker's clock replaces the producer's timestamp in the delivery report and when consumed"

    def keyless_compacted_refused(self):
        topic = self.topic("keyless-compacted")
        self.new_topic(self.admin(), topic, 1, {"cleanup.policy": "compact"})
        producer = self.ck.Producer({"bootstrap.servers": self.bootstrap, "retries": 0})
        reports = []
        producer.produce(topic, value=b"no key", on_delivery=lambda e, m: reports.append((e, m)))
        check(producer.flush(15) == 0, "the message is still undelivered after 15 s")
        error = reports[0][0]
        check(error is not None, "the record without a key was accepted")
        check(error.code() == self.ck.KafkaError.INVALID_RECORD, f"refused with {error}")
        return f"delivery report: {error.name()}"

    def dynamic_broker_configs(self):
        """IncrementalAlterConfigs on broker 1, then DescribeConfigs of the broker and of a topic that follows it."""
        key, value = cells.DYNAMIC_BROKER_KEY, cells.DYNAMIC_BROKER_VALUE
        admin = self.admin()
        topic = self.topic("dynamic-broker-configs")
        self.new_topic(admin, topic, 1)
        module = self.admin_module
        broker = module.ConfigResource(module.ResourceType.BROKER, "1")

        def change(operation, new_value):
            entry = module.ConfigEntry(key, new_value, incremental_operation=operation)
            resource = module.ConfigResource(module.ResourceType.BROKER, "1", incremental_configs=[entry])
            next(iter(admin.incremental_alter_configs([resource]).values())).result(15)

        change(module.AlterConfigOpType.SET, value)
        try:
            entry = next(iter(admin.describe_configs([broker]).values())).result(15)[key]
            topic_resource = module.ConfigResource(module.ResourceType.TOPIC, topic)
            followed = next(iter(admin.describe_configs([topic_resource]).values())).result(15)["delete.retention.ms"]
        finally:
            change(module.AlterConfigOpType.DELETE, None)
        check(entry.value == value, f"the broker describes {key}={entry.value}")
        source = getattr(entry.source, "value", entry.source)
        check(source == module.ConfigSource.DYNAMIC_BROKER_CONFIG.value, f"its source is {entry.source}")
        check(followed.value == value, f"the topic's delete.retention.ms is {followed.value}")
        return f"{key} set on broker 1 (DYNAMIC_BROKER_CONFIG); a topic without its own value follows it"

    def compaction_within_a_minute(self):
        topic = self.topic("compaction")
        self.new_topic(self.admin(), topic, 1, {"cleanup.policy": "compact", "segment.ms": "1000"})
        self.produce(topic, [f"v{n}".encode() for n in range(5)], partition=0, keys=[b"k"] * 5)
        # The next record, over segment.ms later, rolls the segment: the duplicates become cleanable.
        time.sleep(1.2)
        self.produce(topic, [b"last"], partition=0, keys=[b"other"])
        start = time.monotonic()

        def compacted():
            return [(r.key(), r.value()) for r in self.read_back(topic, 2)] == [(b"k", b"v4"), (b"other", b"last")]

        check(wait_until(compacted, 40, step=1), "the duplicates of key k are still there after 40 s")
        return f"compacted {time.monotonic() - start:.0f} s after the segment rolled"

    def admin_delete_topics(self):
        admin = self.admin()
        name = self.topic("admin-delete")
        self.new_topic(admin, name, 1)
        check(wait_until(lambda: self.listed(admin, name), 10), "the topic to delete was not created")
        admin.delete_topics([name])[name].result(15)
        check(wait_until(lambda: not self.listed(admin, name), 10), f"{name} is still listed")
        return "gone from the topic list"

    def admin_groups(self):
        """list, describe and offsets share one group with a live member and committed offsets."""
        topic, group = self.topic("admin-groups"), self.topic("admin-groups")
        consumer = self.consumer(**{"group.id": group, "client.id": f"{self.prefix}-member",
                                    "session.timeout.ms": 6000, "heartbeat.interval.ms": 500})
        try:
            self.produce(topic, [f"g #{n}".encode() for n in range(7)], partition=0)
            consumer.subscribe([topic])
            check(len(self.collect(consumer, 7)) == 7, "the group did not consume its 7 records")
            consumer.commit(asynchronous=False)
        except Exception as error:
            reason = f"setting up a group failed: {type(error).__name__}: {error}"
            for feature in ("admin_list_groups", "admin_describe_groups", "admin_group_offsets"):
                self.cells.fail(feature, reason)
            consumer.close()
            return
        admin = self.admin()
        try:
            self.cells.run("admin_list_groups", lambda: self.admin_list_groups(admin, group))
            self.cells.run("admin_describe_groups", lambda: self.admin_describe_groups(admin, group, consumer))
            self.cells.run("admin_group_offsets", lambda: self.admin_group_offsets(admin, group, topic))
        finally:
            consumer.close()

    def admin_list_groups(self, admin, group):
        result = admin.list_consumer_groups().result(15)
        listed = [g.group_id for g in result.valid]
        check(group in listed, f"{group} not in {listed}; errors {result.errors}")
        return "lists the group"

    def admin_describe_groups(self, admin, group, consumer):
        # librdkafka serves the member's heartbeats from its own threads; polling keeps it in the group.
        consumer.poll(0.1)
        description = admin.describe_consumer_groups([group])[group].result(15)
        state = description.state.name
        check(state == "STABLE", f"state {state}")
        clients = [m.client_id for m in description.members]
        check(clients == [f"{self.prefix}-member"], f"members {clients}")
        assigned = sorted(tp.partition for m in description.members for tp in m.assignment.topic_partitions)
        check(assigned == [0, 1], f"assignment {assigned}")
        return "Stable, one member owning both partitions"

    def admin_group_offsets(self, admin, group, topic):
        request = self.ck.ConsumerGroupTopicPartitions(group)
        result = admin.list_consumer_group_offsets([request])[group].result(15)
        committed = {tp.partition: tp.offset for tp in result.topic_partitions if tp.topic == topic}
        check(committed.get(0) == 7, f"committed {committed}")
        return "committed offset 7 on partition 0"

    def offsets_count_records(self):
        topic, group = self.topic("count"), self.topic("count")
        self.produce(topic, [f"c #{n}".encode() for n in range(10)], partition=0,
                     **{"linger.ms": 500, "compression.type": "gzip"})
        batches = cells.stored_batches(self.log_dir, topic) if self.log_dir else []
        if self.log_dir:
            check(sum(n for _, n in batches) == 10, f"stored batches {batches}")
        consumer = self.consumer(**{"group.id": group})
        try:
            tp = self.ck.TopicPartition(topic, 0, 0)
            consumer.assign([tp])
            records = self.collect(consumer, 4)
            check(len(records) >= 4, f"read {len(records)} records")
            consumer.commit(offsets=[self.ck.TopicPartition(topic, 0, 4)], asynchronous=False)
            _, end = consumer.get_watermark_offsets(self.ck.TopicPartition(topic, 0), timeout=10)
            committed = consumer.committed([self.ck.TopicPartition(topic, 0)], timeout=10)[0].offset
        finally:
            consumer.close()
        check(end == 10, f"end offset {end}, not 10")
        check(committed == 4, f"committed {committed}, not 4")
        admin = self.admin()  # kept referenced: a collected AdminClient never completes its futures
        result = admin.list_consumer_group_offsets([self.ck.ConsumerGroupTopicPartitions(group)])[group].result(15)
        lag = end - {tp.partition: tp.offset for tp in result.topic_partitions}[0]
        check(lag == 6, f"lag {lag}, not 6")
        return f"{len(batches) or 'some'} batch(es) of 10 records: end offset 10, lag 6 after committing 4"


if __name__ == "__main__":
    main(sys.argv[1:])
