/// Waits until `condition` holds, checking every 20 ms; false when it still does not hold after
/// `timeout`. For tests that need a state to be reached rather than time to pass.
public func waitUntil(timeout: Duration = .seconds(5), _ condition: () async throws -> Bool) async throws -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try await Task.sleep(for: .milliseconds(20))
    }
    return try await condition()
}
