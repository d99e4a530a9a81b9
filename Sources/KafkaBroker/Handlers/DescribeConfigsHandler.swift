import KafkaProtocol

/// DescribeConfigs 0–4 for topics (every topic setting with its effective value and where it
/// comes from) and for this broker (its server.properties settings).
struct DescribeConfigsHandler: ApiHandler {
    let state: BrokerState
    let versions: ClosedRange<Int16> = 0...4

    /// Kafka's `ConfigSource` values.
    enum ConfigSource: Int8 {
        case dynamicTopic = 1, staticBroker = 4, defaultConfig = 5
    }

    /// Kafka's `ConfigResource.Type` values.
    enum ResourceType: Int8 {
        case topic = 2, broker = 4
    }

    struct Entry {
        var name: String
        var value: String
        var readOnly: Bool
        var configSource: Int8
        var type: TopicConfigDefinitions.ValueType
    }

    static func topicEntries(overrides: [String: String], configuration: BrokerConfiguration) -> [Entry] {
        TopicConfigDefinitions.definitions.map { definition in
            if let value = overrides[definition.name] {
                return Entry(name: definition.name, value: value, readOnly: false, configSource: ConfigSource.dynamicTopic.rawValue, type: definition.type)
            }
            return Entry(
                name: definition.name, value: definition.defaultValue(configuration), readOnly: false,
                configSource: ConfigSource.defaultConfig.rawValue, type: definition.type)
        }
    }

    private func brokerEntries() -> [Entry] {
        let configuration = state.configuration
        let listener = configuration.listener
        let values: [(String, String, TopicConfigDefinitions.ValueType)] = [
            ("node.id", "\(configuration.nodeId)", .int),
            ("broker.id", "\(configuration.nodeId)", .int),
            ("listeners", "PLAINTEXT://\(listener.host):\(listener.port)", .string),
            ("advertised.listeners", "\(state.advertisedListener)", .string),
            ("log.dirs", configuration.logDirectory, .string),
            ("num.partitions", "\(configuration.numPartitions)", .int),
            ("auto.create.topics.enable", "\(configuration.autoCreateTopics)", .boolean),
            ("delete.topic.enable", "\(configuration.deleteTopicEnable)", .boolean),
            ("log.retention.ms", "\(configuration.logRetentionMs)", .long),
            ("log.retention.bytes", "\(configuration.logRetentionBytes)", .long),
            ("log.segment.bytes", "\(configuration.logSegmentBytes)", .int),
            ("message.max.bytes", "\(configuration.messageMaxBytes)", .int),
            ("socket.request.max.bytes", "\(configuration.socketRequestMaxBytes)", .int),
            ("fetch.max.bytes", "\(configuration.fetchMaxBytes)", .int),
            ("max.connections", "\(configuration.maxConnections)", .int),
            ("max.connections.per.ip", "\(configuration.maxConnectionsPerIp)", .int),
            ("connections.max.idle.ms", "\(configuration.connectionsMaxIdleMs)", .long),
            ("compression.type", configuration.compressionType, .string),
            ("default.replication.factor", "\(configuration.defaultReplicationFactor)", .int),
            ("min.insync.replicas", "\(configuration.minInsyncReplicas)", .int),
            ("offsets.topic.num.partitions", "\(configuration.offsetsTopicNumPartitions)", .int),
            ("group.initial.rebalance.delay.ms", "\(configuration.groupInitialRebalanceDelayMs)", .int),
        ]
        return values.map {
            Entry(name: $0.0, value: $0.1, readOnly: true, configSource: ConfigSource.staticBroker.rawValue, type: $0.2)
        }
    }

    func handle(_ request: DescribeConfigsRequest, context: RequestContext) async throws -> DescribeConfigsResponse? {
        var response = DescribeConfigsResponse()
        for resource in request.resources {
            var result = DescribeConfigsResponse.DescribeConfigsResult(
                errorCode: 0, errorMessage: nil, resourceType: resource.resourceType, resourceName: resource.resourceName)
            var entries: [Entry]
            switch ResourceType(rawValue: resource.resourceType) {
            case .topic:
                guard let topic = state.topics.topic(named: resource.resourceName) else {
                    result.errorCode = ErrorCode.unknownTopicOrPartition.rawValue
                    result.errorMessage = "Topic \(resource.resourceName) does not exist."
                    response.results.append(result)
                    continue
                }
                entries = Self.topicEntries(overrides: topic.configOverrides, configuration: state.configuration)
            case .broker:
                guard resource.resourceName.isEmpty || resource.resourceName == "\(state.configuration.nodeId)" else {
                    result.errorCode = ErrorCode.invalidRequest.rawValue
                    result.errorMessage = "Unexpected broker id, expected \(state.configuration.nodeId) but received \(resource.resourceName)"
                    response.results.append(result)
                    continue
                }
                entries = brokerEntries()
            case nil:
                result.errorCode = ErrorCode.invalidRequest.rawValue
                result.errorMessage = "Unsupported resource type \(resource.resourceType)"
                response.results.append(result)
                continue
            }
            if let keys = resource.configurationKeys {
                entries = entries.filter { keys.contains($0.name) }
            }
            result.configs = entries.map { entry in
                let isDefault = entry.configSource == ConfigSource.defaultConfig.rawValue
                return .init(
                    name: entry.name, value: entry.value, readOnly: entry.readOnly, isDefault: isDefault,
                    configSource: entry.configSource, isSensitive: false,
                    synonyms: request.includeSynonyms ? [.init(name: entry.name, value: entry.value, source: entry.configSource)] : [],
                    configType: entry.type.rawValue, documentation: nil)
            }
            response.results.append(result)
        }
        return response
    }
}
