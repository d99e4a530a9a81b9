import NIOCore

/// The connection and metadata settings every client (producer, consumer, admin) shares, taken
/// from its public configuration.
struct ClusterConfiguration: Sendable {
    var bootstrapServers: [BrokerAddress]
    var connection: ConnectionConfiguration
    var reconnectBackoffMs: Int
    var reconnectBackoffMaxMs: Int
    /// `bootstrap_timeout_ms`: how long to keep trying the bootstrap servers.
    var bootstrapTimeoutMs: Int
    /// `metadata_max_age_ms`: cached topic metadata older than this is refreshed before use.
    var metadataMaxAgeMs: Int
    var retryBackoffMs: Int
    /// `allow_auto_create_topics`: ask the broker to create unknown topics on Metadata (v4+).
    var allowAutoCreateTopics: Bool
}
