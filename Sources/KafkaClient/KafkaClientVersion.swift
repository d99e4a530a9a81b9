/// How this client names itself to brokers (ApiVersions v3+ `client_software_*`, shown by
/// `kafka-broker-api-versions` and broker logs).
enum KafkaClientVersion {
    static let softwareName = "samsa-swift"
    static let version = "0.1.0"
    /// The `client_id` default, after kafka-python's `'kafka-python-' + __version__`.
    static let defaultClientId = "\(softwareName)-\(version)"
}
