import Metrics

/// The count and latency of one API key at one version.
struct RequestInstruments: Sendable {
    let count: Counter
    let duration: Timer
}
