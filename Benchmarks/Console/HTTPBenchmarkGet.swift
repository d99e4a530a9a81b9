import NIOCore
import NIOPosix

/// One HTTP GET over a fresh connection to 127.0.0.1, read to the end, as a browser's refresh
/// or a Prometheus scrape does; returns the response's size.
enum HTTPBenchmarkGet {
    static func get(_ path: String, port: Int) async throws -> Int {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture { try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel) }
            }
        return try await channel.executeThenClose { inbound, outbound in
            try await outbound.write(ByteBuffer(string: "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"))
            var size = 0
            for try await part in inbound { size += part.readableBytes }
            return size
        }
    }
}
