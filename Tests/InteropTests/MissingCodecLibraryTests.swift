import Foundation
import KafkaClient
import KafkaProtocol
import SamsaTestSupport
import Testing

extension InteropSuite {
    /// The built `samsa` on a machine without liblz4: its library file is covered by an empty file
    /// in a private mount namespace (as root, which CI is; the test fails rather than skips when
    /// that cannot be set up). The broker says so in one line, refuses lz4 alone, and the SDK
    /// running there refuses to compress with lz4.
    @Suite("A machine without liblz4")
    struct MissingCodecLibraryTests {
        @Test func lz4IsRefusedWithOneStartUpLineAndGzipStillWorks() async throws {
            let library = try LibraryHidingProcess.loadedFile(of: "liblz4.so.1")
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("samsa-no-lz4-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            let port = try Loopback.freePort()
            let bootstrapServer = "127.0.0.1:\(port)"
            let broker = try LibraryHidingProcess(
                hiding: library, folder: folder, name: "broker",
                arguments: [
                    "broker", "--override", "listeners=PLAINTEXT://\(bootstrapServer)", "--override",
                    "log.dirs=\(folder.appendingPathComponent("data").path)", "--override", "metrics.listener=",
                ])
            defer { broker.stop() }
            try await broker.waitForOutput(containing: "listening on PLAINTEXT://", within: .seconds(60))

            let unavailableLines = broker.output.split(separator: "\n").filter { $0.contains("compression is unavailable") }
            #expect(unavailableLines.count == 1, "\(broker.output)")
            #expect(unavailableLines.first?.contains("lz4 compression is unavailable") == true)
            #expect(unavailableLines.first?.contains("liblz4-1") == true)

            var lz4Configuration = KafkaProducerConfiguration(bootstrapServers: [bootstrapServer])
            lz4Configuration.compressionType = .lz4
            lz4Configuration.deliveryTimeoutMs = 20_000
            let lz4Producer = try KafkaProducer(configuration: lz4Configuration)
            let refusal = await #expect(throws: KafkaError.self) { try await lz4Producer.send(topic: "lz4-refused", value: "lz4") }
            #expect(refusal?.errorCode == .unsupportedCompressionType)
            await lz4Producer.close()

            var gzipConfiguration = KafkaProducerConfiguration(bootstrapServers: [bootstrapServer])
            gzipConfiguration.compressionType = .gzip
            let gzipProducer = try KafkaProducer(configuration: gzipConfiguration)
            let values = (0..<5).map { "gzip record \($0)" }
            for value in values { _ = try await gzipProducer.send(topic: "gzip-works", value: value) }
            await gzipProducer.close()
            var consumerConfiguration = KafkaConsumerConfiguration(bootstrapServers: [bootstrapServer], groupId: "no-lz4")
            consumerConfiguration.autoOffsetReset = .earliest
            consumerConfiguration.consumerTimeoutMs = 5_000
            consumerConfiguration.valueDeserializer = .utf8
            let consumer = try KafkaConsumer(configuration: consumerConfiguration)
            try await consumer.subscribe(topics: ["gzip-works"])
            var consumed: [String] = []
            for try await record in consumer {
                consumed.append(record.value as? String ?? "")
                if consumed.count == values.count { break }
            }
            await consumer.close()
            #expect(consumed == values)

            let sdkProducer = try LibraryHidingProcess(
                hiding: library, folder: folder, name: "console-producer",
                arguments: ["console-producer", "--bootstrap-server", bootstrapServer, "--topic", "sdk-lz4", "--compression-codec", "lz4"])
            let status = try await sdkProducer.waitForExit(within: .seconds(30))
            #expect(status != 0)
            #expect(sdkProducer.output.contains("lz4 compression is unavailable"), "\(sdkProducer.output)")
            #expect(!sdkProducer.output.contains("Fatal error"))
        }
    }
}

/// The built `samsa` run with one shared library file covered by /dev/null, in a mount namespace
/// of its own, so the dynamic loader finds the library but cannot load it. Standard output and
/// standard error go to one file in `folder`.
final class LibraryHidingProcess: Sendable {
    private let process: Process
    private let outputFile: URL

    init(hiding library: String, folder: URL, name: String, arguments: [String]) throws {
        outputFile = folder.appendingPathComponent("\(name).log")
        _ = FileManager.default.createFile(atPath: outputFile.path, contents: nil)
        let output = try FileHandle(forWritingTo: outputFile)
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments =
            [
                "unshare", "--mount", "--propagation", "private", "sh", "-c", #"mount --bind /dev/null "$0" && exec "$@""#, library,
                try TestPrerequisites.samsaExecutable(),
            ] + arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = output
        process.standardError = output
        try process.run()
    }

    /// The file the dynamic loader opens for `soname` in this process (read from its mappings,
    /// so it is the file a child would load too).
    static func loadedFile(of soname: String) throws -> String {
        guard dlopen(soname, RTLD_NOW) != nil else {
            throw LibraryHidingError("\(soname) does not load here, so there is nothing to hide: install it")
        }
        // procfs files report a size of 0, so they are read to their end rather than by size.
        guard let mapsFile = FileHandle(forReadingAtPath: "/proc/self/maps") else {
            throw LibraryHidingError("/proc/self/maps cannot be read")
        }
        let maps = String(decoding: mapsFile.readDataToEndOfFile(), as: UTF8.self)
        let stem = soname.prefix { $0 != "." }
        guard
            let path = maps.split(separator: "\n").compactMap({ $0.split(separator: " ").last }).first(where: { $0.contains("/\(stem).so") }
            )
        else {
            throw LibraryHidingError("\(soname) is loaded but not in /proc/self/maps")
        }
        return String(path)
    }

    var output: String {
        (try? String(contentsOf: outputFile, encoding: .utf8)) ?? ""
    }

    func waitForOutput(containing text: String, within limit: Duration) async throws {
        let deadline = ContinuousClock.now + limit
        while !output.contains(text) {
            guard process.isRunning else {
                throw LibraryHidingError("samsa ended with status \(process.terminationStatus) before writing \"\(text)\": \(output)")
            }
            guard ContinuousClock.now < deadline else { throw LibraryHidingError("no \"\(text)\" within \(limit): \(output)") }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    func waitForExit(within limit: Duration) async throws -> Int32 {
        let deadline = ContinuousClock.now + limit
        while process.isRunning {
            guard ContinuousClock.now < deadline else {
                stop()
                throw LibraryHidingError("samsa still ran after \(limit): \(output)")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        return process.terminationStatus
    }

    func stop() {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
    }
}

struct LibraryHidingError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
