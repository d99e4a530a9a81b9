import KafkaProtocol
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle

/// Topic, configuration and group administration, after kafka-python's `KafkaAdminClient`.
///
/// Every call is one request (or one per broker/coordinator involved) and throws the first error a
/// broker reports, with the topic or group it concerns. Use it standalone and `close()` it, or run
/// it in a `ServiceGroup`, which closes it on graceful shutdown.
public final class KafkaAdminClient: Service, Sendable {
    /// Internal, not private: the `KafkaAdminClient+…` extensions send through it too.
    let cluster: KafkaCluster
    let configuration: KafkaAdminConfiguration
    private let logger: Logger

    public init(
        configuration: KafkaAdminConfiguration,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger = Logger(label: "samsa.kafka.admin")
    ) throws(KafkaError) {
        self.configuration = configuration
        self.logger = logger
        self.cluster = KafkaCluster(configuration: try configuration.clusterConfiguration(), eventLoopGroup: eventLoopGroup, logger: logger)
    }

    /// Keeps the client until graceful shutdown (or cancellation), then closes it.
    public func run() async throws {
        try? await gracefulShutdown()
        await close()
    }

    /// Closes every connection; later calls throw `shutdown`.
    public func close() async {
        await cluster.close()
    }

    /// An admin client dropped without `close()` closes its connections.
    deinit {
        Task { [cluster] in await cluster.close() }
    }

    var defaultTimeoutMs: Int32 { Int32(clamping: configuration.requestTimeoutMs) }

    // MARK: - Topics

    /// Creates topics on the controller (CreateTopics). Throws the first topic's error, such as
    /// TOPIC_ALREADY_EXISTS or INVALID_REPLICATION_FACTOR.
    public func createTopics(_ topics: [NewTopic], timeoutMs: Int32? = nil, validateOnly: Bool = false) async throws(KafkaError) {
        let connection = try await cluster.controllerConnection()
        let version = try connection.apiVersions.version(for: CreateTopicsRequest.self)
        if version < 4,
            let topic = topics.first(where: { $0.replicaAssignments.isEmpty && ($0.numPartitions < 0 || $0.replicationFactor < 0) })
        {
            throw KafkaError.invalidConfiguration(
                "topic \(topic.name): the broker's CreateTopics v\(version) needs explicit partitions and replication factor")
        }
        let request = CreateTopicsRequest(
            topics: topics.map { topic in
                CreateTopicsRequest.CreatableTopic(
                    name: topic.name, numPartitions: topic.numPartitions, replicationFactor: topic.replicationFactor,
                    assignments: topic.replicaAssignments.sorted { $0.key < $1.key }.map {
                        .init(partitionIndex: $0.key, brokerIds: $0.value)
                    },
                    configs: topic.topicConfigs.sorted { $0.key < $1.key }.map { .init(name: $0.key, value: $0.value) })
            },
            timeoutMs: timeoutMs ?? defaultTimeoutMs, validateOnly: validateOnly)
        let response = try await connection.send(request, version: version, timeout: requestTimeout(plus: timeoutMs))
        for result in response.topics {
            if let error = KafkaError.broker(code: result.errorCode, "create topic \(result.name)", brokerMessage: result.errorMessage) {
                throw error
            }
        }
    }

    /// Deletes topics on the controller (DeleteTopics).
    public func deleteTopics(_ names: [String], timeoutMs: Int32? = nil) async throws(KafkaError) {
        let connection = try await cluster.controllerConnection()
        // v0-5 name topics in `topicNames`, v6 in `topics`; the encoder writes the one its version has.
        let request = DeleteTopicsRequest(
            topics: names.map { .init(name: $0) }, topicNames: names, timeoutMs: timeoutMs ?? defaultTimeoutMs)
        let response = try await connection.send(request, timeout: requestTimeout(plus: timeoutMs))
        for result in response.responses {
            let name = result.name ?? "\(result.topicId)"
            if let error = KafkaError.broker(code: result.errorCode, "delete topic \(name)", brokerMessage: result.errorMessage) {
                throw error
            }
        }
        for name in names { await cluster.invalidate(topic: name) }
    }

    /// The names of all topics, sorted.
    public func listTopics() async throws(KafkaError) -> [String] {
        try await cluster.refreshMetadata(topics: nil).topics.keys.sorted()
    }

    /// Describes the named topics, or all topics for nil. A missing topic throws
    /// UNKNOWN_TOPIC_OR_PARTITION (topics are never auto-created by the admin client).
    public func describeTopics(_ names: [String]? = nil) async throws(KafkaError) -> [KafkaTopicDescription] {
        let metadata = try await cluster.refreshMetadata(topics: names)
        let wanted = names ?? metadata.topics.keys.sorted()
        var descriptions: [KafkaTopicDescription] = []
        for name in wanted {
            guard let topic = metadata.topics[name] else {
                throw KafkaError.broker(.unknownTopicOrPartition, "describe topic \(name)")!
            }
            if let error = KafkaError.broker(topic.error, "describe topic \(name)") { throw error }
            descriptions.append(
                KafkaTopicDescription(
                    name: name, topicId: topic.id, isInternal: topic.isInternal,
                    partitions: topic.partitions.map {
                        .init(partition: $0.id, leader: $0.leader, replicas: $0.replicas, inSyncReplicas: $0.inSyncReplicas)
                    }))
        }
        return descriptions
    }

    /// Raises topics' partition counts to the given totals (CreatePartitions).
    public func createPartitions(_ totalCounts: [String: Int32], timeoutMs: Int32? = nil, validateOnly: Bool = false)
        async throws(KafkaError)
    {
        let connection = try await cluster.controllerConnection()
        let request = CreatePartitionsRequest(
            topics: totalCounts.sorted { $0.key < $1.key }.map { .init(name: $0.key, count: $0.value, assignments: nil) },
            timeoutMs: timeoutMs ?? defaultTimeoutMs, validateOnly: validateOnly)
        let response = try await connection.send(request, timeout: requestTimeout(plus: timeoutMs))
        for result in response.results {
            if let error = KafkaError.broker(
                code: result.errorCode, "create partitions of \(result.name)", brokerMessage: result.errorMessage)
            {
                throw error
            }
        }
        for name in totalCounts.keys { await cluster.invalidate(topic: name) }
    }

    // MARK: - Configs

    /// The settings of each resource (DescribeConfigs); `keys` nil for all of them. Broker
    /// resources are asked of that broker, as Kafka requires. `includeSynonyms` fills each
    /// entry's `synonyms`.
    public func describeConfigs(
        _ resources: [KafkaConfigResource], keys: [String]? = nil, includeSynonyms: Bool = false
    ) async throws(KafkaError) -> [KafkaConfigResource: [String: KafkaConfigEntry]] {
        var result: [KafkaConfigResource: [String: KafkaConfigEntry]] = [:]
        for (connection, group) in try await connections(for: resources) {
            let request = DescribeConfigsRequest(
                resources: group.map { .init(resourceType: $0.type.rawValue, resourceName: $0.name, configurationKeys: keys) },
                includeSynonyms: includeSynonyms)
            let response = try await connection.send(request)
            for described in response.results {
                let resource = KafkaConfigResource(type: .init(rawValue: described.resourceType), name: described.resourceName)
                if let error = KafkaError.broker(
                    code: described.errorCode, "describe configs of \(resource)", brokerMessage: described.errorMessage)
                {
                    throw error
                }
                var entries: [String: KafkaConfigEntry] = [:]
                for config in described.configs {
                    // configSource 5 is DEFAULT_CONFIG; v0 has only the isDefault flag.
                    entries[config.name] = KafkaConfigEntry(
                        name: config.name, value: config.value, isReadOnly: config.readOnly,
                        isDefault: config.isDefault || config.configSource == 5, isSensitive: config.isSensitive,
                        source: KafkaConfigSource(rawValue: max(config.configSource, 0)),
                        synonyms: config.synonyms.map {
                            KafkaConfigSynonym(name: $0.name, value: $0.value, source: KafkaConfigSource(rawValue: $0.source))
                        })
                }
                result[resource] = entries
            }
        }
        return result
    }

    /// Sets the given settings of each resource. Uses IncrementalAlterConfigs (SET), which leaves
    /// other settings alone; a broker without it gets AlterConfigs, which on Kafka resets the
    /// settings not named to their defaults.
    public func alterConfigs(_ changes: [KafkaConfigResource: [String: String]], validateOnly: Bool = false) async throws(KafkaError) {
        for (connection, group) in try await connections(for: Array(changes.keys)) {
            if connection.apiVersions.supports(.incrementalAlterConfigs) {
                let request = IncrementalAlterConfigsRequest(
                    resources: group.map { resource in
                        .init(
                            resourceType: resource.type.rawValue, resourceName: resource.name,
                            configs: changes[resource, default: [:]].sorted { $0.key < $1.key }.map {
                                .init(name: $0.key, configOperation: 0, value: $0.value)
                            })
                    }, validateOnly: validateOnly)
                for response in try await connection.send(request).responses {
                    let resource = KafkaConfigResource(type: .init(rawValue: response.resourceType), name: response.resourceName)
                    if let error = KafkaError.broker(
                        code: response.errorCode, "alter configs of \(resource)", brokerMessage: response.errorMessage)
                    {
                        throw error
                    }
                }
            } else {
                let request = AlterConfigsRequest(
                    resources: group.map { resource in
                        .init(
                            resourceType: resource.type.rawValue, resourceName: resource.name,
                            configs: changes[resource, default: [:]].sorted { $0.key < $1.key }.map { .init(name: $0.key, value: $0.value) }
                        )
                    }, validateOnly: validateOnly)
                for response in try await connection.send(request).responses {
                    let resource = KafkaConfigResource(type: .init(rawValue: response.resourceType), name: response.resourceName)
                    if let error = KafkaError.broker(
                        code: response.errorCode, "alter configs of \(resource)", brokerMessage: response.errorMessage)
                    {
                        throw error
                    }
                }
            }
        }
    }

    /// Removes settings so that their defaults apply again (IncrementalAlterConfigs DELETE, what
    /// `kafka-configs.sh --delete-config` sends). Brokers without IncrementalAlterConfigs throw
    /// `unsupportedVersion`: AlterConfigs cannot remove one setting alone.
    public func deleteConfigs(_ deletions: [KafkaConfigResource: [String]], validateOnly: Bool = false) async throws(KafkaError) {
        for (connection, group) in try await connections(for: Array(deletions.keys)) {
            guard connection.apiVersions.supports(.incrementalAlterConfigs) else {
                throw KafkaError(.unsupportedVersion, "broker \(connection.address) has no IncrementalAlterConfigs to delete settings")
            }
            let request = IncrementalAlterConfigsRequest(
                resources: group.map { resource in
                    .init(
                        resourceType: resource.type.rawValue, resourceName: resource.name,
                        configs: deletions[resource, default: []].sorted().map { .init(name: $0, configOperation: 1, value: nil) })
                }, validateOnly: validateOnly)
            for response in try await connection.send(request).responses {
                let resource = KafkaConfigResource(type: .init(rawValue: response.resourceType), name: response.resourceName)
                if let error = KafkaError.broker(
                    code: response.errorCode, "delete configs of \(resource)", brokerMessage: response.errorMessage)
                {
                    throw error
                }
            }
        }
    }

    /// Broker resources go to their broker, the rest (and the brokers' cluster-wide default, an
    /// empty name) to any broker.
    private func connections(for resources: [KafkaConfigResource]) async throws(KafkaError) -> [(BrokerConnection, [KafkaConfigResource])] {
        var groups: [(BrokerConnection, [KafkaConfigResource])] = []
        let others = resources.filter { $0.type != .broker || $0.name.isEmpty }
        if !others.isEmpty { groups.append((try await cluster.anyConnection(), others)) }
        for resource in resources where resource.type == .broker && !resource.name.isEmpty {
            guard let nodeId = Int32(resource.name) else {
                throw KafkaError.invalidConfiguration("broker resource name '\(resource.name)' is not a broker id")
            }
            groups.append((try await cluster.connection(toNode: nodeId), [resource]))
        }
        return groups
    }

    // MARK: - Groups

    /// The groups every broker knows (ListGroups to each broker).
    public func listConsumerGroups() async throws(KafkaError) -> [KafkaConsumerGroupListing] {
        let metadata = try await cluster.refreshMetadata(topics: [])
        var listings: [KafkaConsumerGroupListing] = []
        for nodeId in metadata.brokers.keys.sorted() {
            let response = try await cluster.connection(toNode: nodeId).send(ListGroupsRequest())
            if let error = KafkaError.broker(code: response.errorCode, "list groups on broker \(nodeId)") { throw error }
            listings += response.groups.map {
                KafkaConsumerGroupListing(groupId: $0.groupId, protocolType: $0.protocolType, state: $0.groupState)
            }
        }
        return listings.sorted { $0.groupId < $1.groupId }
    }

    /// Each group's state and members with their assignments (DescribeGroups at its coordinator).
    public func describeConsumerGroups(_ groupIds: [String]) async throws(KafkaError) -> [KafkaConsumerGroupDescription] {
        var descriptions: [KafkaConsumerGroupDescription] = []
        for groupId in groupIds {
            let coordinator = try await coordinator(of: groupId)
            // FindCoordinator's node id is not kept with the connection; Metadata maps the address back.
            let brokers = try await cluster.refreshMetadata(topics: []).brokers
            let coordinatorId = brokers.first { $0.value == coordinator.address }?.key ?? -1
            let response = try await coordinator.send(DescribeGroupsRequest(groups: [groupId]))
            for group in response.groups {
                if let error = KafkaError.broker(code: group.errorCode, "describe group \(group.groupId)") { throw error }
                var members: [KafkaConsumerGroupDescription.Member] = []
                for member in group.members {
                    let assignment =
                        group.protocolType == "consumer"
                        ? try ConsumerProtocolAssignment(decoding: member.memberAssignment).partitions : []
                    members.append(
                        .init(
                            memberId: member.memberId, groupInstanceId: member.groupInstanceId, clientId: member.clientId,
                            clientHost: member.clientHost, assignment: assignment))
                }
                descriptions.append(
                    KafkaConsumerGroupDescription(
                        groupId: group.groupId, state: group.groupState, protocolType: group.protocolType,
                        assignor: group.protocolData, members: members, coordinatorId: coordinatorId,
                        coordinator: coordinator.address))
            }
        }
        return descriptions
    }

    /// Deletes groups that have no members (DeleteGroups at each coordinator).
    public func deleteConsumerGroups(_ groupIds: [String]) async throws(KafkaError) {
        for groupId in groupIds {
            let response = try await coordinator(of: groupId).send(DeleteGroupsRequest(groupsNames: [groupId]))
            for result in response.results {
                if let error = KafkaError.broker(code: result.errorCode, "delete group \(result.groupId)") { throw error }
            }
        }
    }

    /// The group's committed offsets (OffsetFetch at its coordinator), for the given partitions or
    /// for every partition it has committed when nil.
    public func listConsumerGroupOffsets(
        _ groupId: String, partitions: [TopicPartition]? = nil
    ) async throws(KafkaError) -> [TopicPartition: OffsetAndMetadata] {
        let connection = try await coordinator(of: groupId)
        do {
            return try await OffsetFetcher.fetch(groupId: groupId, partitions: partitions, from: connection)
        } catch  where partitions == nil && error.code == .protocolViolation {
            // Tansu 0.6 answers the "all partitions" form with a null topics array; ask for every
            // partition of every topic instead.
            let metadata = try await cluster.refreshMetadata(topics: nil)
            let all = metadata.topics.values.flatMap { topic in topic.partitions.map { TopicPartition(topic: topic.name, partition: $0.id) }
            }
            return try await OffsetFetcher.fetch(groupId: groupId, partitions: all, from: connection)
        }
    }

    func coordinator(of groupId: String) async throws(KafkaError) -> BrokerConnection {
        try await cluster.coordinatorConnection(
            forGroup: groupId, deadline: .now + .milliseconds(configuration.requestTimeoutMs))
    }

    /// A request that waits on the broker for `timeoutMs` gets that much longer than the usual
    /// request timeout before the connection gives up on it.
    func requestTimeout(plus timeoutMs: Int32?) -> TimeAmount {
        .milliseconds(Int64(configuration.requestTimeoutMs) + Int64(timeoutMs ?? defaultTimeoutMs))
    }
}
