import KafkaProtocol
import Logging
import NIOCore

/// Dispatches request frames to the registered API handlers and encodes their responses.
///
/// ApiVersions is answered here, from the registered handlers, so that nothing is advertised that
/// is not implemented.
struct ApiRouter: Sendable {
    private struct Route: Sendable {
        var versions: ClosedRange<Int16>
        var process: @Sendable (KafkaRequestFrame, RequestContext) async throws -> ByteBuffer?
    }

    private var routes: [Int16: Route] = [:]
    private let metrics: BrokerMetrics
    /// ApiVersions' own range: 0…4 (kafka-python 3 sends 4, librdkafka 3, the others 0).
    static let apiVersionsVersions: ClosedRange<Int16> = 0...4

    init(metrics: BrokerMetrics) {
        self.metrics = metrics
    }

    mutating func register<Handler: ApiHandler>(_ handler: Handler) {
        let apiKey = Handler.Request.apiKey
        precondition(
            Handler.Request.validVersions.contains(handler.versions.lowerBound)
                && Handler.Request.validVersions.contains(handler.versions.upperBound), "\(apiKey) versions outside its spec")
        routes[apiKey.rawValue] = Route(versions: handler.versions) { frame, context in
            let request = try frame.decodeBody(Handler.Request.self)
            guard let response = try await handler.handle(request, context: context) else { return nil }
            var buffer = ByteBuffer()
            KafkaMessageCodec.encodeResponse(response, version: frame.apiVersion, correlationId: frame.correlationId, into: &buffer)
            return buffer
        }
    }

    /// The advertised range of every implemented API, ApiVersions included, ordered by key.
    var advertisedVersions: [(apiKey: ApiKey, versions: ClosedRange<Int16>)] {
        var list = routes.map { (ApiKey(rawValue: $0.key), $0.value.versions) }
        list.append((.apiVersions, Self.apiVersionsVersions))
        return list.sorted { $0.0.rawValue < $1.0.rawValue }
    }

    /// Handles one frame. Returns the encoded response frame (with size prefix), or nil when the
    /// request gets none. Throws `ConnectionClosingError` when the connection must be closed.
    ///
    /// Requests of an implemented API at a supported version are counted and timed (failed ones
    /// too); the others close the connection and are left out, so that a client sending junk keys
    /// cannot add label sets without bound.
    func process(_ frame: KafkaRequestFrame, context: RequestContext) async throws -> ByteBuffer? {
        let started = ContinuousClock.now
        if frame.apiKey == .apiVersions {
            defer {
                if Self.apiVersionsVersions.contains(frame.apiVersion) {
                    metrics.recordRequest(apiKey: frame.apiKey, version: frame.apiVersion, duration: ContinuousClock.now - started)
                }
            }
            return try apiVersionsResponse(frame)
        }
        guard let route = routes[frame.apiKey.rawValue] else {
            throw ConnectionClosingError(reason: "unsupported API \(frame.apiKey) v\(frame.apiVersion)")
        }
        guard route.versions.contains(frame.apiVersion) else {
            throw ConnectionClosingError(
                reason: "unsupported version \(frame.apiVersion) of \(frame.apiKey) (supported: \(route.versions))")
        }
        defer { metrics.recordRequest(apiKey: frame.apiKey, version: frame.apiVersion, duration: ContinuousClock.now - started) }
        do {
            return try await route.process(frame, context)
        } catch let error as ProtocolDecodingError {
            throw ConnectionClosingError(reason: "malformed request: \(error)")
        }
    }

    /// ApiVersions. A version newer than ours is answered with UNSUPPORTED_VERSION in the v0
    /// layout, which every client can read (KIP-511), so that it retries with a version we know.
    private func apiVersionsResponse(_ frame: KafkaRequestFrame) throws -> ByteBuffer {
        var response = ApiVersionsResponse()
        response.apiKeys = advertisedVersions.map {
            ApiVersionsResponse.ApiVersion(
                apiKey: $0.apiKey.rawValue, minVersion: $0.versions.lowerBound, maxVersion: $0.versions.upperBound)
        }
        var version = frame.apiVersion
        if Self.apiVersionsVersions.contains(version) {
            let request: ApiVersionsRequest
            do {
                request = try frame.decodeBody(ApiVersionsRequest.self)
            } catch {
                throw ConnectionClosingError(reason: "malformed ApiVersions request: \(error)")
            }
            // KIP-511: a client software name or version outside Kafka's pattern is INVALID_REQUEST;
            // librdkafka then retries with v0.
            if version >= 3,
                !Self.isValidSoftwareToken(request.clientSoftwareName) || !Self.isValidSoftwareToken(request.clientSoftwareVersion)
            {
                response.errorCode = ErrorCode.invalidRequest.rawValue
            }
        } else {
            response.errorCode = ErrorCode.unsupportedVersion.rawValue
            version = 0
        }
        return encode(response, version: version, correlationId: frame.correlationId)
    }

    /// Kafka's `[a-zA-Z0-9](?:[a-zA-Z0-9\\-.]*[a-zA-Z0-9])?`.
    static func isValidSoftwareToken(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        func isAlphanumeric(_ byte: UInt8) -> Bool {
            (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
        }
        guard let first = bytes.first, let last = bytes.last, isAlphanumeric(first), isAlphanumeric(last) else { return false }
        return bytes.allSatisfy { isAlphanumeric($0) || $0 == 0x2D || $0 == 0x2E }
    }

    private func encode(_ response: ApiVersionsResponse, version: Int16, correlationId: Int32) -> ByteBuffer {
        var buffer = ByteBuffer()
        KafkaMessageCodec.encodeResponse(response, version: version, correlationId: correlationId, into: &buffer)
        return buffer
    }
}
