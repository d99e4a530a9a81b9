import KafkaRecords

/// The transactions of one partition as its log shows them (Kafka's transaction part of
/// `ProducerStateManager`): per producer the first offset of its open transaction, and the
/// aborted transactions with the segment whose `.txnindex` holds each.
///
/// Appends and loading feed it the same way, batch header by batch header, so what recovery
/// rebuilds from the log is what appends built.
struct PartitionTransactions: Hashable, Sendable {
    /// Producer id → the first offset of its open transaction.
    private(set) var openTransactions: [Int64: Int64] = [:]
    /// Oldest marker first.
    private(set) var aborted: [AbortedTransaction] = []

    /// Everything below the first offset of the oldest open transaction is decided: that offset,
    /// or the high watermark when no transaction is open.
    func lastStableOffset(highWatermark: Int64) -> Int64 {
        min(openTransactions.values.min() ?? highWatermark, highWatermark)
    }

    /// Accounts for a data batch at its final offsets: a transactional one opens its producer's
    /// transaction unless that is open already.
    mutating func didAppendData(_ header: RecordBatchHeader) {
        guard header.attributes.isTransactional, !header.attributes.isControl, header.producerId >= 0 else { return }
        if openTransactions[header.producerId] == nil { openTransactions[header.producerId] = header.baseOffset }
    }

    /// Accounts for a marker at `markerOffset` ending `producerId`'s transaction. Returns the
    /// aborted-index entry when it aborted a transaction with data in this partition. A marker
    /// without an open transaction (written again after a crash between markers) changes nothing.
    mutating func didAppendMarker(
        _ type: ControlRecordType, producerId: Int64, markerOffset: Int64
    ) -> AbortedTransaction? {
        guard let firstOffset = openTransactions.removeValue(forKey: producerId) else { return nil }
        guard type == .abort else { return nil }
        let entry = AbortedTransaction(
            producerId: producerId, firstOffset: firstOffset, lastOffset: markerOffset,
            lastStableOffset: lastStableOffset(highWatermark: markerOffset + 1))
        aborted.append(entry)
        return entry
    }

    /// The aborted transactions a read_committed fetch from `startOffset` that returns offsets
    /// below `upperBound` must list: those whose data overlaps that range (Kafka's
    /// `collectAbortedTransactions`).
    func abortedTransactions(from startOffset: Int64, below upperBound: Int64) -> [AbortedTransaction] {
        aborted.filter { $0.lastOffset >= startOffset && $0.firstOffset < upperBound }
    }

    /// Forgets aborted transactions whose marker is below `offset`, once retention removed them.
    mutating func removeAborted(below offset: Int64) {
        aborted.removeAll { $0.lastOffset < offset }
    }
}
