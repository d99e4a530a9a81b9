import NIOCore

extension GroupStateMachine {
    /// The group's one timer and what it waits for. Each phase replaces the previous timer, so a
    /// timer never outlives the phase that set it.
    enum RebalanceTimer: Sendable, Equatable {
        /// `group.initial.rebalance.delay.ms` after the first member joined an Empty group (Kafka's
        /// InitialDelayedJoin). `remainingMs` is how much of the rebalance timeout is left for
        /// further extensions.
        case initialDelay(deadline: NIODeadline, delayMs: Int32, remainingMs: Int32)
        /// The rebalance timeout of a join phase (DelayedJoin): members that have not rejoined by
        /// then are dropped.
        case join(deadline: NIODeadline)
        /// The rebalance timeout for members to send SyncGroup after a join phase (DelayedSync).
        case sync(deadline: NIODeadline)

        var deadline: NIODeadline {
            switch self {
            case .initialDelay(let deadline, _, _), .join(let deadline), .sync(let deadline):
                return deadline
            }
        }
    }
}
