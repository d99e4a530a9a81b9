import Foundation
import Logging

/// The tools print Kafka's texts on stdout and stderr; the SDK's own log lines would mix into
/// them, so only errors are logged unless `SAMSA_LOG_LEVEL` (trace … critical) asks for more.
enum ToolLogging {
    static func bootstrap() {
        let level = ProcessInfo.processInfo.environment["SAMSA_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .error
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }
}
