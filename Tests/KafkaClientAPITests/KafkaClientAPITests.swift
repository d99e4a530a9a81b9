import SamsaTestSupport
import Testing

/// The SDK as an application sees it. Every other file of this target imports only `KafkaClient`
/// (and `Testing`), and the package compiles with `MemberImportVisibility`, so these files compile
/// only while every type and member of the public API is reachable through `import KafkaClient`,
/// and while the error-handling idioms of the docs compile on this toolchain.
@Suite(.tags(.component), .timeLimit(.minutes(1)))
struct KafkaClientAPITests {
    /// Runs `body` with the address of an in-process broker.
    func withBroker(_ body: (_ bootstrapServer: String) async throws -> Void) async throws {
        try await InProcessBroker.with { broker in try await body(broker.bootstrapServer) }
    }
}
