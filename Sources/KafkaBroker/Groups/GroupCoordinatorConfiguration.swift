/// Broker settings of the classic group coordinator, named after their server.properties keys.
public struct GroupCoordinatorConfiguration: Sendable, Equatable {
    /// `group.min.session.timeout.ms`: JoinGroup with a shorter session timeout gets
    /// INVALID_SESSION_TIMEOUT. Kafka's default: 6000.
    public var groupMinSessionTimeoutMs: Int32
    /// `group.max.session.timeout.ms`: JoinGroup with a longer session timeout gets
    /// INVALID_SESSION_TIMEOUT. Kafka's default: 1800000.
    public var groupMaxSessionTimeoutMs: Int32
    /// `group.max.size`: joins beyond this many members get GROUP_MAX_SIZE_REACHED.
    /// Kafka's default: 2147483647.
    public var groupMaxSize: Int
    /// `group.initial.rebalance.delay.ms`: when the first member joins an Empty group, the join phase
    /// waits this long (and again, up to the rebalance timeout, while more members keep arriving) so a
    /// starting fleet of consumers forms one generation instead of many. Samsa's default is 0 so a lone
    /// consumer starts at once; Kafka's is 3000.
    public var groupInitialRebalanceDelayMs: Int32

    public init(
        groupMinSessionTimeoutMs: Int32 = 6000,
        groupMaxSessionTimeoutMs: Int32 = 1_800_000,
        groupMaxSize: Int = Int(Int32.max),
        groupInitialRebalanceDelayMs: Int32 = 0
    ) {
        self.groupMinSessionTimeoutMs = groupMinSessionTimeoutMs
        self.groupMaxSessionTimeoutMs = groupMaxSessionTimeoutMs
        self.groupMaxSize = groupMaxSize
        self.groupInitialRebalanceDelayMs = groupInitialRebalanceDelayMs
    }
}
