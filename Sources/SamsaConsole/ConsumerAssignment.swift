import NIOCore

/// Kafka's ConsumerProtocolAssignment, which consumer groups ("consumer" protocol type) hand
/// their members: version, then topics each with their partitions, then user data. Every version
/// so far starts with the same fields, so one reader serves them all.
struct ConsumerAssignment {
    var partitions: [(topic: String, partitions: [Int32])]

    /// nil when the bytes are not a consumer assignment (another protocol type, or junk).
    init?(_ bytes: ByteBuffer) {
        var buffer = bytes
        guard buffer.readInteger(as: Int16.self) != nil, let topicCount = buffer.readInteger(as: Int32.self),
            (0...100_000).contains(topicCount)
        else { return nil }
        var partitions: [(String, [Int32])] = []
        for _ in 0..<topicCount {
            guard let nameLength = buffer.readInteger(as: Int16.self), nameLength >= 0,
                let name = buffer.readString(length: Int(nameLength)),
                let partitionCount = buffer.readInteger(as: Int32.self), partitionCount >= 0,
                buffer.readableBytes >= Int(partitionCount) * 4
            else { return nil }
            var numbers: [Int32] = []
            for _ in 0..<partitionCount {
                guard let number = buffer.readInteger(as: Int32.self) else { return nil }
                numbers.append(number)
            }
            partitions.append((name, numbers.sorted()))
        }
        self.partitions = partitions
    }

    /// "orders: 0, 1; payments: 2".
    var summary: String {
        partitions.map { "\($0.topic): \($0.partitions.map(String.init).joined(separator: ", "))" }.joined(separator: "; ")
    }
}
