extension LogConfiguration {
    /// `cleanup.policy`: `delete` (retention by time and size), `compact` (keep the latest record
    /// per key), or both (`delete,compact`).
    public struct CleanupPolicy: OptionSet, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: UInt8

        public init(rawValue: UInt8) {
            self.rawValue = rawValue
        }

        public static let delete = CleanupPolicy(rawValue: 1 << 0)
        public static let compact = CleanupPolicy(rawValue: 1 << 1)

        /// Parses Kafka's comma-separated value; nil for anything but `delete` and `compact`. The
        /// empty list, which Kafka accepts since 4.1 (and IncrementalAlterConfigs leaves after
        /// SUBTRACT of the last value), is neither: the log is never deleted or compacted.
        public init?(kafkaValue: String) {
            var policy: CleanupPolicy = []
            for name in kafkaValue.split(separator: ",") {
                switch name.filter({ $0 != " " }) {
                case "delete": policy.insert(.delete)
                case "compact": policy.insert(.compact)
                default: return nil
                }
            }
            self = policy
        }

        /// Kafka's spelling, as DescribeConfigs shows it.
        public var description: String {
            [contains(.delete) ? "delete" : nil, contains(.compact) ? "compact" : nil]
                .compactMap { $0 }.joined(separator: ",")
        }
    }
}
