import KafkaProtocol

/// The API version ranges one broker advertised in its ApiVersions response, and the choice of the
/// version to send: the highest one both sides speak (what kafka-python 3 and librdkafka do).
struct BrokerApiVersions: Hashable, Sendable {
    private(set) var ranges: [ApiKey: ClosedRange<Int16>]

    init(ranges: [ApiKey: ClosedRange<Int16>]) {
        self.ranges = ranges
    }

    init(_ response: ApiVersionsResponse) {
        var ranges: [ApiKey: ClosedRange<Int16>] = [:]
        for entry in response.apiKeys where entry.minVersion <= entry.maxVersion {
            ranges[ApiKey(rawValue: entry.apiKey)] = entry.minVersion...entry.maxVersion
        }
        self.ranges = ranges
    }

    /// The highest version in both `client` and the broker's range for `apiKey`, or nil when the
    /// broker does not advertise the API or the ranges do not overlap.
    func highestCommonVersion(_ apiKey: ApiKey, client: ClosedRange<Int16>) -> Int16? {
        guard let broker = ranges[apiKey], broker.overlaps(client) else { return nil }
        return min(broker.upperBound, client.upperBound)
    }

    /// The version to send `Request` at, or an `unsupportedVersion` error naming both ranges.
    func version<Request: KafkaRequestMessage>(for request: Request.Type) throws(KafkaError) -> Int16 {
        let client = Request.clientVersions
        guard let version = highestCommonVersion(Request.apiKey, client: client) else {
            let broker = ranges[Request.apiKey].map { "\($0)" } ?? "none"
            throw KafkaError(
                .unsupportedVersion,
                "the broker does not support \(Request.apiKey) in a version this client speaks (client \(client), broker \(broker))"
            )
        }
        return version
    }

    func supports(_ apiKey: ApiKey) -> Bool { ranges[apiKey] != nil }
}
