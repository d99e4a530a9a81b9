/// Where a transaction is in its life (Kafka's `TransactionState`), with the numbers
/// `__transaction_state` records store.
enum TransactionState: Int8, Hashable, Sendable, CaseIterable {
    /// No transaction open: after InitProducerId, or once a commit or abort completed.
    case empty = 0
    /// Partitions were added; the producer writes.
    case ongoing = 1
    /// EndTxn asked to commit; markers are being written.
    case prepareCommit = 2
    /// EndTxn, a new producer instance or the timeout asked to abort; markers are being written.
    case prepareAbort = 3
    case completeCommit = 4
    case completeAbort = 5
    /// The transactional id expired (`transactional.id.expiration.ms`).
    case dead = 6
    /// Kafka's state while it fences a producer to abort; Samsa aborts with `prepareAbort`, but
    /// reads the state in a replayed log.
    case prepareEpochFence = 7

    /// Markers are being written: requests other than a retried EndTxn wait.
    var isPreparing: Bool { self == .prepareCommit || self == .prepareAbort || self == .prepareEpochFence }

    /// Kafka's names, as DescribeTransactions and ListTransactions report them.
    var name: String {
        switch self {
        case .empty: "Empty"
        case .ongoing: "Ongoing"
        case .prepareCommit: "PrepareCommit"
        case .prepareAbort: "PrepareAbort"
        case .completeCommit: "CompleteCommit"
        case .completeAbort: "CompleteAbort"
        case .dead: "Dead"
        case .prepareEpochFence: "PrepareEpochFence"
        }
    }
}
