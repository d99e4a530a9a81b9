import Foundation
import KafkaClient
import NIOCore
import Testing

extension ClientIntegrationSuite {
    @Suite(.timeLimit(.minutes(2)))
    struct CrossClientTests {
        struct PythonRecord: Decodable, Equatable {
            var partition: Int32
            var offset: Int64
            var key: String?
            var value: String?
            var timestamp: Int64
            var headers: [[String?]]
        }

        static let readAllScript = """
            import sys, json, time
            from kafka import KafkaConsumer, TopicPartition
            bootstrap, topic, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
            consumer = KafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False, consumer_timeout_ms=10000)
            partitions = None
            deadline = time.time() + 10
            while not partitions and time.time() < deadline:
                partitions = consumer.partitions_for_topic(topic)
            consumer.assign([TopicPartition(topic, p) for p in sorted(partitions)])
            consumer.seek_to_beginning()
            records = []
            for m in consumer:
                records.append({"partition": m.partition, "offset": m.offset,
                                "key": None if m.key is None else m.key.hex(),
                                "value": None if m.value is None else m.value.hex(),
                                "timestamp": m.timestamp,
                                "headers": [[k, None if v is None else v.hex()] for k, v in m.headers]})
                if len(records) >= count:
                    break
            consumer.close()
            print(json.dumps(records))
            """

        static let produceKeyedScript = """
            import sys, json
            from kafka import KafkaProducer
            bootstrap, topic = sys.argv[1], sys.argv[2]
            producer = KafkaProducer(bootstrap_servers=bootstrap)
            partitions = {}
            for key in sys.argv[3:]:
                partitions[key] = producer.send(topic, key=key.encode(), value=b"x").get(timeout=10).partition
            producer.close()
            print(json.dumps(partitions))
            """

        static let produceRecordsScript = """
            import sys
            from kafka import KafkaProducer
            bootstrap, topic, codec = sys.argv[1], sys.argv[2], sys.argv[3]
            producer = KafkaProducer(bootstrap_servers=bootstrap, compression_type=codec, linger_ms=20)
            futures = [producer.send(topic, key=None if i == 2 else f"key-{i}".encode(),
                                     value=None if i == 3 else f"value-{i} ✓".encode(),
                                     headers=[("trace", f"t{i}".encode()), ("empty", b"")],
                                     partition=0, timestamp_ms=1_700_000_000_000 + i) for i in range(10)]
            for future in futures:
                future.get(timeout=10)
            producer.close()
            """

        static func hex(_ text: String) -> String { text.utf8.map { String(format: "%02x", $0) }.joined() }

        /// Every codec, both ways: kafka-python's are lz4.frame, zstandard and python-snappy (xerial).
        static let codecs: [KafkaCompressionType] = [.gzip, .snappy, .lz4, .zstd]

        @Test(arguments: TestBroker.available, codecs)
        func kafkaPythonReadsTheSDKsRecordsUnchanged(broker: TestBroker, codec: KafkaCompressionType) async throws {
            let context = try await IntegrationContext.make(broker)
            let topic = try await context.createTopic("cross-\(codec)", partitions: 1)
            var configuration = context.producerConfiguration()
            configuration.compressionType = codec
            configuration.lingerMs = 50
            let producer = try KafkaProducer(configuration: configuration)
            var futures: [FutureRecordMetadata] = []
            for index in 0..<10 {
                futures.append(
                    try await producer.enqueue(
                        topic: topic, key: index == 3 ? nil : "key-\(index)", value: index == 4 ? nil : "value-\(index) ✓",
                        headers: [KafkaHeader(key: "trace", value: "t\(index)"), KafkaHeader(key: "empty", value: nil)],
                        timestamp: 1_700_000_000_000 + Int64(index)))
            }
            for future in futures { _ = try await future.get() }
            await producer.close()

            let records = try await KafkaPython.runJSON(
                Self.readAllScript, arguments: [context.bootstrapServer, topic, "10"], as: [PythonRecord].self)
            #expect(records.count == 10)
            for (index, record) in records.enumerated() {
                #expect(record.offset == Int64(index))
                #expect(record.key == (index == 3 ? nil : Self.hex("key-\(index)")))
                #expect(record.value == (index == 4 ? nil : Self.hex("value-\(index) ✓")))
                #expect(record.timestamp == 1_700_000_000_000 + Int64(index))
                #expect(record.headers == [["trace", Self.hex("t\(index)")], ["empty", nil]])
            }
            await context.close()
        }

        @Test(arguments: TestBroker.available, codecs)
        func theSDKReadsKafkaPythonsRecordsUnchanged(broker: TestBroker, codec: KafkaCompressionType) async throws {
            let context = try await IntegrationContext.make(broker)
            let topic = try await context.createTopic("cross-back-\(codec)", partitions: 1)
            _ = try await KafkaPython.run(Self.produceRecordsScript, arguments: [context.bootstrapServer, topic, "\(codec)"])
            let consumer = try KafkaConsumer(configuration: context.consumerConfiguration())
            try await consumer.assign([TopicPartition(topic: topic, partition: 0)])
            let records = try await consumer.collect(10)
            #expect(records.count == 10)
            for (index, record) in records.enumerated() {
                #expect(record.offset == Int64(index))
                #expect(record.stringKey == (index == 2 ? nil : "key-\(index)"))
                #expect(record.stringValue == (index == 3 ? nil : "value-\(index) ✓"))
                #expect(record.timestamp == 1_700_000_000_000 + Int64(index))
                #expect(record.timestampType == .createTime)
                #expect(record.headers == [KafkaHeader(key: "trace", value: "t\(index)"), KafkaHeader(key: "empty", value: "")])
            }
            await consumer.close()
            await context.close()
        }

        @Test(arguments: TestBroker.available)
        func keyedRecordsGoToTheSamePartitionsAsKafkaPythons(broker: TestBroker) async throws {
            let context = try await IntegrationContext.make(broker)
            let topic = try await context.createTopic("keys", partitions: 5)
            let keys = (0..<40).map { "customer-\($0 * 7919)" } + ["", "a", "foobar", "21"]
            let producer = try KafkaProducer(configuration: context.producerConfiguration())
            var ours: [String: Int32] = [:]
            for key in keys { ours[key] = try await producer.send(topic: topic, key: key, value: "x").partition }
            await producer.close()

            let theirs = try await KafkaPython.runJSON(
                Self.produceKeyedScript, arguments: [context.bootstrapServer, topic] + keys, as: [String: Int32].self)
            #expect(ours == theirs)
            #expect(Set(ours.values).count > 1)
            await context.close()
        }
    }
}
