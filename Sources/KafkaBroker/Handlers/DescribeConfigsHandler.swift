import KafkaProtocol

/// DescribeConfigs 0–4 for topics (every topic setting with its effective value and where it
/// comes from) and for this broker (its server.properties settings). With an authorizer a topic
/// needs DESCRIBE_CONFIGS on itself and the broker on the cluster.
struct DescribeConfigsHandler: ApiHandler {
    let state: BrokerState
    let versions: ClosedRange<Int16> = 0...4

    /// Kafka's `ConfigSource` values.
    enum ConfigSource: Int8 {
        case dynamicTopic = 1
        case staticBroker = 4
        case defaultConfig = 5
    }

    /// Kafka's `ConfigResource.Type` values.
    enum ResourceType: Int8 {
        case topic = 2
        case broker = 4
    }

    struct Entry {
        var name: String
        var value: String?
        var readOnly: Bool
        var configSource: ConfigSource
        var type: ConfigValueType
        var documentation: String
    }

    /// Every topic setting: the topic's own value where it has one, else the broker's default.
    static func topicEntries(overrides: [String: String], configuration: BrokerConfiguration) -> [Entry] {
        let defaults = TopicSettings(defaults: configuration)
        return TopicSettings.definitions.map { definition in
            let override = overrides[definition.key]
            return Entry(
                name: definition.key, value: override ?? definition.render(defaults), readOnly: false,
                configSource: override == nil ? .defaultConfig : .dynamicTopic, type: definition.type,
                documentation: definition.documentation)
        }
    }

    /// Every broker setting with a server.properties key; all are read-only (static).
    static func brokerEntries(configuration: BrokerConfiguration) -> [Entry] {
        let defaults = BrokerConfiguration()
        return BrokerConfiguration.settings.filter { $0.origin != .embeddingOnly }.map { setting in
            let value = setting.render(configuration)
            return Entry(
                name: setting.key, value: value, readOnly: true,
                configSource: value == setting.render(defaults) ? .defaultConfig : .staticBroker, type: setting.type,
                documentation: setting.documentation)
        }
    }

    func handle(_ request: DescribeConfigsRequest, context: RequestContext) async throws -> DescribeConfigsResponse? {
        var response = DescribeConfigsResponse()
        for resource in request.resources {
            var result = DescribeConfigsResponse.DescribeConfigsResult(
                errorCode: 0, errorMessage: nil, resourceType: resource.resourceType, resourceName: resource.resourceName)
            if let refusal = state.authorizeConfigs(
                context, .describeConfigs, resourceType: resource.resourceType, name: resource.resourceName)
            {
                result.errorCode = refusal.rawValue
                response.results.append(result)
                continue
            }
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
                    result.errorMessage =
                        "Unexpected broker id, expected \(state.configuration.nodeId) but received \(resource.resourceName)"
                    response.results.append(result)
                    continue
                }
                entries = Self.brokerEntries(configuration: state.configuration)
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
                .init(
                    name: entry.name, value: entry.value, readOnly: entry.readOnly, isDefault: entry.configSource == .defaultConfig,
                    configSource: entry.configSource.rawValue, isSensitive: false,
                    synonyms: request.includeSynonyms
                        ? [.init(name: entry.name, value: entry.value, source: entry.configSource.rawValue)] : [],
                    configType: entry.type.rawValue,
                    documentation: request.includeDocumentation ? entry.documentation : nil)
            }
            response.results.append(result)
        }
        return response
    }
}
