import KafkaStorage
import NIOCore
import SamsaTestSupport
import Testing

@Suite("Log manager", .tags(.component))
struct LogManagerTests {
    @Test func partitionFoldersSplitAtTheLastDash() throws {
        #expect(TopicPartition(folderName: "my-topic-name-12") == TopicPartition(topic: "my-topic-name", partition: 12))
        #expect(TopicPartition(folderName: "__consumer_offsets-49")?.topic == "__consumer_offsets")
        #expect(TopicPartition(folderName: "no_partition") == nil)
        #expect(TopicPartition(folderName: "-3") == nil)
        #expect(TopicPartition(topic: "a-b", partition: 3).description == "a-b-3")
    }

    @Test func logsAndTopicIdsAreLoadedFromTheirFolders() throws {
        let folder = TestDataFolder()
        let manager = try folder.open()
        let dashed = TopicPartition(topic: "page-views-eu", partition: 1)
        let log = try manager.createLog(dashed, topicId: "Bq3RsPi_QwWU1cm1RS3Zeg")
        _ = try log.append(makeBatch(count: 2), appendTimeMs: 0)
        #expect(try manager.createLog(dashed, topicId: nil) === log)
        _ = try manager.createLog(TopicPartition(topic: "page-views-eu", partition: 0), topicId: "Bq3RsPi_QwWU1cm1RS3Zeg")
        let metadata = try #require(folder.fileSystem.contents(ofFileAtPath: "/data/page-views-eu-1/partition.metadata"))
        #expect(String(decoding: metadata, as: UTF8.self) == "version: 0\ntopic_id: Bq3RsPi_QwWU1cm1RS3Zeg\n")
        try manager.shutdown()

        let reopened = try folder.open()
        #expect(reopened.allLogs.map(\.topicPartition.description) == ["page-views-eu-0", "page-views-eu-1"])
        #expect(reopened.topicId(for: dashed) == "Bq3RsPi_QwWU1cm1RS3Zeg")
        #expect(reopened.log(for: dashed)?.logEndOffset == 2)
    }

    @Test func deletingATopicRemovesItsFolders() throws {
        let folder = TestDataFolder()
        let manager = try folder.open()
        for partition: Int32 in 0..<3 { _ = try manager.createLog(TopicPartition(topic: "gone", partition: partition), topicId: nil) }
        let kept = try manager.createLog(TopicPartition(topic: "gone-not", partition: 0), topicId: nil)
        let removedLog = try #require(manager.log(for: TopicPartition(topic: "gone", partition: 0)))
        try manager.deleteLogs(topic: "gone")
        #expect(manager.allLogs.map(\.topicPartition) == [kept.topicPartition])
        #expect(
            try folder.fileSystem.contentsOfDirectory(atPath: "/data").filter { !$0.hasPrefix(".") && !$0.hasPrefix("recovery") } == [
                "gone-not-0"
            ])
        #expect(throws: StorageError.self) { try removedLog.append(makeBatch(count: 1), appendTimeMs: 0) }
    }

    @Test func foldersLeftByAnInterruptedDeletionAreRemovedAtStartUp() throws {
        let folder = TestDataFolder()
        try folder.fileSystem.createDirectory(atPath: "/data/gone-0.5f3a-delete")
        _ = try folder.fileSystem.openFile(atPath: "/data/gone-0.5f3a-delete/00000000000000000000.log", creating: true)
        let manager = try folder.open()
        #expect(manager.allLogs.isEmpty)
        #expect(!folder.fileSystem.fileExists(atPath: "/data/gone-0.5f3a-delete"))
    }

    @Test func cleanupPolicyReadsKafkasSpelling() {
        #expect(LogConfiguration.CleanupPolicy(kafkaValue: "compact,delete") == [.compact, .delete])
        #expect(LogConfiguration.CleanupPolicy(kafkaValue: "compact, delete")?.description == "delete,compact")
        #expect(LogConfiguration.CleanupPolicy(kafkaValue: "forever") == nil)
        #expect(LogConfiguration.CleanupPolicy(kafkaValue: "") == [], "an empty list, as Kafka 4.1+ accepts")
        #expect(LogConfiguration.CleanupPolicy(kafkaValue: " ") == nil)
    }
}
