import KafkaProtocol

/// The shared part of AlterConfigs and IncrementalAlterConfigs: topic settings change at once,
/// without a restart; broker settings are static (server.properties). With an authorizer a topic
/// needs ALTER_CONFIGS on itself and the broker on the cluster.
struct TopicConfigAlteration {
    let state: BrokerState

    /// Applies `change` to the topic's overrides and stores them (unless validating only).
    func alter(
        resourceType: Int8, name: String, validateOnly: Bool, context: RequestContext,
        change: ([String: String]) throws(TopicError) -> [String: String]
    ) -> (ErrorCode, String?) {
        if let refusal = state.authorizeConfigs(context, .alterConfigs, resourceType: resourceType, name: name) {
            return (refusal, nil)
        }
        guard resourceType == DescribeConfigsHandler.ResourceType.topic.rawValue else {
            if resourceType == DescribeConfigsHandler.ResourceType.broker.rawValue {
                return (.invalidRequest, "Samsa's broker settings are static: change server.properties and restart.")
            }
            return (.invalidRequest, "Unsupported resource type \(resourceType)")
        }
        do throws(TopicError) {
            guard let topic = state.topics.topic(named: name) else {
                throw TopicError(.unknownTopicOrPartition, "Topic \(name) does not exist.")
            }
            let overrides = try change(topic.configOverrides)
            _ = try state.topics.settings(overrides: overrides)
            if !validateOnly {
                try state.topics.setConfigOverrides(name: name, overrides: overrides)
            }
            return (.noError, nil)
        } catch {
            return (error.code, error.message)
        }
    }
}

/// AlterConfigs 0–2: replaces a topic's whole set of overrides.
struct AlterConfigsHandler: ApiHandler {
    let state: BrokerState
    let versions: ClosedRange<Int16> = 0...2

    func handle(_ request: AlterConfigsRequest, context: RequestContext) async throws -> AlterConfigsResponse? {
        let alteration = TopicConfigAlteration(state: state)
        var response = AlterConfigsResponse()
        for resource in request.resources {
            let (code, message) = alteration.alter(
                resourceType: resource.resourceType, name: resource.resourceName, validateOnly: request.validateOnly,
                context: context
            ) { _ throws(TopicError) in
                var overrides: [String: String] = [:]
                for config in resource.configs {
                    if let value = config.value { overrides[config.name] = value }
                }
                return overrides
            }
            response.responses.append(
                .init(
                    errorCode: code.rawValue, errorMessage: message, resourceType: resource.resourceType,
                    resourceName: resource.resourceName))
        }
        return response
    }
}

/// IncrementalAlterConfigs 0–1: SET, DELETE, APPEND and SUBTRACT on single topic settings.
struct IncrementalAlterConfigsHandler: ApiHandler {
    let state: BrokerState
    let versions: ClosedRange<Int16> = 0...1

    func handle(_ request: IncrementalAlterConfigsRequest, context: RequestContext) async throws -> IncrementalAlterConfigsResponse? {
        let alteration = TopicConfigAlteration(state: state)
        let defaults = TopicSettings(defaults: state.configuration)
        var response = IncrementalAlterConfigsResponse()
        for resource in request.resources {
            let (code, message) = alteration.alter(
                resourceType: resource.resourceType, name: resource.resourceName, validateOnly: request.validateOnly,
                context: context
            ) { current throws(TopicError) in
                var overrides = current
                for config in resource.configs {
                    let effective = overrides[config.name] ?? TopicSettings.definitionsByName[config.name]?.render(defaults) ?? ""
                    var list = effective.split(separator: ",").map(String.init)
                    switch config.configOperation {
                    case 0: overrides[config.name] = config.value ?? ""
                    case 1: overrides[config.name] = nil
                    case 2:
                        list += (config.value ?? "").split(separator: ",").map(String.init).filter { !list.contains($0) }
                        overrides[config.name] = list.joined(separator: ",")
                    case 3:
                        let removed = Set((config.value ?? "").split(separator: ",").map(String.init))
                        list.removeAll { removed.contains($0) }
                        overrides[config.name] = list.joined(separator: ",")
                    default:
                        throw TopicError(.invalidRequest, "Unknown config operation \(config.configOperation)")
                    }
                }
                return overrides
            }
            response.responses.append(
                .init(
                    errorCode: code.rawValue, errorMessage: message, resourceType: resource.resourceType,
                    resourceName: resource.resourceName))
        }
        return response
    }
}
