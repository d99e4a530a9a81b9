import Foundation
import KafkaStorage
import Logging
import ServiceLifecycle

@testable import KafkaBroker
import NIOCore

/// A broker in the test process on an ephemeral port with a temporary data folder.
struct InProcessBroker {
    let broker: Broker
    let port: Int
    let dataDirectory: String

    /// - Parameters:
    ///   - configure: changes settings that have no server.properties key.
    ///   - logFileSystem: where the partition logs live; the real disk when nil.
    ///   - dataDirectory: a folder the caller owns and removes, for a restart on the same data;
    ///     a temporary one, removed at the end, when nil.
    static func with<Result: Sendable>(
        settings: [String: String] = [:], configure: (inout BrokerConfiguration) -> Void = { _ in }, logger: Logger? = nil,
        logFileSystem: (any LogFileSystem)? = nil, dataDirectory: String? = nil, _ body: (InProcessBroker) async throws -> Result
    ) async throws -> Result {
        let folder = dataDirectory ?? FileManager.default.temporaryDirectory.appendingPathComponent("samsa-broker-\(UUID().uuidString)").path
        defer { if dataDirectory == nil { try? FileManager.default.removeItem(atPath: folder) } }
        var properties: [(key: String, value: String)] = [("listeners", "PLAINTEXT://127.0.0.1:0"), ("log.dirs", folder)]
        properties += settings.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        var configuration = try BrokerConfiguration(properties: properties)
        configure(&configuration)
        let logger = logger ?? {
            var logger = Logger(label: "samsa.test")
            logger.logLevel = .warning
            return logger
        }()
        let broker = try Broker(configuration: configuration, logger: logger, logFileSystem: logFileSystem ?? PosixFileSystem())
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
