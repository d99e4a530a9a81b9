import KafkaProtocol
import Logging

/// The shared part of AlterConfigs and IncrementalAlterConfigs: a topic's overrides, or the
/// dynamic broker configs of this broker (resource name = its node id) or of the cluster-wide
/// default (empty name), change at once, without a restart. With an authorizer a topic needs
/// ALTER_CONFIGS on itself and the broker on the cluster.
struct ConfigAlteration {
    let state: BrokerState

    /// Applies `change` to the resource's overrides and stores them (unless validating only).
    /// `change` gets the overrides and, for a key without one, the value it has at that resource.
    func alter(
        resourceType: Int8, name: String, validateOnly: Bool, context: RequestContext,
        change: (_ overrides: [String: String], _ valueWithoutOverride: (String) -> String?) throws(TopicError) -> [String: String]
    ) -> (ErrorCode, String?) {
        if let refusal = state.authorizeConfigs(context, .alterConfigs, resourceType: resourceType, name: name) {
            return (refusal, nil)
        }
        do throws(TopicError) {
            switch DescribeConfigsHandler.ResourceType(rawValue: resourceType) {
            case .topic:
                guard let topic = state.topics.topic(named: name) else {
                    throw TopicError(.unknownTopicOrPartition, "Topic \(name) does not exist.")
                }
                let defaults = TopicSettings(defaults: state.configuration)
                let overrides = try change(topic.configOverrides) { TopicSettings.definitionsByName[$0]?.render(defaults) }
                _ = try state.topics.settings(overrides: overrides)
                if !validateOnly {
                    try state.topics.setConfigOverrides(name: name, overrides: overrides)
                }
            case .broker:
                let level = try brokerLevel(name)
                let configuration = state.configuration
                let overrides = try change(state.dynamicConfiguration.overrides(at: level)) {
                    BrokerConfiguration.settingsByKey[$0]?.render(configuration)
                }
                if validateOnly {
                    _ = try state.dynamicConfiguration.validate(overrides, at: level)
                } else {
                    _ = try state.dynamicConfiguration.replace(overrides, at: level)
                    state.topics.brokerDefaultsChanged()
                    state.logger.info(
                        "Dynamic broker configs \(name.isEmpty ? "(cluster default)" : "of broker \(name)") are now \(overrides)")
                }
            case nil:
                throw TopicError(.invalidRequest, "Unknown resource type \(resourceType)")
            }
            return (.noError, nil)
        } catch {
            return (error.code, error.message)
        }
    }

    /// Kafka's checks of a BROKER resource's name: empty for the cluster default, else this node's id.
    private func brokerLevel(_ name: String) throws(TopicError) -> DynamicBrokerConfiguration.Level {
        guard !name.isEmpty else { return .clusterDefault }
        guard let id = Int32(name) else { throw TopicError(.invalidRequest, "Node id must be an integer, but it is: \(name)") }
        let nodeId = state.configuration.nodeId
        guard id == nodeId else { throw TopicError(.invalidRequest, "Unexpected broker id, expected \(nodeId), but received \(name)") }
        return .broker
    }
}

/// AlterConfigs 0–2: replaces a topic's whole set of overrides, or the broker's dynamic configs.
struct AlterConfigsHandler: ApiHandler {
    let state: BrokerState
    let versions: ClosedRange<Int16> = 0...2

    func handle(_ request: AlterConfigsRequest, context: RequestContext) async throws -> AlterConfigsResponse? {
        let alteration = ConfigAlteration(state: state)
        var response = AlterConfigsResponse()
        for resource in request.resources {
            let (code, message) = alteration.alter(
                resourceType: resource.resourceType, name: resource.resourceName, validateOnly: request.validateOnly,
                context: context
            ) { _, _ throws(TopicError) in
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

/// IncrementalAlterConfigs 0–1: SET, DELETE, APPEND and SUBTRACT on single topic or broker settings.
struct IncrementalAlterConfigsHandler: ApiHandler {
    let state: BrokerState
    let versions: ClosedRange<Int16> = 0...1

    func handle(_ request: IncrementalAlterConfigsRequest, context: RequestContext) async throws -> IncrementalAlterConfigsResponse? {
        let alteration = ConfigAlteration(state: state)
        var response = IncrementalAlterConfigsResponse()
        for resource in request.resources {
            let (code, message) = alteration.alter(
                resourceType: resource.resourceType, name: resource.resourceName, validateOnly: request.validateOnly,
                context: context
            ) { current, valueWithoutOverride throws(TopicError) in
                var overrides = current
                for config in resource.configs {
                    let effective = overrides[config.name] ?? valueWithoutOverride(config.name) ?? ""
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
