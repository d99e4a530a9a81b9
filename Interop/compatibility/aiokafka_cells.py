"""The matrix cells for aiokafka. Each cell runs its own asyncio event loop, so a cell that hangs
inside the client cannot hold up the next one."""
import asyncio
import copy
import sys
import time

import cells
from cells import CellFailed, check
from features import SASL_MECHANISMS, SASL_SSL_MECHANISMS


def main(argv):
    arguments = cells.driver_arguments(__doc__, argv)
    import aiokafka

    cells.emit(client_version=aiokafka.__version__)
    Driver(arguments).run_all()


class Driver:
    def __init__(self, arguments):
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

    def run(self, feature, coroutine_function, *args):
        self.cells.run(feature, lambda: asyncio.run(coroutine_function(*args)))

    def run_all(self):
        self.run("connect_metadata", self.connect_metadata)
        for acks in (0, 1, "all"):
            self.run(f"produce_acks_{acks}", self.produce_with_acks, acks)
        for codec in ("gzip", "lz4", "zstd", "snappy"):
            self.run(f"compression_{codec}", self.compression, codec)
        self.run("keys_headers", self.keys_headers)
        self.run("idempotent_producer", self.idempotent_producer)
        self.run("consume_earliest", self.consume_earliest)
        self.run("consume_latest", self.consume_latest)
        self.run("group_auto_commit", self.group_commit, True)
        self.run("group_manual_commit", self.group_commit, False)
        self.run("group_rebalance", self.group_rebalance)
        self.run("admin_create_topics", self.admin_create_topics)
        self.run("admin_list_topics", self.admin_list_topics)
        self.run("admin_describe_topics", self.admin_describe_topics)
        self.run("admin_delete_topics", self.admin_delete_topics)
        self.admin_groups()
        self.run("offsets_count_records", self.offsets_count_records)
        self.run("admin_delete_records", self.admin_delete_records)
        for feature, mechanism in SASL_MECHANISMS.items():
            self.run(feature, self.sasl_round_trip, mechanism)
        for feature, mechanism in SASL_SSL_MECHANISMS.items():
            self.run(feature, self.sasl_round_trip, mechanism, True)
        self.run("log_append_time", self.log_append_time)
        self.run("keyless_compacted_refused", self.keyless_compacted_refused)
        self.run("compaction_within_a_minute", self.compaction_within_a_minute)
        self.run("dynamic_broker_configs", self.dynamic_broker_configs)
        cells.run_tls_cells(self.cells, "aiokafka")
        self.run("transactions", self.transactions)
        self.run("read_committed", self.read_committed)
        self.cells.finish()

    # Building blocks

    async def produce(self, topic, values, partition=None, **settings):
        from aiokafka import AIOKafkaProducer

        producer = AIOKafkaProducer(bootstrap_servers=self.bootstrap, **self.security, **settings)
        await producer.start()
        try:
            futures = [await producer.send(topic, value=v, partition=partition) for v in values]
            await producer.flush()
            return [await f for f in futures]
        finally:
            await producer.stop()

    def consumer(self, *topics, **settings):
        from aiokafka import AIOKafkaConsumer

        settings.setdefault("auto_offset_reset", "earliest")
        settings.setdefault("enable_auto_commit", False)
        return AIOKafkaConsumer(*topics, bootstrap_servers=self.bootstrap, **self.security, **settings)

    async def admin(self):
        from aiokafka.admin import AIOKafkaAdminClient

        admin = AIOKafkaAdminClient(bootstrap_servers=self.bootstrap, **self.security)
        await admin.start()
        return admin

    @staticmethod
    async def collect(consumer, count, seconds=15):
        records = []
        deadline = time.monotonic() + seconds
        while len(records) < count and time.monotonic() < deadline:
            for batch in (await consumer.getmany(timeout_ms=200)).values():
                records.extend(batch)
        return records

    async def read_back(self, topic, count, **settings):
        consumer = self.consumer(topic, **settings)
        await consumer.start()
        try:
            return await self.collect(consumer, count)
        finally:
            await consumer.stop()

    @staticmethod
    def expect_values(records, values):
        got = sorted(r.value for r in records)
        check(got == sorted(values), f"read back {len(got)} records {got[:3]}…, expected {len(values)}")

    @staticmethod
    async def wait_for(predicate, seconds):
        """Polls `predicate` (plain or async) until it is truthy or `seconds` pass."""
        deadline = time.monotonic() + seconds
        while True:
            value = predicate()
            if asyncio.iscoroutine(value):
                value = await value
            if value or time.monotonic() >= deadline:
                return value
            await asyncio.sleep(0.1)

    # Cells

    async def sasl_round_trip(self, mechanism, tls=False):
        """Produces and consumes over SASL_PLAINTEXT, or SASL_SSL with an SSL context that checks
        the certificate and host name (aiokafka's admin client has no AlterUserScramCredentials:
        SCRAM logs in as the user samsa storage format created)."""
        user, password = cells.sasl_credentials(mechanism)
        driver = copy.copy(self)
        if tls:
            from aiokafka.helpers import create_ssl_context

            check(self.sasl_ssl_bootstrap, "no SASL_SSL listener was given (--sasl-ssl-bootstrap-server)")
            driver.bootstrap = self.sasl_ssl_bootstrap
            driver.security = {"security_protocol": "SASL_SSL", "ssl_context": create_ssl_context(cafile=self.sasl_ssl_cafile)}
        else:
            check(self.sasl_bootstrap, "no SASL broker was given (--sasl-bootstrap-server)")
            driver.bootstrap = self.sasl_bootstrap
            driver.security = {"security_protocol": "SASL_PLAINTEXT"}
        driver.security.update(sasl_mechanism=mechanism, sasl_plain_username=user, sasl_plain_password=password)
        topic = self.topic(f"sasl-{'ssl-' if tls else ''}{mechanism.lower()}")
        values = [f"{mechanism} #{n}".encode() for n in range(3)]
        await driver.produce(topic, values)
        driver.expect_values(await driver.read_back(topic, 3), values)
        return "3 records produced and read back"

    async def connect_metadata(self):
        consumer = self.consumer()
        await consumer.start()
        try:
            check(isinstance(await consumer.topics(), set), "topics() did not answer")
            brokers = consumer._client.cluster.brokers()
            check(len(brokers) == 1, f"metadata lists {len(brokers)} brokers")
            broker = next(iter(brokers))
            check(broker.host == "127.0.0.1", f"the broker is listed at {broker.host}")
            return "1 broker, at the address it listens on"
        finally:
            await consumer.stop()

    async def produce_with_acks(self, acks):
        topic = self.topic(f"acks-{acks}")
        values = [f"acks {acks} #{n}".encode() for n in range(5)]
        # acks=0: the broker sends no response; aiokafka must neither wait for one nor fail.
        metadata = await self.produce(topic, values, partition=0, acks=acks)
        if acks != 0:
            check([m.offset for m in metadata] == list(range(5)), f"offsets {[m.offset for m in metadata]}")
        self.expect_values(await self.read_back(topic, 5), values)
        return "5 records acknowledged and read back" if acks != 0 else "5 records, no client error, read back"

    async def compression(self, codec):
        topic = self.topic(f"codec-{codec}")
        values = [f"{codec} record {n} ".encode() + b"x" * 200 for n in range(20)]
        await self.produce(topic, values, partition=0, compression_type=codec, linger_ms=20)
        self.expect_values(await self.read_back(topic, 20), values)
        return cells.check_stored_codec(self.log_dir, topic, codec)

    async def keys_headers(self):
        from aiokafka import AIOKafkaProducer

        topic = self.topic("keys-headers")
        producer = AIOKafkaProducer(bootstrap_servers=self.bootstrap)
        await producer.start()
        try:
            for n in range(4):
                await producer.send_and_wait(topic, key=f"key-{n}".encode(), value=f"value-{n}".encode(),
                                             headers=[("trace", f"t-{n}".encode()), ("empty", b"")])
        finally:
            await producer.stop()
        records = await self.read_back(topic, 4)
        got = sorted((r.key, r.value, list(r.headers)) for r in records)
        expected = [(f"key-{n}".encode(), f"value-{n}".encode(), [("trace", f"t-{n}".encode()), ("empty", b"")])
                    for n in range(4)]
        check(got == expected, f"read back {got}")
        return "4 keyed records with 2 headers each"

    async def transactional_producer(self, name):
        from aiokafka import AIOKafkaProducer

        producer = AIOKafkaProducer(bootstrap_servers=self.bootstrap, transactional_id=self.topic(name))
        await producer.start()
        return producer

    @staticmethod
    async def transact(producer, topic, values, commit):
        await producer.begin_transaction()
        for value in values:
            await producer.send_and_wait(topic, value=value, partition=0)
        if commit:
            await producer.commit_transaction()
        else:
            await producer.abort_transaction()

    async def transactions(self):
        topic = self.topic("transactions")
        producer = await self.transactional_producer("transactions")
        try:
            await self.transact(producer, topic, [b"c1", b"c2"], commit=True)
            await self.transact(producer, topic, [b"a1"], commit=False)
            await self.transact(producer, topic, [b"c3"], commit=True)
        finally:
            await producer.stop()
        records = await self.read_back(topic, 3, isolation_level="read_committed")
        check([r.value for r in records] == [b"c1", b"c2", b"c3"], f"read_committed read {[r.value for r in records]}")
        return "2 committed transactions visible, the aborted one not"

    async def read_committed(self):
        topic = self.topic("read-committed")
        producer = await self.transactional_producer("read-committed")
        try:
            await producer.begin_transaction()
            await producer.send_and_wait(topic, value=b"open", partition=0)
            hidden = await self.read_back(topic, 1, isolation_level="read_committed")
            check(not hidden, f"read_committed saw {len(hidden)} records of an open transaction")
            await producer.commit_transaction()
        finally:
            await producer.stop()
        records = await self.read_back(topic, 1, isolation_level="read_committed")
        check([r.value for r in records] == [b"open"], f"after the commit read {[r.value for r in records]}")
        return "an open transaction stays hidden until its commit"

    async def idempotent_producer(self):
        topic = self.topic("idempotent")
        values = [f"once #{n}".encode() for n in range(10)]
        metadata = await self.produce(topic, values, partition=0, acks="all", enable_idempotence=True)
        check([m.offset for m in metadata] == list(range(10)), f"offsets {[m.offset for m in metadata]}")
        self.expect_values(await self.read_back(topic, 10), values)
        return "enable_idempotence=True: producer id assigned, 10 records once each"

    async def consume_earliest(self):
        topic = self.topic("earliest")
        values = [f"early #{n}".encode() for n in range(5)]
        await self.produce(topic, values)
        self.expect_values(await self.read_back(topic, 5, auto_offset_reset="earliest"), values)
        return "all 5 records from offset 0"

    async def consume_latest(self):
        from aiokafka import TopicPartition

        topic = self.topic("latest")
        await self.produce(topic, [b"old 1", b"old 2"], partition=0)
        consumer = self.consumer(auto_offset_reset="latest")
        await consumer.start()
        try:
            tp = TopicPartition(topic, 0)
            consumer.assign([tp])
            position = await consumer.position(tp)
            check(position == 2, f"position {position} is not the log end offset 2")
            await self.produce(topic, [b"new 1", b"new 2", b"new 3"], partition=0)
            records = await self.collect(consumer, 3)
            check(sorted(r.value for r in records) == [b"new 1", b"new 2", b"new 3"],
                  f"read {[r.value for r in records]}")
            return "starts at the log end offset and reads only new records"
        finally:
            await consumer.stop()

    async def group_commit(self, auto):
        from aiokafka import TopicPartition

        kind = "auto" if auto else "manual"
        topic, group = self.topic(f"group-{kind}"), self.topic(f"group-{kind}")
        values = [f"{kind} #{n}".encode() for n in range(6)]
        await self.produce(topic, values)
        settings = {"group_id": group, "enable_auto_commit": auto, "auto_commit_interval_ms": 200,
                    "session_timeout_ms": 6000, "heartbeat_interval_ms": 500}
        consumer = self.consumer(topic, **settings)
        await consumer.start()
        try:
            self.expect_values(await self.collect(consumer, 6), values)
            if not auto:
                await consumer.commit()
        finally:
            await consumer.stop()  # with auto commit, stop() commits what was consumed
        more = [f"{kind} later #{n}".encode() for n in range(2)]
        await self.produce(topic, more)
        consumer = self.consumer(topic, **settings)
        await consumer.start()
        try:
            self.expect_values(await self.collect(consumer, 2), more)
            check(not await self.collect(consumer, 1, seconds=1), "records before the committed offsets came again")
            if not auto:
                await consumer.commit()
        finally:
            await consumer.stop()
        # A consumer that only asks (never subscribes) does not join the group.
        checker = self.consumer(group_id=group)
        await checker.start()
        try:
            metadata = await checker._client.fetch_all_metadata()
            partitions = metadata.partitions_for_topic(topic) or set()
            committed = sum([await checker.committed(TopicPartition(topic, p)) or 0 for p in sorted(partitions)])
        finally:
            await checker.stop()
        check(committed == 8, f"committed offsets add up to {committed}, not 8")
        return f"{kind} commits: a second consumer resumes after them"

    async def group_rebalance(self):
        topic, group = self.topic("rebalance"), self.topic("rebalance")
        for partition in (0, 1):
            await self.produce(topic, [f"p{partition} #{n}".encode() for n in range(5)], partition=partition)
        settings = {"group_id": group, "enable_auto_commit": True, "auto_commit_interval_ms": 200,
                    "session_timeout_ms": 6000, "heartbeat_interval_ms": 300}
        members = {name: self.consumer(topic, **settings) for name in ("a", "b")}
        values = set()
        stopping = asyncio.Event()

        async def consume(member):
            while not stopping.is_set():
                for batch in (await member.getmany(timeout_ms=200)).values():
                    values.update(r.value for r in batch)

        def assigned(name):
            return sorted(tp.partition for tp in members[name].assignment())

        await members["a"].start()
        tasks = [asyncio.create_task(consume(members["a"]))]
        try:
            check(await self.wait_for(lambda: assigned("a") == [0, 1], 20),
                  f"the first member got {assigned('a')}, not both partitions")
            await members["b"].start()
            tasks.append(asyncio.create_task(consume(members["b"])))
            split = await self.wait_for(
                lambda: assigned("a") and assigned("b") and sorted(assigned("a") + assigned("b")) == [0, 1], 30)
            check(split, f"after the second member joined: a={assigned('a')} b={assigned('b')}")
            check(await self.wait_for(lambda: len(values) == 10, 15),
                  f"consumed {len(values)} of 10 distinct records")
        finally:
            stopping.set()
            for task in tasks:
                try:
                    await asyncio.wait_for(task, 5)
                except Exception as error:
                    raise CellFailed(f"a member failed: {type(error).__name__}: {error}")
            for member in members.values():
                await member.stop()
        return "one partition each after the second member joined; all 10 records consumed"

    async def create_topic(self, name, **configs):
        from aiokafka.admin import NewTopic

        admin = await self.admin()
        try:
            await admin.create_topics([NewTopic(name, 1, 1, topic_configs=configs)])
        finally:
            await admin.close()

    async def send_one(self, topic, value, key=None, timestamp_ms=None, **settings):
        """The record's metadata, or the exception its send ended with."""
        from aiokafka import AIOKafkaProducer
        from aiokafka.errors import KafkaError

        producer = AIOKafkaProducer(bootstrap_servers=self.bootstrap, **settings)
        await producer.start()
        try:
            return await producer.send_and_wait(topic, value=value, key=key, partition=0, timestamp_ms=timestamp_ms)
        except KafkaError as error:
            return error
        finally:
            await producer.stop()

    async def log_append_time(self):
        topic = self.topic("log-append-time")
        await self.create_topic(topic, **{"message.timestamp.type": "LogAppendTime"})
        before = int(time.time() * 1000)
        metadata = await self.send_one(topic, b"stamped", timestamp_ms=1_000_000)
        after = int(time.time() * 1000)
        check(before <= metadata.timestamp <= after, f"the send's metadata has timestamp {metadata.timestamp}")
        records = await self.read_back(topic, 1)
        check(len(records) == 1, f"read back {len(records)} records")
        check(records[0].timestamp_type == 1, f"timestamp type {records[0].timestamp_type}")
        check(records[0].timestamp == metadata.timestamp, f"consumed timestamp {records[0].timestamp}")
        return "the broker's clock replaces the producer's timestamp (type 1) in the send's metadata and when consumed"

    async def keyless_compacted_refused(self):
        from aiokafka.errors import KafkaError

        topic = self.topic("keyless-compacted")
        await self.create_topic(topic, **{"cleanup.policy": "compact"})
        outcome = await self.send_one(topic, b"no key")
        check(isinstance(outcome, KafkaError), f"the record without a key was accepted: {outcome}")
        return f"the send fails with {type(outcome).__name__} (aiokafka 0.14 has no INVALID_RECORD error class)"

    async def dynamic_broker_configs(self):
        """AlterConfigs on broker 1, then DescribeConfigs of the broker and of a topic that follows it."""
        from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType

        key, value = cells.DYNAMIC_BROKER_KEY, cells.DYNAMIC_BROKER_VALUE
        topic = self.topic("dynamic-broker-configs")
        await self.create_topic(topic)
        admin = await self.admin()
        try:
            altered = await admin.alter_configs([ConfigResource(ConfigResourceType.BROKER, "1", configs={key: value})])
            # aiokafka answers one response per request it sent (topics, then each broker).
            results = [result for response in altered for result in response.resources]
            check(results and results[0][0] == 0, f"AlterConfigs answered {results}")
            try:
                broker = await admin.describe_configs([ConfigResource(ConfigResourceType.BROKER, "1", configs={key: None})])
                described = await admin.describe_configs([ConfigResource(ConfigResourceType.TOPIC, topic)])
            finally:
                await admin.alter_configs([ConfigResource(ConfigResourceType.BROKER, "1", configs={})])
        finally:
            await admin.close()
        def entries(responses):
            return {entry[0]: entry[1] for response in responses for result in response.resources for entry in result[4]}

        check(entries(broker).get(key) == value, f"the broker describes {key}={entries(broker).get(key)}")
        followed = entries(described).get("delete.retention.ms")
        check(followed == value, f"the topic's delete.retention.ms is {followed}")
        return f"{key} set on broker 1; a topic without its own value follows it"

    async def compaction_within_a_minute(self):
        topic = self.topic("compaction")
        await self.create_topic(topic, **{"cleanup.policy": "compact", "segment.ms": "1000"})
        for n in range(5):
            await self.send_one(topic, f"v{n}".encode(), key=b"k")
        # The next record, over segment.ms later, rolls the segment: the duplicates become cleanable.
        await asyncio.sleep(1.2)
        await self.send_one(topic, b"last", key=b"other")
        start = time.monotonic()

        async def compacted():
            return [(r.key, r.value) for r in await self.read_back(topic, 2)] == [(b"k", b"v4"), (b"other", b"last")]

        check(await self.wait_for(compacted, 40), "the duplicates of key k are still there after 40 s")
        return f"compacted {time.monotonic() - start:.0f} s after the segment rolled"

    async def admin_create_topics(self):
        from aiokafka.admin import NewTopic

        admin = await self.admin()
        try:
            name = self.topic("admin-create")
            await admin.create_topics([NewTopic(name, 3, 1)])
            described = await admin.describe_topics([name])
            check(len(described[0]["partitions"]) == 3, f"the new topic is {described}")
            return "3 partitions"
        finally:
            await admin.close()

    async def admin_list_topics(self):
        from aiokafka.admin import NewTopic

        admin = await self.admin()
        try:
            name = self.topic("admin-list")
            await admin.create_topics([NewTopic(name, 1, 1)])

            async def listed():
                return name in await admin.list_topics()
            check(await self.wait_for(listed, 10), f"{name} is not listed")
            return "lists the created topic"
        finally:
            await admin.close()

    async def admin_describe_topics(self):
        from aiokafka.admin import NewTopic

        admin = await self.admin()
        try:
            name = self.topic("admin-describe")
            await admin.create_topics([NewTopic(name, 2, 1)])
            described = await admin.describe_topics([name])
            check(len(described) == 1 and described[0]["topic"] == name, f"described {described}")
            check(described[0]["error_code"] == 0, f"error code {described[0]['error_code']}")
            check(len(described[0]["partitions"]) == 2, f"{len(described[0]['partitions'])} partitions")
            return "2 partitions"
        finally:
            await admin.close()

    async def admin_delete_records(self):
        from aiokafka import TopicPartition
        from aiokafka.admin import RecordsToDelete

        topic = self.topic("delete-records")
        await self.produce(topic, [f"record {n}".encode() for n in range(5)], partition=0)
        partition = TopicPartition(topic, 0)
        admin = await self.admin()
        try:
            low_watermark = (await admin.delete_records({partition: RecordsToDelete(before_offset=3)}))[partition]
        finally:
            await admin.close()
        check(low_watermark == 3, f"low watermark {low_watermark}")
        offsets = sorted(r.offset for r in await self.read_back(topic, 2))
        check(offsets == [3, 4], f"a consumer from earliest read offsets {offsets}")
        return "low watermark 3; a consumer from earliest starts there"

    async def admin_delete_topics(self):
        from aiokafka.admin import NewTopic

        admin = await self.admin()
        try:
            name = self.topic("admin-delete")
            await admin.create_topics([NewTopic(name, 1, 1)])

            async def listed():
                return name in await admin.list_topics()

            async def gone():
                return not await listed()
            check(await self.wait_for(listed, 10), "the topic to delete was not created")
            await admin.delete_topics([name])
            check(await self.wait_for(gone, 10), f"{name} is still listed")
            return "gone from the topic list"
        finally:
            await admin.close()

    def admin_groups(self):
        """list, describe and offsets share one group with a live member and committed offsets."""
        asyncio.run(self.admin_groups_async())

    async def admin_groups_async(self):
        topic, group = self.topic("admin-groups"), self.topic("admin-groups")
        consumer = self.consumer(topic, group_id=group, client_id=f"{self.prefix}-member",
                                 session_timeout_ms=6000, heartbeat_interval_ms=500)
        try:
            await self.produce(topic, [f"g #{n}".encode() for n in range(7)], partition=0)
            await consumer.start()
            check(len(await self.collect(consumer, 7)) == 7, "the group did not consume its 7 records")
            await consumer.commit()
        except Exception as error:
            reason = f"setting up a group failed: {type(error).__name__}: {error}"
            for feature in ("admin_list_groups", "admin_describe_groups", "admin_group_offsets"):
                self.cells.fail(feature, reason)
            await consumer.stop()
            return
        # The member must stay in the group (heartbeating on this loop) while the admin asks, so
        # the three cells run here, on this loop, and report through the same cell runner.
        admin = await self.admin()
        try:
            for feature, check_group in (("admin_list_groups", self.admin_list_groups),
                                         ("admin_describe_groups", self.admin_describe_groups),
                                         ("admin_group_offsets", self.admin_group_offsets)):
                await self.run_on_this_loop(feature, check_group, admin, group, topic)
        finally:
            await admin.close()
            await consumer.stop()

    async def run_on_this_loop(self, feature, coroutine_function, *args):
        outcome = {}
        try:
            outcome["reason"] = await asyncio.wait_for(coroutine_function(*args), self.cells.timeout)
        except Exception as error:
            outcome["error"] = error if isinstance(error, CellFailed) else CellFailed(
                f"{type(error).__name__}: {error}".strip())

        def body():
            if "error" in outcome:
                raise outcome["error"]
            return outcome["reason"]
        self.cells.run(feature, body)

    async def admin_list_groups(self, admin, group, topic):
        listed = [g[0] for g in await admin.list_consumer_groups()]
        check(group in listed, f"{group} not in {listed}")
        return "lists the group"

    async def admin_describe_groups(self, admin, group, topic):
        responses = await admin.describe_consumer_groups([group])
        described = [g for r in responses for g in r.to_object()["groups"]]
        check(len(described) == 1, f"described {described}")
        check(described[0]["error_code"] == 0, f"error code {described[0]['error_code']}")
        state, members = described[0]["state"], described[0]["members"]
        check(state == "Stable", f"state {state}")
        clients = [m["client_id"] for m in members]
        check(clients == [f"{self.prefix}-member"], f"members {clients}")
        check(all(m["member_assignment"] for m in members), "a member has no assignment")
        return "Stable, one member with its assignment"

    async def admin_group_offsets(self, admin, group, topic):
        offsets = await admin.list_consumer_group_offsets(group)
        committed = {tp.partition: meta.offset for tp, meta in offsets.items() if tp.topic == topic}
        check(committed.get(0) == 7, f"committed {committed}")
        return "committed offset 7 on partition 0"

    async def offsets_count_records(self):
        from aiokafka import TopicPartition
        from aiokafka.structs import OffsetAndMetadata

        topic, group = self.topic("count"), self.topic("count")
        await self.produce(topic, [f"c #{n}".encode() for n in range(10)], partition=0, linger_ms=500,
                           compression_type="gzip")
        batches = cells.stored_batches(self.log_dir, topic) if self.log_dir else []
        if self.log_dir:
            check(sum(n for _, n in batches) == 10, f"stored batches {batches}")
        consumer = self.consumer(group_id=group)
        await consumer.start()
        try:
            tp = TopicPartition(topic, 0)
            consumer.assign([tp])
            records = await self.collect(consumer, 4)
            check(len(records) >= 4, f"read {len(records)} records")
            await consumer.commit({tp: OffsetAndMetadata(4, "")})
            end = (await consumer.end_offsets([tp]))[tp]
            committed = await consumer.committed(tp)
        finally:
            await consumer.stop()
        check(end == 10, f"end offset {end}, not 10")
        check(committed == 4, f"committed {committed}, not 4")
        admin = await self.admin()
        try:
            offsets = await admin.list_consumer_group_offsets(group)
        finally:
            await admin.close()
        lag = end - offsets[tp].offset
        check(lag == 6, f"lag {lag}, not 6")
        return f"{len(batches) or 'some'} batch(es) of 10 records: end offset 10, lag 6 after committing 4"


if __name__ == "__main__":
    main(sys.argv[1:])
