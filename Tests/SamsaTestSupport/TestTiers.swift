import Testing

/// The tiers every suite belongs to, by a tag on the suite (or on the parent suite it is nested in).
/// `make test-fast` runs the pure and component tiers; it skips the integration suites by name,
/// so a suite tagged `.integration` must also be named in the Makefile's `INTEGRATION_SUITES`
/// (TestTierTests checks both: one tier per suite, and the list).
extension Tag {
    /// Codecs, state machines and the protocol generator: no sockets, no log, no other process.
    @Tag public static var pure: Self
    /// Real I/O inside the test process: the partition log on disk or on the fault-injecting
    /// file system, or a broker (real or fake) in the test process over 127.0.0.1.
    @Tag public static var component: Self
    /// Needs another program: the built `samsa` executable, Tansu, Python and its Kafka clients,
    /// or Chromium. A missing one fails the test, saying how to get it.
    @Tag public static var integration: Self
}
