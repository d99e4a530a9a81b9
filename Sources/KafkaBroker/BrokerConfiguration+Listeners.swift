import KafkaProperties

extension BrokerConfiguration {
    /// One entry of `listeners` or `advertised.listeners`: a name (`PLAINTEXT`, or a custom one
    /// such as `INTERNAL` that `listener.security.protocol.map` maps), its protocol and address.
    public struct KafkaListener: Sendable, Equatable, CustomStringConvertible {
        /// Upper case, as Kafka normalises listener names.
        public var name: String
        public var securityProtocol: SecurityProtocol
        public var host: String
        public var port: Int

        public init(name: String, securityProtocol: SecurityProtocol, host: String, port: Int) {
            self.name = name.uppercased()
            self.securityProtocol = securityProtocol
            self.host = host
            self.port = port
        }

        public var address: Listener { Listener(host: host, port: port) }

        public var description: String { "\(name)://\(address)" }
    }

    /// The listener named `name`; nil when there is none.
    public func listener(named name: String) -> KafkaListener? {
        listeners.first { $0.name == name.uppercased() }
    }

    /// Where clients of listener `name` are told to connect: its `advertised.listeners` entry, or
    /// else the listener's own address.
    public func advertisedListener(for name: String) -> KafkaListener? {
        advertisedListeners.first { $0.name == name.uppercased() } ?? listener(named: name)
    }

    /// Parses `listener.security.protocol.map`: `NAME:PROTOCOL` pairs separated by commas.
    static func securityProtocolMap(_ text: String) throws(SettingValueError) -> [String: SecurityProtocol] {
        var protocols: [String: SecurityProtocol] = [:]
        for pair in text.split(separator: ",").map({ $0.trimmingWhitespace() }) where !pair.isEmpty {
            let parts = pair.split(separator: ":", maxSplits: 1).map { $0.trimmingWhitespace() }
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw SettingValueError(message: "'\(pair)' is not of the form NAME:PROTOCOL")
            }
            guard let securityProtocol = SecurityProtocol(rawValue: parts[1].uppercased()) else {
                let names = SecurityProtocol.allCases.map(\.rawValue).joined(separator: ", ")
                throw SettingValueError(message: "'\(parts[1])' in '\(pair)' is not one of \(names)")
            }
            protocols[parts[0].uppercased()] = securityProtocol
        }
        return protocols
    }

    /// A comma-separated list with the blanks around each entry removed and empty entries dropped.
    static func list(_ text: String) -> [String] {
        text.split(separator: ",").map { $0.trimmingWhitespace() }.filter { !$0.isEmpty }
    }

    /// Parses a `listeners`-style list such as `SSL://:9093,INTERNAL://10.0.0.1:9094`, reading
    /// each name's protocol from `configuration`'s `listener.security.protocol.map` and leaving
    /// out the controller listeners Kafka's combined-mode files name.
    static func kafkaListeners(in text: String, configuration: BrokerConfiguration) throws(SettingValueError) -> [KafkaListener] {
        var listeners: [KafkaListener] = []
        for entry in list(text) {
            let parts = entry.split(separator: "://", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty else {
                throw SettingValueError(message: "'\(entry)' is not of the form NAME://host:port")
            }
            let name = parts[0].uppercased()
            if configuration.controllerListenerNames.contains(name) { continue }
            guard let securityProtocol = configuration.listenerSecurityProtocolMap[name] else {
                throw SettingValueError(message: "listener \(name) has no security protocol in listener.security.protocol.map")
            }
            guard let address = hostAndPort(parts[1]) else {
                throw SettingValueError(message: "'\(entry)' has no valid port")
            }
            guard !listeners.contains(where: { $0.name == name }) else {
                throw SettingValueError(message: "listener \(name) is named twice")
            }
            listeners.append(KafkaListener(name: name, securityProtocol: securityProtocol, host: address.host, port: address.port))
        }
        return listeners
    }

    /// `listeners`: at least one, and no two on one port (port 0 picks a free one for each).
    static func boundListeners(in text: String, configuration: BrokerConfiguration) throws(SettingValueError) -> [KafkaListener] {
        let listeners = try kafkaListeners(in: text, configuration: configuration)
        guard !listeners.isEmpty else { throw SettingValueError(message: "no listener to bind in '\(text)'") }
        for (index, listener) in listeners.enumerated() where listener.port != 0 {
            if let other = listeners[..<index].first(where: { $0.port == listener.port }) {
                throw SettingValueError(message: "listeners \(other.name) and \(listener.name) both use port \(listener.port)")
            }
        }
        return listeners
    }

    /// `advertised.listeners`: each entry names one of `listeners`.
    static func advertisedListeners(in text: String, configuration: BrokerConfiguration) throws(SettingValueError) -> [KafkaListener] {
        let advertised = try kafkaListeners(in: text, configuration: configuration)
        for listener in advertised where configuration.listener(named: listener.name) == nil {
            throw SettingValueError(message: "\(listener.name) is not one of the listeners")
        }
        return advertised
    }

    /// Renders listeners as Kafka writes them (`NAME://host:port,…`).
    static func render(_ listeners: [KafkaListener]) -> String {
        listeners.map(\.description).joined(separator: ",")
    }

    /// `host:port`, `[v6 address]:port` or `:port` (an empty host means "localhost").
    static func hostAndPort(_ address: Substring) -> Listener? {
        guard let colon = address.lastIndex(of: ":"), let port = Int(address[address.index(after: colon)...]),
            (0...65535).contains(port)
        else { return nil }
        var host = String(address[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return Listener(host: host.isEmpty ? "localhost" : host, port: port)
    }
}
