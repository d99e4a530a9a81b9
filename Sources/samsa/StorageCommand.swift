import ArgumentParser
import Foundation
import KafkaBroker

/// `samsa storage`: the part of kafka-storage.sh a single Samsa broker needs.
struct StorageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "storage",
        abstract: "Prepares the data folder before the broker starts (kafka-storage.sh).",
        subcommands: [StorageFormatCommand.self]
    )
}

/// `samsa storage format --add-scram 'SCRAM-SHA-256=[name=admin,password=admin-secret]'`: the
/// first SCRAM users, created before start as `kafka-storage.sh format --add-scram` does, so that
/// a broker whose only listener needs SASL can be administered at all. Samsa creates the rest of
/// the data folder at its first start, so formatting is needed only for these users; it may be
/// run again to add or replace users while the broker is stopped.
struct StorageFormatCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "format",
        abstract: "Creates the data folder (log.dirs) and stores the SCRAM users given with --add-scram."
    )

    @OptionGroup var serverProperties: ServerPropertiesOptions

    @Option(
        name: [.customLong("cluster-id"), .customShort("t")],
        help: "Accepted for kafka-storage.sh's command line; Samsa takes the cluster id from cluster.id or makes one at first start.")
    var clusterId: String?

    @Option(
        name: [.customLong("add-scram"), .customShort("S")],
        help: ArgumentHelp(
            "A SCRAM user: 'SCRAM-SHA-256=[name=alice,password=alice-secret]' (iterations=N optional, 4096 by default). Repeatable.",
            valueName: "scram"))
    var addScram: [String] = []

    @Flag(name: [.customLong("ignore-formatted"), .customShort("g")], help: "Accepted: Samsa adds the users to a formatted folder too.")
    var ignoreFormatted = false

    func run() throws {
        let configuration = try serverProperties.configuration { _ in }
        let users = try addScram.map(ScramUserArgument.init(parsing:))
        let folder = configuration.logDirectory
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let store = try ScramCredentialStore(dataDirectory: folder)
        var upsertions: [ScramCredentialStore.Key: ScramCredential] = [:]
        for user in users {
            upsertions[.init(user: user.name, mechanism: user.mechanism)] = try ScramCredential(
                mechanism: user.mechanism, password: user.password, iterations: user.iterations)
        }
        try store.update(upserting: upsertions, deleting: [])
        print(
            "Formatting data folder \(folder)"
                + (users.isEmpty ? "" : " with SCRAM users \(users.map(\.description).joined(separator: ", "))"))
    }
}

/// One `--add-scram` value: `MECHANISM=[name=…,password=…,iterations=…]`.
struct ScramUserArgument: CustomStringConvertible {
    var mechanism: ScramMechanism
    var name: String
    var password: String
    var iterations: Int32

    init(parsing text: String) throws {
        guard let equals = text.firstIndex(of: "="),
            let mechanism = ScramMechanism.allCases.first(where: { $0.name == text[..<equals].uppercased() })
        else {
            throw ValidationError("--add-scram expects SCRAM-SHA-256=[name=…,password=…] or SCRAM-SHA-512=[…], got '\(text)'")
        }
        var body = text[text.index(after: equals)...]
        if body.hasPrefix("[") && body.hasSuffix("]") { body = body.dropFirst().dropLast() }
        var fields: [String: String] = [:]
        for pair in body.split(separator: ",") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            guard parts.count == 2 else { throw ValidationError("--add-scram: '\(pair)' is not key=value") }
            var value = String(parts[1])
            if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") { value = String(value.dropFirst().dropLast()) }
            fields[parts[0].lowercased()] = value
        }
        guard let name = fields["name"], !name.isEmpty else { throw ValidationError("--add-scram: the user needs a name=") }
        guard let password = fields["password"], !password.isEmpty else {
            throw ValidationError("--add-scram: the user \(name) needs a password=")
        }
        let iterations = try fields["iterations"].map { text in
            guard let count = Int32(text), (ScramMechanism.minimumIterations...ScramMechanism.maximumIterations).contains(count) else {
                throw ValidationError(
                    "--add-scram: iterations must be between \(ScramMechanism.minimumIterations) and \(ScramMechanism.maximumIterations)")
            }
            return count
        }
        self.mechanism = mechanism
        self.name = name
        self.password = password
        self.iterations = iterations ?? ScramMechanism.minimumIterations
    }

    var description: String { "\(name) (\(mechanism.name))" }
}
