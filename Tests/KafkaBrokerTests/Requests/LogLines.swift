import Synchronization

/// Log lines kept by `LogLineRecorder`.
final class LogLines: Sendable {
    private let lines = Mutex<[String]>([])

    func append(_ line: String) {
        lines.withLock { $0.append(line) }
    }

    func count(containing text: String) -> Int {
        lines.withLock { $0.count { $0.contains(text) } }
    }
}
