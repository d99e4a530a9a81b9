import SamsaTestSupport
import Testing

/// Groups the SDK's integration suites so that they run one test at a time: each talks to real
/// brokers, and running them side by side (and beside the interop suites) on a 2-core machine turns
/// their timeouts into noise.
@Suite(.serialized, .tags(.integration))
struct ClientIntegrationSuite {}
