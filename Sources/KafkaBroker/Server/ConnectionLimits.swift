/// How many client connections the broker holds: `max.connections` in total and
/// `max.connections.per.ip` (with its overrides) per client address.
struct ConnectionLimits: Sendable {
    var total: Int
    var perAddress: Int
    var perAddressOverrides: [String: Int]

    init(configuration: BrokerConfiguration) {
        total = Int(configuration.maxConnections)
        perAddress = Int(configuration.maxConnectionsPerIp)
        perAddressOverrides = configuration.maxConnectionsPerIpOverrides.mapValues(Int.init)
    }

    func limit(forAddress address: String) -> Int {
        perAddressOverrides[address] ?? perAddress
    }
}
