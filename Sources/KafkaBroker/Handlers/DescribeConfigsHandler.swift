import KafkaProtocol

/// DescribeConfigs 0–4 for topics (every topic setting with its effective value and where it
/// comes from) and for this broker (its settings, with the dynamic configs applied). With
/// `include_synonyms`, each setting lists every level that sets it, highest precedence first, as
/// Kafka does. With an authorizer a topic needs DESCRIBE_CONFIGS on itself and the broker on the
/// cluster.
struct DescribeConfigsHandler: ApiHandler {
    let state: BrokerState
    let versions: ClosedRange<Int16> = 0...4

    /// Kafka's `ConfigSource` values.
    enum ConfigSource: Int8 {
        case dynamicTopic = 1
        case dynamicBroker = 2
        case dynamicDefaultBroker = 3
        case staticBroker = 4
        case defaultConfig = 5
    }

    /// Kafka's `ConfigResource.Type` values.
    enum ResourceType: Int8 {
        case topic = 2
        case broker = 4
    }

    /// One level that sets a setting, as DescribeConfigs' synonyms list it.
    struct Synonym: Equatable {
        var name: String
        var value: String?
        var source: ConfigSource
    }

    struct Entry {
        var name: String
        var value: String?
        var readOnly: Bool
        var configSource: ConfigSource
        var type: ConfigValueType
        var documentation: String
        /// Every level that sets it, highest precedence first.
        var synonyms: [Synonym]
    }

    /// Every topic setting: the topic's own value where it has one, else the broker's, which may
    /// be a dynamic broker config.
    static func topicEntries(overrides: [String: String], levels: DynamicBrokerConfiguration.Levels) -> [Entry] {
        let defaults = TopicSettings(defaults: levels.effective)
        return TopicSettings.definitions.map { definition in
            let override = overrides[definition.key]
            var synonyms = override.map { [Synonym(name: definition.key, value: $0, source: .dynamicTopic)] } ?? []
            if let brokerKey = BrokerConfiguration.brokerKeysByTopicKey[definition.key],
                let setting = BrokerConfiguration.settingsByKey[brokerKey]
            {
                synonyms += brokerSynonyms(setting, levels: levels)
            } else if let value = definition.render(TopicSettings(defaults: BrokerConfiguration())) {
                synonyms.append(Synonym(name: definition.key, value: value, source: .defaultConfig))
            }
            return Entry(
                name: definition.key, value: override ?? definition.render(defaults), readOnly: false,
                configSource: synonyms.first?.source ?? .defaultConfig, type: definition.type,
                documentation: definition.documentation, synonyms: synonyms)
        }
    }

    /// Every broker setting with a server.properties key; those Samsa can change at run time are
    /// not read-only. For the cluster-wide default (an empty resource name), as Kafka, only the
    /// settings set there, with their synonyms below that level.
    static func brokerEntries(levels: DynamicBrokerConfiguration.Levels, clusterDefault: Bool = false) -> [Entry] {
        var levels = levels
        if clusterDefault { levels.broker = [:] }
        return BrokerConfiguration.settings.filter {
            $0.origin != .embeddingOnly && (!clusterDefault || levels.clusterDefault[$0.key] != nil)
        }.map { setting in
            let synonyms = brokerSynonyms(setting, levels: levels)
            return Entry(
                name: setting.key, value: clusterDefault ? levels.clusterDefault[setting.key] : setting.render(levels.effective),
                readOnly: !BrokerConfiguration.dynamicKeys.contains(setting.key),
                configSource: synonyms.first?.source ?? .defaultConfig, type: setting.type,
                documentation: setting.documentation, synonyms: synonyms)
        }
    }

    /// The levels that set a broker setting: this broker's dynamic config, the cluster default,
    /// server.properties (where it differs from the default) and the default itself.
    private static func brokerSynonyms(_ setting: BrokerSetting, levels: DynamicBrokerConfiguration.Levels) -> [Synonym] {
        var synonyms: [Synonym] = []
        if let value = levels.broker[setting.key] {
            synonyms.append(Synonym(name: setting.key, value: value, source: .dynamicBroker))
        }
        if let value = levels.clusterDefault[setting.key] {
            synonyms.append(Synonym(name: setting.key, value: value, source: .dynamicDefaultBroker))
        }
        let defaultValue = setting.render(BrokerConfiguration())
        let staticValue = setting.render(levels.staticConfiguration)
        if staticValue != defaultValue {
            synonyms.append(Synonym(name: setting.key, value: staticValue, source: .staticBroker))
        }
        if let defaultValue {
            synonyms.append(defaultSynonym(setting, defaultValue))
        }
        return synonyms
    }

    /// Kafka's default sits on the coarsest spelling of a setting that has several units
    /// (`log.retention.hours=168`, not `log.retention.ms`), and its synonym is named so.
    private static func defaultSynonym(_ setting: BrokerSetting, _ defaultValue: String) -> Synonym {
        guard let alias = setting.aliases.last, let multiplier = alias.multiplier, let value = Int64(defaultValue) else {
            return Synonym(name: setting.key, value: defaultValue, source: .defaultConfig)
        }
        return Synonym(name: alias.key, value: "\(value / multiplier)", source: .defaultConfig)
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
                entries = Self.topicEntries(overrides: topic.configOverrides, levels: state.dynamicConfiguration.levels)
            case .broker:
                guard resource.resourceName.isEmpty || resource.resourceName == "\(state.configuration.nodeId)" else {
                    result.errorCode = ErrorCode.invalidRequest.rawValue
                    result.errorMessage =
                        "Unexpected broker id, expected \(state.configuration.nodeId) but received \(resource.resourceName)"
                    response.results.append(result)
                    continue
                }
                entries = Self.brokerEntries(levels: state.dynamicConfiguration.levels, clusterDefault: resource.resourceName.isEmpty)
            case nil:
                result.errorCode = ErrorCode.invalidRequest.rawValue
                result.errorMessage = "Unknown resource type \(resource.resourceType)"
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
                        ? entry.synonyms.map { .init(name: $0.name, value: $0.value, source: $0.source.rawValue) } : [],
                    configType: entry.type.rawValue,
                    documentation: request.includeDocumentation ? entry.documentation : nil)
            }
            response.results.append(result)
        }
        return response
    }
}
