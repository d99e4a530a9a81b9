import Foundation

/// Lines of standard input as an async sequence. They are read on a thread of their own: a user
/// typing slowly must not hold one of the few Swift-concurrency threads the SDK's sender needs.
enum StandardInputLines {
    /// `prompt` writes Kafka's `>` before each line is read.
    static func stream(prompt: Bool) -> AsyncStream<String> {
        let (lines, continuation) = AsyncStream.makeStream(of: String.self)
        let reader = Thread {
            while true {
                if prompt { StandardStreams.out(">") }
                guard let line = readLine(strippingNewline: true) else { break }
                continuation.yield(line)
            }
            continuation.finish()
        }
        reader.start()
        return lines
    }
}
