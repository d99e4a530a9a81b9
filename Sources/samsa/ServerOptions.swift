import ArgumentParser
import Foundation

/// `--bootstrap-server`, plus the options of older Kafka tutorials that named ZooKeeper or a
/// broker list instead. Samsa has no ZooKeeper: `--zookeeper` (also spelled `-zookeeper`) is
/// answered with the `--bootstrap-server` to use.
struct ServerOptions: ParsableArguments {
    @Option(
        name: [.customLong("bootstrap-server"), .customLong("broker-list")],
        help: ArgumentHelp("REQUIRED: The server(s) to connect to, as host:port[,host:port].", valueName: "server to connect to"))
    var bootstrapServer: String?

    @Option(
        name: [.customLong("zookeeper"), .customLong("zookeeper", withSingleDash: true)],
        help: ArgumentHelp("Not needed: Samsa runs without ZooKeeper. Use --bootstrap-server.", valueName: "urls"))
    var zookeeper: String?

    /// The bootstrap servers, or the failure that explains what to pass instead.
    func bootstrapServers() throws(CommandFailure) -> [String] {
        if let zookeeper {
            throw .standardError(Self.zookeeperAnswer(zookeeper))
        }
        guard let bootstrapServer, !bootstrapServer.isEmpty else {
            throw .standardError("Missing required argument \"[bootstrap-server]\"")
        }
        return bootstrapServer.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// Points at the broker on the host the user gave for ZooKeeper, at Kafka's default port.
    static func zookeeperAnswer(_ zookeeper: String) -> String {
        let first = zookeeper.split(separator: ",").first.map(String.init) ?? ""
        let host = first.split(separator: ":").first.map(String.init).flatMap { $0.isEmpty ? nil : $0 } ?? "localhost"
        return
            "Samsa needs no ZooKeeper, so --zookeeper is not supported: connect to the broker with --bootstrap-server \(host):9092 (the broker's listener) instead."
    }
}
