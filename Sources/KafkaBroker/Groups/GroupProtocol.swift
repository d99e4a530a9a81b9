import NIOCore

/// One entry of a JoinGroup request's protocol list: for consumers an assignor name such as "range"
/// with the member's subscription as the client serialized it. The coordinator never parses the
/// metadata; it hands it to the leader, which runs the assignor.
public struct GroupProtocol: Sendable, Equatable {
    public var name: String
    public var metadata: ByteBuffer

    public init(name: String, metadata: ByteBuffer = ByteBuffer()) {
        self.name = name
        self.metadata = metadata
    }
}
