/// How a tool fails: the exact text Kafka's tool prints, on the stream it uses, and exit status 1.
/// Thrown from a command's `run()`; `Samsa.main` prints it and exits.
struct CommandFailure: Error {
    enum Stream: Sendable { case standardOutput, standardError }

    /// Printed as is, followed by a newline.
    var text: String
    var stream: Stream
    var exitCode: Int32 = 1

    static func standardError(_ text: String) -> CommandFailure { CommandFailure(text: text, stream: .standardError) }
    static func standardOutput(_ text: String) -> CommandFailure { CommandFailure(text: text, stream: .standardOutput) }
    /// The tool already printed why (line by line, as Kafka does); only the exit status is left.
    static let alreadyReported = CommandFailure(text: "", stream: .standardError)

    func report() {
        guard !text.isEmpty else { return }
        switch stream {
        case .standardOutput: StandardStreams.out(text + "\n")
        case .standardError: StandardStreams.err(text + "\n")
        }
    }
}
