import Foundation
import SamsaTestSupport
import Testing

@testable import ProtocolGenerator

@Suite("Protocol generator", .tags(.pure))
struct GeneratorTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let specsFolder = packageRoot.appendingPathComponent("Specs/kafka-message-specs").path
    static let errorCodes = packageRoot.appendingPathComponent("Specs/kafka-error-codes.tsv").path

    @Test("committed generated code equals a fresh generation")
    func generatedCodeIsUpToDate() throws {
        try #require(
            FileManager.default.fileExists(atPath: Self.specsFolder + "/SOURCE.md"),
            "Kafka's message specs belong in Specs/kafka-message-specs; without them the generated code cannot be checked")
        try #require(FileManager.default.fileExists(atPath: Self.errorCodes), "Kafka's error table belongs at Specs/kafka-error-codes.tsv")
        let generator = ProtocolGenerator(specsFolder: Self.specsFolder, errorCodesFile: Self.errorCodes)
        let first = try generator.generate()
        let second = try generator.generate()
        #expect(first.library == second.library, "generation is deterministic")
        let temporary = FileManager.default.temporaryDirectory.appendingPathComponent("samsa-generated-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: temporary) }
        try ProtocolGenerator.write(first.library, to: temporary.path)
        let committed = Self.packageRoot.appendingPathComponent("Sources/KafkaProtocol/Generated").path
        let committedNames = try FileManager.default.contentsOfDirectory(atPath: committed).sorted()
        #expect(committedNames == first.library.keys.sorted())
        for (name, contents) in first.library {
            let onDisk = try String(contentsOfFile: committed + "/" + name, encoding: .utf8)
            let written = try String(contentsOfFile: temporary.path + "/" + name, encoding: .utf8)
            #expect(onDisk == contents, "\(name) differs from a fresh generation: run `make generate`")
            #expect(written == contents)
        }
        for (name, contents) in first.tests {
            let onDisk = try String(
                contentsOfFile: Self.packageRoot.appendingPathComponent("Tests/KafkaProtocolTests/Generated/\(name)").path,
                encoding: .utf8)
            #expect(onDisk == contents, "\(name) differs from a fresh generation: run `make generate`")
        }
    }

    @Test func versionRanges() throws {
        #expect(try VersionRange(parsing: "3+").condition(within: VersionRange(lowest: 0, highest: 12)) == "version >= 3")
        #expect(try VersionRange(parsing: "0-7").condition(within: VersionRange(lowest: 0, highest: 12)) == "version <= 7")
        #expect(try VersionRange(parsing: "0+").condition(within: VersionRange(lowest: 0, highest: 12)) == nil)
        #expect(try VersionRange(parsing: "none").condition(within: VersionRange(lowest: 0, highest: 12)) == "false")
        #expect(
            try VersionRange(parsing: "8-10").condition(within: VersionRange(lowest: 0, highest: 12)) == "version >= 8 && version <= 10")
        #expect(throws: GeneratorError.self) { try VersionRange(parsing: "x") }
    }
}
