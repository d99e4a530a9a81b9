/// The console's HTTP listener could not start (typically: the port is taken). It stops
/// `samsa broker` with a message naming the setting to change.
public struct ConsoleListenerError: Error, CustomStringConvertible {
    public var address: String
    public var reason: String

    public init(address: String, reason: String) {
        self.address = address
        self.reason = reason
    }

    public var description: String {
        "The metrics and console listener cannot listen on \(address): \(reason). "
            + "Choose another port with metrics.listener=http://host:port, or turn it off with an empty metrics.listener."
    }
}
