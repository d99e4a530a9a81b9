import SamsaTestSupport
import Testing

/// Every suite that calls the embedded interpreter or starts brokers runs under this one, one after
/// another: the interpreter has a single thread, and timing-based tests (killing a broker while a
/// producer runs) must not queue behind another suite's scenario.
@Suite(.serialized, .tags(.integration))
enum InteropSuite {}
