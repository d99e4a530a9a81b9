import PythonInterop
import SamsaTestSupport
import Testing

extension InteropSuite {
    /// kafka-python 3.0.12 (embedded) against the in-process broker.
    @Suite("Broker with kafka-python", .serialized)
    struct BrokerInteropTests {
        @Test("the study notes' producer works unchanged", arguments: ["0", "1", "all"])
        func studyNotesProducer(acks: String) async throws {
            let broker = try await InProcessBroker.start()
            let result = try await EmbeddedPython.runScenario(
                path: InteropPaths.scenario("study_notes_producer"),
                arguments: ["bootstrap-server": broker.bootstrapServer, "acks": acks, "topic": "hello"])
            try await broker.stop()
            #expect(result["received"] == 10_000)
            #expect(result["distinct"] == 10_000)
            #expect(result["in_order"] == true)
            #expect(result["offsets_consecutive"] == true)
            #expect(result["end_offset"] == 10_000, "every message stored exactly once")
        }

        @Test func keyedMessagesLandWhereJavaMurmur2Says() async throws {
            let broker = try await InProcessBroker.start()
            let result = try await EmbeddedPython.runScenario(
                path: InteropPaths.scenario("keyed_partitions"), arguments: ["bootstrap-server": broker.bootstrapServer])
            try await broker.stop()
            #expect(result["received"] == 500)
            #expect(result["wrong_partition"] == [])
            #expect(result["keys_in_order"] == true)
            #expect(result["partitions_used"] == [0, 1, 2])
        }

        @Test func adminTopicsAndConfigs() async throws {
            let broker = try await InProcessBroker.start()
            let result = try await EmbeddedPython.runScenario(
                path: InteropPaths.scenario("admin_topics"), arguments: ["bootstrap-server": broker.bootstrapServer])
            try await broker.stop()
            #expect(result["create"] == ["NoError", nil])
            #expect(result["create_defaults"] == ["NoError", nil])
            #expect(result["create_existing"] == ["TopicAlreadyExistsError", "Topic 'admin-a' already exists."])
            #expect(
                result["create_rf3"] == [
                    "InvalidReplicationFactorError",
                    "Unable to replicate the partition 3 time(s): The target replication factor of 3 cannot be reached because only 1 broker(s) are registered.",
                ])
            #expect(result["create_bad_name"]?[0] == "InvalidTopicError")
            #expect(result["create_colliding"] == ["InvalidTopicError", "Topic 'dots_and' collides with existing topic: dots.and"])
            #expect(result["create_bad_config"]?[0] == "InvalidConfigurationError")
            #expect(result["create_zero_partitions"]?[0] == "InvalidPartitionsError")
            #expect(result["list"] == ["__consumer_offsets", "admin-a", "admin-b", "dots.and"])
            #expect(result["describe"] == ["name": "admin-a", "error_code": 0, "partitions": [0, 1], "leaders": [1]])
            #expect(result["config_retention"] == "3600000")
            #expect(result["config_cleanup"] == "delete")
            #expect(result["altered_retention"] == "7200000")
            #expect(result["altered_cleanup"] == "compact")
            #expect(result["create_partitions"] == ["NoError"])
            #expect(result["partitions_after"] == 4)
            #expect(
                result["shrink_partitions"] == [
                    "InvalidPartitionsError", "Topic currently has 4 partitions, which is higher than the requested 2.",
                ])
            #expect(result["delete"] == ["NoError"])
            #expect(result["delete_unknown"] == ["UnknownTopicOrPartitionError"])
            #expect(result["list_after_delete"] == ["__consumer_offsets", "admin-a", "dots.and"])
        }
    }
}

extension JSONValue {
    /// The element at `index` of an array value.
    subscript(index: Int) -> JSONValue? {
        guard case .array(let elements) = self, elements.indices.contains(index) else { return nil }
        return elements[index]
    }
}
