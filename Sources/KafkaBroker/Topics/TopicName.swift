import KafkaProtocol

/// Kafka's rules for topic names (`org.apache.kafka.common.internals.Topic`).
enum TopicName {
    static let maximumLength = 249

    /// Throws INVALID_TOPIC_EXCEPTION with Kafka's message when the name is not legal.
    static func validate(_ name: String) throws(TopicError) {
        if name.isEmpty {
            throw TopicError(.invalidTopicException, "Topic name is illegal, it can't be empty")
        }
        if name == "." || name == ".." {
            throw TopicError(.invalidTopicException, "Topic name cannot be \".\" or \"..\"")
        }
        if name.utf8.count > maximumLength {
            throw TopicError(
                .invalidTopicException,
                "Topic name is illegal, it can't be longer than \(maximumLength) characters, topic name: \(name)")
        }
        let legal = name.utf8.allSatisfy { byte in
            (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
                || byte == 0x2E || byte == 0x5F || byte == 0x2D
        }
        if !legal {
            throw TopicError(
                .invalidTopicException,
                "Topic name \"\(name)\" is illegal, it contains a character other than ASCII alphanumerics, '.', '_' and '-'")
        }
    }

    /// '.' and '_' are interchangeable in metric names, so Kafka refuses a topic whose name equals
    /// an existing one after replacing one with the other.
    static func collisionKey(_ name: String) -> String {
        String(name.map { $0 == "." ? "_" : $0 })
    }
}
