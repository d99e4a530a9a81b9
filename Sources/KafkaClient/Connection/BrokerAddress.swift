/// A broker's host and port, as written in `bootstrap_servers` ("host:port", "[::1]:9092", or a
/// bare host meaning port 9092) or advertised in Metadata.
public struct BrokerAddress: Hashable, Sendable, CustomStringConvertible {
    public static let defaultPort = 9092

    public var host: String
    public var port: Int

    public init(host: String, port: Int = BrokerAddress.defaultPort) {
        self.host = host
        self.port = port
    }

    /// Parses "host", "host:port" or "[ipv6]:port"; nil when the port is not a number in 1...65535.
    public init?(_ text: String) {
        let text = text.trimmingWhitespace()
        guard !text.isEmpty else { return nil }
        var host = Substring(text)
        var port = Self.defaultPort
        if host.hasPrefix("[") {
            guard let close = host.firstIndex(of: "]") else { return nil }
            let rest = host[host.index(after: close)...]
            host = host[host.index(after: host.startIndex)..<close]
            if !rest.isEmpty {
                guard rest.hasPrefix(":"), let parsed = Int(rest.dropFirst()) else { return nil }
                port = parsed
            }
        } else if let colon = host.lastIndex(of: ":") {
            guard let parsed = Int(host[host.index(after: colon)...]) else { return nil }
            port = parsed
            host = host[..<colon]
        }
        guard !host.isEmpty, (1...65535).contains(port) else { return nil }
        self.host = String(host)
        self.port = port
    }

    /// Parses a comma-separated list, as kafka-python accepts for `bootstrap_servers`.
    static func list(_ text: String) -> [BrokerAddress]? {
        let parts = text.split(separator: ",").map { String($0) }.filter { !$0.trimmingWhitespace().isEmpty }
        let addresses = parts.compactMap(BrokerAddress.init)
        return addresses.count == parts.count && !addresses.isEmpty ? addresses : nil
    }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

extension String {
    func trimmingWhitespace() -> String {
        var slice = Substring(self)
        while let first = slice.first, first.isWhitespace { slice.removeFirst() }
        while let last = slice.last, last.isWhitespace { slice.removeLast() }
        return String(slice)
    }
}
