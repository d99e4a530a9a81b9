import KafkaClient
import KafkaProtocol

extension KafkaError {
    /// The text Kafka's Java clients put in their exception message, which the tools print: the
    /// broker's own explanation when it sent one, else the error code's standard text. Failures
    /// without a broker (an unreachable server) keep the SDK's message.
    var toolMessage: String {
        if let brokerMessage { return brokerMessage }
        if code == .broker, let errorCode { return errorCode.defaultMessage }
        return message.prefix(1).uppercased() + message.dropFirst()
    }
}
