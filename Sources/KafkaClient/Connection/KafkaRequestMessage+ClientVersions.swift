import KafkaProtocol

extension KafkaRequestMessage {
    /// The versions this client sends for the request: the generated range, narrowed where the
    /// client does not implement a version's semantics.
    static var clientVersions: ClosedRange<Int16> {
        switch apiKey {
        // RecordBatch v2 (magic 2) needs Produce 3+ and Fetch 4+.
        case .produce: return max(3, validVersions.lowerBound)...validVersions.upperBound
        // Fetch 13+ names topics by id only.
        case .fetch: return 4...min(12, validVersions.upperBound)
        // OffsetFetch 0 reads ZooKeeper offsets; 8+ switches to the batched `groups` form.
        case .offsetFetch: return 1...min(7, validVersions.upperBound)
        // Metadata 0 has no way to ask for "no topics"; every client sends 1+.
        case .metadata: return 1...validVersions.upperBound
        // ListOffsets 0 returns an offset array instead of one offset.
        case .listOffsets: return 1...validVersions.upperBound
        // SaslHandshake 0 is followed by raw tokens instead of SaslAuthenticate requests.
        case .saslHandshake: return 1...1
        // AddPartitionsToTxn 4+ is the brokers' own batched verification form (KIP-890).
        case .addPartitionsToTxn: return validVersions.lowerBound...min(3, validVersions.upperBound)
        default: return validVersions
        }
    }
}
