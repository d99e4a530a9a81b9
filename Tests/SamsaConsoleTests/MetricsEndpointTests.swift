import KafkaBroker
import KafkaProtocol
import NIOCore
import NIOPosix
import SamsaConsole
import SamsaTestSupport
import Testing

/// `/metrics` after real Kafka traffic: the counters moved by exactly what was sent, and the
/// exposition is valid Prometheus text.
@Suite("Metrics endpoint", .tags(.component))
struct MetricsEndpointTests {
    static func scrape(consolePort: Int) async throws -> PrometheusExposition {
        let response = try await HTTPGet(port: consolePort, path: "/metrics")
        #expect(response.status == 200)
        #expect(response.headers["content-type"]?.hasPrefix("text/plain; version=0.0.4") == true)
        return try PrometheusExposition(parsing: response.body)
    }

    @Test func countersMoveByWhatWasProducedAndConsumed() async throws {
        try await InProcessBroker.withConsole { broker, consolePort in
            let before = try await Self.scrape(consolePort: consolePort)
            let topic = ["topic": "metered"]
            let produceV9 = ["api": "Produce", "version": "9"]
            let fetchV12 = ["api": "Fetch", "version": "12"]
            let (bytesIn, partitionZeroBytes, bytesOut) = try await RawKafkaConnection.with(port: broker.port) { wire in
                try await wire.createTopic("metered", partitions: 2)
                let first = try await wire.produce("metered", partition: 0, values: ["a", "b", "c", "d", "e"])
                let second = try await wire.produce("metered", partition: 1, values: ["f", "g", "h"], acks: -1)
                #expect(first.error == .noError && second.error == .noError)
                #expect(try await wire.produce("metered", partition: 7, values: ["lost"]).error == .unknownTopicOrPartition)
                let fetched = try await wire.fetch("metered", partition: 0, offset: 0)
                #expect(try await wire.fetch("metered", partition: 9, offset: 0).error == .unknownTopicOrPartition)
                let member = try await wire.joinAsSoleMember(group: "meter-readers", assignment: [("metered", [0, 1])])
                try await wire.commit(
                    group: "meter-readers", memberId: member.memberId, generation: member.generation,
                    [("metered", 0, 2), ("metered", 1, 3)])
                return (first.bytes + second.bytes, first.bytes, fetched.bytes)
            }
            let after = try await Self.scrape(consolePort: consolePort)
            func delta(_ name: String, _ labels: [String: String] = [:]) -> Double? {
                guard let now = after.value(name, labels) else { return nil }
                return now - (before.value(name, labels) ?? 0)
            }

            #expect(after.types["samsa_requests_total"] == "counter")
            #expect(after.types["samsa_request_duration_seconds"] == "histogram")
            #expect(delta("samsa_requests_total", produceV9) == 3)
            #expect(delta("samsa_request_duration_seconds_count", produceV9) == 3)
            #expect(delta("samsa_requests_total", fetchV12) == 2)
            #expect(delta("samsa_requests_total", ["api": "JoinGroup", "version": "5"]) == 2, "MEMBER_ID_REQUIRED, then the join")

            #expect(after.value("samsa_topic_messages_in_total", topic) == 8)
            #expect(after.value("samsa_topic_bytes_in_total", topic) == Double(bytesIn))
            #expect(after.value("samsa_topic_bytes_out_total", topic) == Double(bytesOut))
            #expect(bytesOut > 0)
            #expect(delta("samsa_produce_errors_total", ["error": "UNKNOWN_TOPIC_OR_PARTITION"]) == 1)
            #expect(delta("samsa_fetch_errors_total", ["error": "UNKNOWN_TOPIC_OR_PARTITION"]) == 1)
            #expect((delta("samsa_network_received_bytes_total") ?? 0) > Double(bytesIn))
            #expect((delta("samsa_network_sent_bytes_total") ?? 0) > Double(bytesOut))

            #expect(after.value("samsa_log_end_offset", ["topic": "metered", "partition": "0"]) == 5)
            #expect(after.value("samsa_log_end_offset", ["topic": "metered", "partition": "1"]) == 3)
            #expect(after.value("samsa_log_start_offset", ["topic": "metered", "partition": "0"]) == 0)
            #expect(after.value("samsa_log_segments", ["topic": "metered", "partition": "0"]) == 1)
            #expect(
                after.value("samsa_log_size_bytes", ["topic": "metered", "partition": "0"]) == Double(partitionZeroBytes), "stored as sent")
            #expect((after.value("samsa_log_flush_duration_seconds_count") ?? 0) >= 1, "acks=all waited for an fsync")

            let lag = ["group": "meter-readers", "topic": "metered", "partition": "0"]
            #expect(after.value("samsa_consumer_group_committed_offset", lag) == 2)
            #expect(after.value("samsa_consumer_group_lag", lag) == 3)
            #expect(after.value("samsa_consumer_group_lag", ["group": "meter-readers", "topic": "metered", "partition": "1"]) == 0)
            #expect(after.value("samsa_consumer_group_members", ["group": "meter-readers"]) == 1)
            #expect(after.value("samsa_group_rebalances_total", ["group": "meter-readers"]) == 1)

            #expect((after.value("samsa_connections_accepted_total") ?? 0) >= 1)
            #expect(after.value("samsa_connections_active") != nil)
            #expect(after.value("samsa_log_recovery_duration_seconds") != nil)
            #expect(after.samples.contains { $0.name == "samsa_broker_info" && $0.labels["version"] == SamsaVersion.current })
        }
    }

    @Test(
        "the exposition reader rejects what Prometheus rejects",
        arguments: [
            "samsa_x 1",  // no TYPE
            "# TYPE samsa_x counter\nsamsa_x{a=\"1\" 1",  // unterminated labels
            "# TYPE samsa_x counter\nsamsa_x{1a=\"1\"} 1",  // bad label name
            "# TYPE samsa_x counter\nsamsa_x one",  // bad value
            "# TYPE samsa_x counter\nsamsa_x 1\nsamsa_x 2",  // duplicate sample
            "# TYPE samsa_x counter\n# TYPE samsa_y counter\nsamsa_x 1\nsamsa_y 1\nsamsa_x{a=\"b\"} 1",  // split family
            "# TYPE samsa_h histogram\nsamsa_h_bucket{le=\"1\"} 2\nsamsa_h_bucket{le=\"+Inf\"} 1\nsamsa_h_sum 1\nsamsa_h_count 1",
        ])
    func expositionReaderIsStrict(text: String) {
        #expect(throws: PrometheusExposition.Malformed.self) { try PrometheusExposition(parsing: text) }
    }

    @Test func aBusyPortStopsTheConsoleWithAClearMessage() async throws {
        let taken = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0) { channel in
                channel.eventLoop.makeCompletedFuture { try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel) }
            }
        let port = try #require(taken.channel.localAddress?.port)
        try await taken.executeThenClose { _ in
            let error = await #expect(throws: ConsoleListenerError.self) {
                try await InProcessBroker.withConsole(listener: "http://127.0.0.1:\(port)") { _, _ in }
            }
            #expect(error?.description.contains("already in use") == true)
            #expect(error?.description.contains("127.0.0.1:\(port)") == true)
            #expect(error?.description.contains("metrics.listener") == true)
        }
    }
}
