import FoundationEssentials
import KafkaProperties
import Synchronization

/// Hands out producer ids for InitProducerId that are never reused, also across restarts: ids
/// come from blocks whose end is persisted (`<data>/producer-id-block`) before any id of the block
/// is handed out, as Kafka's controller does with its producer-id blocks.
final class ProducerIdAllocator: Sendable {
    static let blockSize: Int64 = 1_000

    private struct State {
        var next: Int64
        var blockEnd: Int64
    }

    private let path: String
    private let state: Mutex<State>

    init(dataDirectory: String) throws {
        path = dataDirectory + "/producer-id-block"
        let persisted = (try? String(contentsOfFile: path, encoding: .utf8)).flatMap { Int64($0.trimmingWhitespace()) } ?? 0
        state = Mutex(State(next: persisted, blockEnd: persisted))
    }

    func allocate() throws -> Int64 {
        try state.withLock { state in
            if state.next >= state.blockEnd {
                let end = state.next + Self.blockSize
                try "\(end)\n".write(toFile: path, atomically: true, encoding: .utf8)
                state.blockEnd = end
            }
            defer { state.next += 1 }
            return state.next
        }
    }
}
