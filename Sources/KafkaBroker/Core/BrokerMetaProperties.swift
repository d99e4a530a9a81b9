import FoundationEssentials
import KafkaProperties
import KafkaProtocol

/// Kafka's `meta.properties` in the data folder: the cluster id and node id this folder belongs to.
enum BrokerMetaProperties {
    /// Reads the cluster id, or writes a new one on first start. A folder written for another node
    /// id is refused, as Kafka refuses it.
    static func loadOrCreate(dataDirectory: String, nodeId: Int32, configuredClusterId: String?) throws -> String {
        let path = dataDirectory + "/meta.properties"
        if let text = try? String(contentsOfFile: path, encoding: .utf8) {
            let values = JavaProperties.dictionary(text)
            if let stored = values["node.id"], stored != "\(nodeId)" {
                throw BrokerConfigurationError(
                    key: "node.id", message: "the data folder \(dataDirectory) belongs to node \(stored), not \(nodeId)")
            }
            if let clusterId = values["cluster.id"] { return clusterId }
        }
        let clusterId = configuredClusterId ?? KafkaUUID.random().description
        let text = """
            #
            #Written by Samsa
            node.id=\(nodeId)
            version=1
            cluster.id=\(clusterId)

            """
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return clusterId
    }
}
