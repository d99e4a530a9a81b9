extension KafkaAdminConfiguration: ClientConnectionOptions {
    /// Every option `init(properties:)` reads and `clusterConfiguration()` checks.
    static let options: [ClientOption<Self>] = ClientOption.connectionOptions + [.text("client_id", \.clientId)]

    /// Builds the configuration from kafka-python's snake_case keys or Java's dotted keys
    /// (`bootstrap_servers` or `bootstrap.servers`). Unknown keys and malformed values throw.
    public init(properties: [String: String]) throws(KafkaError) {
        self.init()
        try Self.options.apply(properties, to: &self)
    }
}
