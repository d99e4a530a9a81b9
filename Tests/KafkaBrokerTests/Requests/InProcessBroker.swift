import Foundation
import KafkaBroker
import Logging
import ServiceLifecycle

/// A broker in the test process on an ephemeral port with a temporary data folder.
struct InProcessBroker {
    let broker: Broker
    let port: Int
    let dataDirectory: String

    /// Runs `body` against a started broker and shuts it down gracefully afterwards. The data
    /// folder is removed unless one is given (to restart a broker on the same data).
    static func with<Result: Sendable>(
        settings: [String: String] = [:], dataDirectory: String? = nil, _ body: (InProcessBroker) async throws -> Result
    ) async throws -> Result {
        let folder = dataDirectory ?? FileManager.default.temporaryDirectory.appendingPathComponent("samsa-broker-\(UUID().uuidString)").path
        defer { if dataDirectory == nil { try? FileManager.default.removeItem(atPath: folder) } }
        var properties: [(key: String, value: String)] = [("listeners", "PLAINTEXT://127.0.0.1:0"), ("log.dirs", folder)]
        properties += settings.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        var logger = Logger(label: "samsa.test")
        logger.logLevel = .warning
        let broker = try Broker(configuration: try BrokerConfiguration(properties: properties), logger: logger)
        let group = ServiceGroup(configuration: .init(services: [broker], logger: logger))
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            let address = try await broker.listeningAddress()
            do {
                let result = try await body(InProcessBroker(broker: broker, port: address.port ?? 0, dataDirectory: folder))
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
                return result
            } catch {
                await group.triggerGracefulShutdown()
                try? await tasks.waitForAll()
                throw error
            }
        }
    }
}
