/// An API key at one version: the label set of the request instruments.
struct RequestMetricsKey: Hashable, Sendable {
    var apiKey: Int16
    var version: Int16
}
