/// What the broker moved since it started, for sampling into rates (the console's throughput
/// chart). The same figures go to swift-metrics, whose instruments cannot be read back.
public struct TrafficTotals: Sendable, Equatable {
    /// Record bytes appended by Produce requests.
    public var bytesIn: Int64
    /// Record bytes returned by Fetch responses.
    public var bytesOut: Int64
    /// Records appended by Produce requests.
    public var messagesIn: Int64
    /// Requests answered (or, for acks=0, handled), every API included.
    public var requests: Int64

    public init(bytesIn: Int64 = 0, bytesOut: Int64 = 0, messagesIn: Int64 = 0, requests: Int64 = 0) {
        self.bytesIn = bytesIn
        self.bytesOut = bytesOut
        self.messagesIn = messagesIn
        self.requests = requests
    }
}
