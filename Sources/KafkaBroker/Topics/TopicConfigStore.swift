import FoundationEssentials
import KafkaProperties

/// Persists each topic's configuration overrides as `<data>/topic-configs/<topic>.properties`,
/// replaced atomically, so that they survive a restart.
struct TopicConfigStore: Sendable {
    let folder: String

    init(dataDirectory: String) throws {
        folder = dataDirectory + "/topic-configs"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    func load(topic: String) throws -> [String: String] {
        let path = folder + "/" + topic + ".properties"
        guard FileManager.default.fileExists(atPath: path) else { return [:] }
        return JavaProperties.dictionary(try String(contentsOfFile: path, encoding: .utf8))
    }

    func save(topic: String, overrides: [String: String]) throws {
        let path = folder + "/" + topic + ".properties"
        if overrides.isEmpty {
            try? FileManager.default.removeItem(atPath: path)
            return
        }
        let text = overrides.keys.sorted().map { "\($0)=\(overrides[$0]!)" }.joined(separator: "\n") + "\n"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    func remove(topic: String) {
        try? FileManager.default.removeItem(atPath: folder + "/" + topic + ".properties")
    }
}
