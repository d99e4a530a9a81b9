import Foundation
import KafkaBroker

extension ScramCredentialStore {
    /// Stores SCRAM-SHA-256 and SCRAM-SHA-512 credentials for `users` (name to password) in
    /// `dataDirectory` before a broker starts there, as `samsa storage format --add-scram` does.
    public static func storeUsers(_ users: [String: String], dataDirectory: String) throws {
        try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
        var upsertions: [Key: ScramCredential] = [:]
        for (user, password) in users {
            for mechanism in ScramMechanism.allCases {
                upsertions[Key(user: user, mechanism: mechanism)] = try ScramCredential(mechanism: mechanism, password: password)
            }
        }
        try ScramCredentialStore(dataDirectory: dataDirectory).update(upserting: upsertions, deleting: [])
    }
}
