/// What a record's timestamp means: set by the producer, or by the broker on append.
public struct TimestampType: Hashable, Sendable, CustomStringConvertible {
    public let rawValue: Int8

    public init(rawValue: Int8) {
        self.rawValue = rawValue
    }

    /// Magic 0 messages have no timestamp.
    public static let noTimestamp = TimestampType(rawValue: -1)
    public static let createTime = TimestampType(rawValue: 0)
    public static let logAppendTime = TimestampType(rawValue: 1)

    public var description: String {
        switch self {
        case .noTimestamp: "NoTimestampType"
        case .createTime: "CreateTime"
        case .logAppendTime: "LogAppendTime"
        default: "TimestampType(\(rawValue))"
        }
    }
}
