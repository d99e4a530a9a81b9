/// How this client names itself to brokers (ApiVersions v3+ `client_software_*`, shown by
/// `kafka-broker-api-versions` and broker logs).
enum KafkaClientVersion {
    static let softwareName = "samsa-swift"
    static let version = "0.1.0"
}
