/// One log directory of a broker, as `KafkaAdminClient.describeLogDirs` reports it (Java's
/// `LogDirDescription`).
public struct KafkaLogDirDescription: Sendable {
    /// A partition's replica in the directory (Java's `ReplicaInfo`).
    public struct Replica: Sendable, Equatable {
        /// The replica's size on disk, in bytes.
        public var size: Int64
        /// How far the replica is behind the log end offset (or, for a future replica, the current one).
        public var offsetLag: Int64
        /// Whether it is a replica being moved into this directory.
        public var isFuture: Bool
    }

    /// The directory, as the broker's `log.dirs` names it.
    public var path: String
    /// Why the directory cannot be described (for example, it is offline); nil when it is healthy.
    public var error: KafkaError?
    /// The partitions with a replica in the directory.
    public var replicas: [TopicPartition: Replica]
    /// The file system's size and free space, from brokers that report them (DescribeLogDirs v4+).
    public var totalBytes: Int64?
    /// The free space left to the broker, in bytes.
    public var usableBytes: Int64?
}
