import Logging
import Synchronization

/// A log handler that keeps every message as "level: message", for tests that check what was logged.
public struct RecordingLogHandler: LogHandler {
    public let lines: RecordedLogLines
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level

    public init(lines: RecordedLogLines, logLevel: Logger.Level = .trace) {
        self.lines = lines
        self.logLevel = logLevel
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        // Structured fields follow the message, sorted, so that tests can look for them too.
        let fields = (event.metadata ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        lines.append("\(event.level): \(event.message)" + (fields.isEmpty ? "" : " " + fields.joined(separator: " ")))
    }
}

/// The lines a `RecordingLogHandler` kept.
public final class RecordedLogLines: Sendable {
    private let storage = Mutex<[String]>([])

    public init() {}

    public func append(_ line: String) {
        storage.withLock { $0.append(line) }
    }

    public var all: [String] { storage.withLock { $0 } }

    public func count(containing text: String) -> Int {
        storage.withLock { $0.count { $0.contains(text) } }
    }
}
