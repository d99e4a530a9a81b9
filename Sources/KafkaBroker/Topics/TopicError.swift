import KafkaProtocol

/// Why a topic operation or a config change failed, as the Kafka error code and message a client
/// should see.
struct TopicError: Error, Equatable, CustomStringConvertible {
    var code: ErrorCode
    var message: String

    init(_ code: ErrorCode, _ message: String) {
        self.code = code
        self.message = message
    }

    var description: String { "\(code): \(message)" }
}
