import Foundation
import NIOCore
import NIOPosix

/// One HTTP/1.1 GET over a fresh connection to 127.0.0.1, read until the server closes it: all
/// the tests need to see status codes and bodies exactly as sent.
struct HTTPGet {
    var status: Int
    var headers: [String: String]
    var body: String

    init(port: Int, path: String) async throws {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture { try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel) }
            }
        let response = try await channel.executeThenClose { inbound, outbound in
            try await outbound.write(ByteBuffer(string: "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n\r\n"))
            var all = ByteBuffer()
            for try await var part in inbound { all.writeBuffer(&part) }
            return String(buffer: all)
        }
        guard let split = response.range(of: "\r\n\r\n") else { throw MalformedResponse(text: response) }
        let head = response[..<split.lowerBound].split(separator: "\r\n")
        guard let statusLine = head.first, let code = statusLine.split(separator: " ").dropFirst().first.flatMap({ Int($0) }) else {
            throw MalformedResponse(text: response)
        }
        status = code
        var headers: [String: String] = [:]
        for line in head.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        self.headers = headers
        body = String(response[split.upperBound...])
    }

    struct MalformedResponse: Error {
        var text: String
    }
}
