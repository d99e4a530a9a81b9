import KafkaClient

/// The `--entity-type` values Samsa has settings for; a user's settings are its SCRAM credentials.
enum ConfigEntityType: String, CaseIterable {
    case topics, brokers, users

    var resourceType: KafkaConfigResource.ResourceType { self == .topics ? .topic : .broker }

    /// "topic" and "broker", as Kafka prints them ("Completed updating config for topic T.").
    var singular: String { String(rawValue.dropLast()) }
    var plural: String { rawValue }

    /// The source of the settings `--describe` lists without `--all`: those set on the entity
    /// named `name` (empty for the brokers' cluster-wide default). Users have no config resource:
    /// their SCRAM credentials are described through their own API.
    func dynamicSource(name: String) -> KafkaConfigSource {
        switch self {
        case .topics: .dynamicTopicConfig
        case .brokers: name.isEmpty ? .dynamicDefaultBrokerConfig : .dynamicBrokerConfig
        case .users: .unknown
        }
    }
}
