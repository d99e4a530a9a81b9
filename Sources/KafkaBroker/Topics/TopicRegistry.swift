import KafkaProtocol
import KafkaStorage
import Logging
import Synchronization

/// The broker's topics. Creation, deletion and changes run under one lock so that concurrent
/// CreateTopics/Metadata auto-creation of the same name cannot both succeed.
final class TopicRegistry: Sendable {
    private let topics: Mutex<[String: Topic]>
    private let logManager: LogManager
    private let configStore: ConfigOverridesStore
    private let brokerConfiguration: DynamicBrokerConfiguration
    private let logger: Logger

    init(logManager: LogManager, brokerConfiguration: DynamicBrokerConfiguration, logger: Logger) throws {
        self.logManager = logManager
        self.brokerConfiguration = brokerConfiguration
        self.logger = logger
        let configuration = brokerConfiguration.current
        self.configStore = try ConfigOverridesStore(dataDirectory: configuration.logDirectory, folderName: "topic-configs")
        var topics: [String: Topic] = [:]
        let logsByTopic = Dictionary(grouping: logManager.allLogs, by: { $0.topicPartition.topic })
        for (name, logs) in logsByTopic {
            let sorted = logs.sorted { $0.topicPartition.partition < $1.topicPartition.partition }
            guard sorted.enumerated().allSatisfy({ $0.offset == Int($0.element.topicPartition.partition) }) else {
                logger.error("Topic \(name) has missing partition folders; serving the partitions before the gap")
                continue
            }
            let id = logManager.topicId(for: TopicPartition(topic: name, partition: 0)).flatMap(KafkaUUID.init) ?? KafkaUUID.random()
            let overrides = try configStore.load(name: name)
            // Logs load with the broker defaults; the topic's own settings apply from here on.
            let settings = try TopicSettings(overrides: overrides, defaults: configuration)
            for log in sorted { log.updateConfiguration(settings.log) }
            topics[name] = Topic(name: name, id: id, partitions: sorted, configOverrides: overrides, settings: settings)
        }
        self.topics = Mutex(topics)
    }

    func topic(named name: String) -> Topic? {
        topics.withLock { $0[name] }
    }

    func topic(withId id: KafkaUUID) -> Topic? {
        topics.withLock { $0.values.first { $0.id == id } }
    }

    func allTopics() -> [Topic] {
        topics.withLock { Array($0.values) }.sorted { $0.name < $1.name }
    }

    func log(_ topic: String, _ partition: Int32) -> PartitionLog? {
        topics.withLock { topics in
            guard let topic = topics[topic], partition >= 0, Int(partition) < topic.partitions.count else { return nil }
            return topic.partitions[Int(partition)]
        }
    }

    /// A topic's settings: broker defaults with the topic's overrides applied.
    func settings(overrides: [String: String]) throws(TopicError) -> TopicSettings {
        try TopicSettings(overrides: overrides, defaults: brokerConfiguration.current)
    }

    /// Checks a new topic's settings the way Kafka's controller does, without creating anything.
    func validateCreation(name: String, partitions: Int32, replicationFactor: Int16, overrides: [String: String]) throws(TopicError) {
        try TopicName.validate(name)
        try topics.withLock { (topics: inout [String: Topic]) throws(TopicError) in
            try Self.checkNameIsFree(name, in: topics)
        }
        if partitions <= 0 {
            throw TopicError(.invalidPartitions, "Number of partitions was set to an invalid non-positive value.")
        }
        if replicationFactor <= 0 {
            throw TopicError(.invalidReplicationFactor, "Replication factor must be larger than 0.")
        }
        if replicationFactor > 1 {
            throw TopicError(
                .invalidReplicationFactor,
                "Unable to replicate the partition \(replicationFactor) time(s): The target replication factor of \(replicationFactor) cannot be reached because only 1 broker(s) are registered."
            )
        }
        _ = try settings(overrides: overrides)
    }

    private static func checkNameIsFree(_ name: String, in topics: [String: Topic]) throws(TopicError) {
        if topics[name] != nil {
            throw TopicError(.topicAlreadyExists, "Topic '\(name)' already exists.")
        }
        let key = TopicName.collisionKey(name)
        if let existing = topics.keys.first(where: { TopicName.collisionKey($0) == key }) {
            throw TopicError(.invalidTopicException, "Topic '\(name)' collides with existing topic: \(existing)")
        }
    }

    /// Creates a topic with its partition logs and persisted overrides.
    @discardableResult
    func create(name: String, partitions: Int32, replicationFactor: Int16, overrides: [String: String]) throws(TopicError) -> Topic {
        try validateCreation(name: name, partitions: partitions, replicationFactor: replicationFactor, overrides: overrides)
        let settings = try settings(overrides: overrides)
        let topic = try topics.withLock { (topics: inout [String: Topic]) throws(TopicError) -> Topic in
            try Self.checkNameIsFree(name, in: topics)
            let id = KafkaUUID.random()
            var logs: [PartitionLog] = []
            do {
                try configStore.save(name: name, overrides: overrides)
                for partition in 0..<partitions {
                    logs.append(
                        try logManager.createLog(
                            TopicPartition(topic: name, partition: partition), topicId: id.description, configuration: settings.log))
                }
            } catch {
                try? logManager.deleteLogs(topic: name)
                configStore.remove(name: name)
                throw TopicError(.kafkaStorageError, "Cannot create the logs of topic \(name): \(error)")
            }
            let topic = Topic(name: name, id: id, partitions: logs, configOverrides: overrides, settings: settings)
            topics[name] = topic
            return topic
        }
        logger.info(
            "Created topic \(name) with \(partitions) partition(s), id \(topic.id)\(overrides.isEmpty ? "" : ", configs \(overrides)")")
        warnAboutSettingsWithoutEffect(overrides, previously: [:], topic: name)
        return topic
    }

    /// The topic, created with the broker's defaults when it does not exist and creation is allowed.
    func topicCreatingIfAllowed(_ name: String, allowed: Bool) throws(TopicError) -> Topic {
        if let topic = topic(named: name) { return topic }
        try TopicName.validate(name)
        guard allowed else {
            throw TopicError(.unknownTopicOrPartition, "This server does not host this topic-partition.")
        }
        do {
            return try create(name: name, partitions: brokerConfiguration.current.numPartitions, replicationFactor: 1, overrides: [:])
        } catch  where error.code == .topicAlreadyExists {
            return topic(named: name)!
        }
    }

    func delete(name: String) throws(TopicError) {
        guard brokerConfiguration.current.deleteTopicEnable else {
            throw TopicError(.topicDeletionDisabled, "Topic deletion is disabled.")
        }
        try topics.withLock { (topics: inout [String: Topic]) throws(TopicError) in
            guard let topic = topics.removeValue(forKey: name) else {
                throw TopicError(.unknownTopicOrPartition, "This server does not host this topic-partition.")
            }
            do {
                try logManager.deleteLogs(topic: topic.name)
            } catch {
                logger.error("Deleting the logs of topic \(name) failed: \(error)")
            }
            configStore.remove(name: name)
        }
        logger.info("Deleted topic \(name)")
    }

    func addPartitions(name: String, totalCount: Int32) throws(TopicError) {
        try topics.withLock { (topics: inout [String: Topic]) throws(TopicError) in
            guard var topic = topics[name] else {
                throw TopicError(.unknownTopicOrPartition, "The topic '\(name)' does not exist.")
            }
            let current = Int32(topic.partitions.count)
            guard totalCount > current else {
                let relation = totalCount == current ? "equal to" : "higher than"
                throw TopicError(
                    .invalidPartitions, "Topic currently has \(current) partitions, which is \(relation) the requested \(totalCount).")
            }
            do {
                for partition in current..<totalCount {
                    topic.partitions.append(
                        try logManager.createLog(
                            TopicPartition(topic: name, partition: partition), topicId: topic.id.description,
                            configuration: topic.settings.log))
                }
            } catch {
                throw TopicError(.kafkaStorageError, "Cannot create partitions of \(name): \(error)")
            }
            topics[name] = topic
        }
        logger.info("Topic \(name) now has \(totalCount) partitions")
    }

    /// Replaces a topic's overrides; the logs take the new settings at once.
    func setConfigOverrides(name: String, overrides: [String: String]) throws(TopicError) {
        let settings = try settings(overrides: overrides)
        let previous = try topics.withLock { (topics: inout [String: Topic]) throws(TopicError) -> [String: String] in
            guard var topic = topics[name] else {
                throw TopicError(.unknownTopicOrPartition, "The topic '\(name)' does not exist.")
            }
            do {
                try configStore.save(name: name, overrides: overrides)
            } catch {
                throw TopicError(.kafkaStorageError, "Cannot save the configuration of \(name): \(error)")
            }
            let previous = topic.configOverrides
            topic.configOverrides = overrides
            topic.settings = settings
            for log in topic.partitions { log.updateConfiguration(settings.log) }
            topics[name] = topic
            return previous
        }
        logger.info("Updated the configuration of topic \(name): \(overrides)")
        warnAboutSettingsWithoutEffect(overrides, previously: previous, topic: name)
    }

    /// Resolves every topic's settings again after the broker's defaults changed, so that a topic
    /// without its own value follows the new default, as in Kafka.
    func brokerDefaultsChanged() {
        let configuration = brokerConfiguration.current
        topics.withLock { topics in
            for (name, topic) in topics {
                // Overrides were checked when they were set, and none depends on the defaults.
                guard let settings = try? TopicSettings(overrides: topic.configOverrides, defaults: configuration) else { continue }
                guard settings != topic.settings else { continue }
                topics[name]?.settings = settings
                for log in topic.partitions { log.updateConfiguration(settings.log) }
            }
        }
    }

    /// One warning line for each setting without effect in Samsa that a client sets or changes,
    /// so that whoever relies on it learns that it is ignored.
    private func warnAboutSettingsWithoutEffect(_ overrides: [String: String], previously: [String: String], topic: String) {
        for (key, value) in overrides.sorted(by: { $0.key < $1.key })
        where TopicSettings.definitionsByName[key]?.origin == .withoutEffect && previously[key] != value {
            logger.warning("Topic \(topic): \(key)=\(value) is accepted as Kafka accepts it, but has no effect in Samsa")
        }
    }
}
