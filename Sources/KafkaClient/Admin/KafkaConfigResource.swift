/// Something with configuration: a topic or a broker (kafka-python's `ConfigResource`).
public struct KafkaConfigResource: Hashable, Sendable, CustomStringConvertible {
    /// The resource type as DescribeConfigs/AlterConfigs number it.
    public struct ResourceType: Hashable, Sendable {
        public let rawValue: Int8
        public init(rawValue: Int8) { self.rawValue = rawValue }

        public static let topic = ResourceType(rawValue: 2)
        public static let broker = ResourceType(rawValue: 4)
    }

    /// `.topic` or `.broker`.
    public var type: ResourceType
    /// The topic name, or the broker id as a string.
    public var name: String

    public init(type: ResourceType, name: String) {
        self.type = type
        self.name = name
    }

    public static func topic(_ name: String) -> KafkaConfigResource { KafkaConfigResource(type: .topic, name: name) }
    public static func broker(_ id: Int32) -> KafkaConfigResource { KafkaConfigResource(type: .broker, name: "\(id)") }

    public var description: String {
        type == .topic ? "topic \(name)" : type == .broker ? "broker \(name)" : "resource \(type.rawValue) \(name)"
    }
}
