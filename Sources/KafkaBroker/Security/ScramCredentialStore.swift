import FoundationEssentials
import Synchronization

/// The SCRAM users, kept in `<log.dirs>/scram-credentials` and replaced atomically on every change
/// (write a temporary file, then rename), so that a crash leaves the old or the new set, never a
/// torn one. Each line holds one user and mechanism:
/// `SCRAM-SHA-256 <user in base64> salt=…,stored_key=…,server_key=…,iterations=4096`, the
/// value in the layout Kafka used for ZooKeeper; passwords are never stored.
public final class ScramCredentialStore: Sendable {
    public static let fileName = "scram-credentials"

    /// A user name and mechanism: what one credential is stored under.
    public struct Key: Sendable, Hashable {
        public var user: String
        public var mechanism: ScramMechanism

        public init(user: String, mechanism: ScramMechanism) {
            self.user = user
            self.mechanism = mechanism
        }
    }

    public struct LoadError: Error, CustomStringConvertible {
        public var description: String
    }

    private let path: String
    private let credentials: Mutex<[Key: ScramCredential]>

    /// Loads the store of `dataDirectory` (which must exist); a missing file is an empty store.
    public init(dataDirectory: String) throws {
        path = dataDirectory + "/" + Self.fileName
        var loaded: [Key: ScramCredential] = [:]
        if FileManager.default.fileExists(atPath: path) {
            let text = try String(contentsOfFile: path, encoding: .utf8)
            for (number, line) in text.split(separator: "\n").enumerated() where !line.isEmpty {
                guard let (key, credential) = Self.parse(line) else {
                    throw LoadError(description: "\(path) line \(number + 1) is not a SCRAM credential")
                }
                loaded[key] = credential
            }
        }
        credentials = Mutex(loaded)
    }

    public func credential(user: String, mechanism: ScramMechanism) -> ScramCredential? {
        credentials.withLock { $0[Key(user: user, mechanism: mechanism)] }
    }

    /// Every user with at least one credential, and the mechanisms and iteration counts it has.
    public func describe() -> [String: [(mechanism: ScramMechanism, iterations: Int32)]] {
        credentials.withLock { all in
            var users: [String: [(mechanism: ScramMechanism, iterations: Int32)]] = [:]
            for (key, credential) in all { users[key.user, default: []].append((key.mechanism, credential.iterations)) }
            return users.mapValues { $0.sorted { $0.mechanism.rawValue < $1.mechanism.rawValue } }
        }
    }

    /// Sets and removes credentials in one durable step; nothing changes when writing fails.
    public func update(upserting upsertions: [Key: ScramCredential], deleting deletions: Set<Key>) throws {
        try credentials.withLock { all in
            var updated = all
            for key in deletions { updated[key] = nil }
            for (key, credential) in upsertions { updated[key] = credential }
            try write(updated)
            all = updated
        }
    }

    private func write(_ all: [Key: ScramCredential]) throws {
        let lines = all.map { key, credential in
            let value = [
                "salt=\(Data(credential.salt).base64EncodedString())",
                "stored_key=\(Data(credential.storedKey).base64EncodedString())",
                "server_key=\(Data(credential.serverKey).base64EncodedString())",
                "iterations=\(credential.iterations)",
            ]
            return "\(key.mechanism.name) \(Data(key.user.utf8).base64EncodedString()) \(value.joined(separator: ","))"
        }
        try (lines.sorted().joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
    }

    private static func parse(_ line: Substring) -> (Key, ScramCredential)? {
        let fields = line.split(separator: " ")
        guard fields.count == 3, let mechanism = ScramMechanism.allCases.first(where: { $0.name == fields[0] }),
            let userBytes = Data(base64Encoded: String(fields[1])), let user = String(data: userBytes, encoding: .utf8)
        else { return nil }
        var values: [Substring: Substring] = [:]
        for pair in fields[2].split(separator: ",") {
            guard let equals = pair.firstIndex(of: "=") else { return nil }
            values[pair[..<equals]] = pair[pair.index(after: equals)...]
        }
        func bytes(_ name: Substring) -> [UInt8]? { values[name].flatMap { Data(base64Encoded: String($0)) }.map(Array.init) }
        guard let salt = bytes("salt"), let storedKey = bytes("stored_key"), let serverKey = bytes("server_key"),
            let iterations = values["iterations"].flatMap({ Int32($0) })
        else { return nil }
        return (
            Key(user: user, mechanism: mechanism),
            ScramCredential(salt: salt, iterations: iterations, storedKey: storedKey, serverKey: serverKey)
        )
    }
}
