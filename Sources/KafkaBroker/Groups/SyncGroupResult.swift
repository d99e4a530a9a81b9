import KafkaProtocol
import NIOCore

/// The answer to one SyncGroup request; the handler encodes it as a `SyncGroupResponse`.
public struct SyncGroupResult: Sendable, Equatable {
    public var error: ErrorCode
    /// SyncGroup v5+ echo the group's protocol type and name; nil on errors.
    public var protocolType: String?
    public var protocolName: String?
    /// The member's assignment, as the leader computed it; empty on errors.
    public var assignment: ByteBuffer

    public init(
        error: ErrorCode = .noError,
        protocolType: String?,
        protocolName: String?,
        assignment: ByteBuffer
    ) {
        self.error = error
        self.protocolType = protocolType
        self.protocolName = protocolName
        self.assignment = assignment
    }

    public static func failure(_ error: ErrorCode) -> SyncGroupResult {
        SyncGroupResult(error: error, protocolType: nil, protocolName: nil, assignment: ByteBuffer())
    }
}
