import FoundationEssentials
import KafkaProperties

/// Persists configuration overrides by resource as `<data>/<folder>/<name>.properties`, replaced
/// atomically, so that they survive a restart: each topic's overrides in `topic-configs`, the
/// dynamic broker configs in `broker-configs`.
struct ConfigOverridesStore: Sendable {
    let folder: String

    init(dataDirectory: String, folderName: String) throws {
        folder = dataDirectory + "/" + folderName
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    func load(name: String) throws -> [String: String] {
        let path = folder + "/" + name + ".properties"
        guard FileManager.default.fileExists(atPath: path) else { return [:] }
        return JavaProperties.dictionary(try String(contentsOfFile: path, encoding: .utf8))
    }

    func save(name: String, overrides: [String: String]) throws {
        let path = folder + "/" + name + ".properties"
        if overrides.isEmpty {
            try? FileManager.default.removeItem(atPath: path)
            return
        }
        let text = overrides.keys.sorted().map { "\($0)=\(overrides[$0]!)" }.joined(separator: "\n") + "\n"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    func remove(name: String) {
        try? FileManager.default.removeItem(atPath: folder + "/" + name + ".properties")
    }
}
