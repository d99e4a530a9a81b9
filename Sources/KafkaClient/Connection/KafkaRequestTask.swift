import KafkaProtocol
import NIOCore

/// One request on its way to the channel handler: the encoded frame (with a placeholder correlation
/// id the handler fills in) and where the response frame goes.
struct KafkaRequestTask: Sendable {
    /// Size prefix, request header and body, encoded with correlation id 0.
    var frame: ByteBuffer
    var apiKey: ApiKey
    /// False for Produce with acks=0: the broker sends nothing back, so the response is an empty
    /// buffer once the frame is written.
    var expectsResponse: Bool
    var timeout: TimeAmount
    var response: PendingResult<ByteBuffer>

    /// Every request header starts with api key (2 bytes) and version (2 bytes), then the
    /// correlation id; the frame's size prefix comes first.
    static let correlationIdOffset = 4 + 2 + 2
}
