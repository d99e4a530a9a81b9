import FoundationEssentials

/// Keeps the ACL bindings in `<data>/acls.json`, replaced atomically on every change (written
/// aside, then renamed over), so that a broker killed at any moment restarts with either the old
/// or the new set.
struct AclStore: Sendable {
    let path: String

    init(dataDirectory: String) {
        path = dataDirectory + "/acls.json"
    }

    func load() throws -> Set<AclBinding> {
        guard FileManager.default.fileExists(atPath: path) else { return [] }
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return Set(try JSONDecoder().decode([AclBinding].self, from: data))
    }

    func save(_ bindings: Set<AclBinding>) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let data = try encoder.encode(bindings.sorted(by: AclRules.displayOrder))
        try data.write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}
