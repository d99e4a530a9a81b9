/// A failure a test or fixture reports in words: a missing prerequisite, a broker that did not
/// start, a command that did not finish.
public struct TestFailure: Error, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}
