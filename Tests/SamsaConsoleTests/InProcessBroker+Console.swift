import SamsaTestSupport

extension InProcessBroker {
    /// Runs `body` against a broker with its console; `body` gets the console's port too. Four
    /// offsets partitions instead of 50 keep start-up quick.
    static func withConsole<Result: Sendable>(
        sampleInterval: Duration = .seconds(5), listener: String = "http://127.0.0.1:0",
        _ body: (_ broker: InProcessBroker, _ consolePort: Int) async throws -> Result
    ) async throws -> Result {
        try await with(
            settings: ["offsets.topic.num.partitions": "4"], console: Console(listener: listener, sampleInterval: sampleInterval)
        ) { broker in
            guard let consolePort = broker.consolePort else { throw ConsoleNotStarted() }
            return try await body(broker, consolePort)
        }
    }

    struct ConsoleNotStarted: Error {}
}
