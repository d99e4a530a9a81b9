/// Idempotent-producer state of one partition, after Kafka's `ProducerStateManager` (without
/// transactions): per producer id the current epoch and the metadata of its last five batches,
/// the most a producer has in flight (max.in.flight.requests.per.connection ≤ 5).
///
/// Checking is split from recording so that an append of several batches checks each one
/// against the state its predecessors would leave (`pending`), and nothing is recorded unless the
/// write succeeds. Loading a log replays every batch header through `record` without checks.
struct ProducerStateManager: Sendable {
    struct Entry: Hashable, Sendable {
        var epoch: Int16
        /// Oldest first, at most `retainedBatchCount`.
        var batches: [ProducerBatchMetadata]
    }

    /// Kafka's `ProducerStateEntry.NUM_BATCHES_TO_RETAIN`.
    static let retainedBatchCount = 5

    private(set) var producers: [Int64: Entry] = [:]

    /// Checks a batch of an idempotent producer (`producerId` ≥ 0 and `firstSequence` ≥ 0) against
    /// the producer's state, `pending` changes first. Returns the metadata of the earlier batch it
    /// repeats when it is an exact retry of one of the last five, nil when it may be appended.
    func check(
        producerId: Int64, epoch: Int16, firstSequence: Int32, lastSequence: Int32,
        pending: [Int64: Entry]
    ) throws(StorageError) -> ProducerBatchMetadata? {
        // An unknown producer (new, or its batches are gone through retention) may start anywhere.
        guard let entry = pending[producerId] ?? producers[producerId] else { return nil }
        if epoch < entry.epoch {
            throw StorageError(
                .invalidProducerEpoch,
                "producer \(producerId) wrote with epoch \(epoch), older than its current epoch \(entry.epoch)")
        }
        if epoch > entry.epoch {
            guard firstSequence == 0 else {
                throw StorageError(
                    .outOfOrderSequence,
                    "producer \(producerId) started epoch \(epoch) at sequence \(firstSequence), not 0")
            }
            return nil
        }
        if let duplicate = entry.batches.first(where: { $0.firstSequence == firstSequence && $0.lastSequence == lastSequence }) {
            return duplicate
        }
        if let last = entry.batches.last?.lastSequence, !Self.follows(last, with: firstSequence) {
            throw StorageError(
                .outOfOrderSequence,
                "producer \(producerId) epoch \(epoch) sent sequence \(firstSequence) after \(last)")
        }
        return nil
    }

    /// Records an appended batch into `pending` (seeded from the current state).
    func record(
        producerId: Int64, epoch: Int16, batch: ProducerBatchMetadata, into pending: inout [Int64: Entry]
    ) {
        var entry = pending[producerId] ?? producers[producerId]
        Self.update(&entry, epoch: epoch, batch: batch)
        pending[producerId] = entry
    }

    /// Makes pending changes the state, once their batches are written.
    mutating func apply(_ pending: [Int64: Entry]) {
        producers.merge(pending) { _, new in new }
    }

    /// Records a batch read back from the log, without checks (loading, recovery).
    mutating func replay(producerId: Int64, epoch: Int16, batch: ProducerBatchMetadata) {
        Self.update(&producers[producerId], epoch: epoch, batch: batch)
    }

    private static func update(_ entry: inout Entry?, epoch: Int16, batch: ProducerBatchMetadata) {
        guard var current = entry, current.epoch == epoch else {
            entry = Entry(epoch: epoch, batches: [batch])
            return
        }
        current.batches.append(batch)
        if current.batches.count > retainedBatchCount { current.batches.removeFirst() }
        entry = current
    }

    /// Whether `next` is the sequence after `last`, wrapping at Int32.max (Kafka's `inSequence`).
    private static func follows(_ last: Int32, with next: Int32) -> Bool {
        Int64(next) == Int64(last) + 1 || (next == 0 && last == Int32.max)
    }
}
