import ArgumentParser
import Foundation

/// Rewrites `Sources/KafkaProtocol/Generated/` from Kafka's JSON message specs.
@main
struct ProtocolGeneratorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "protocol-generator",
        abstract: "Generates Samsa's Kafka protocol messages from Kafka's JSON message specs."
    )

    @Argument(help: "Folder holding Kafka's *Request.json/*Response.json specs and SOURCE.md.")
    var specs: String = "Specs/kafka-message-specs"

    @Option(help: "Kafka's error code table (code, name, retriable, default message; tab-separated).")
    var errorCodes: String = "Specs/kafka-error-codes.tsv"

    @Option(help: "Output folder for the library's messages; every generated file in it is replaced.")
    var output: String = "Sources/KafkaProtocol/Generated"

    @Option(help: "Output folder for the test samples (one populated value per message).")
    var testOutput: String = "Tests/KafkaProtocolTests/Generated"

    func run() throws {
        let generator = ProtocolGenerator(specsFolder: specs, errorCodesFile: errorCodes)
        let files = try generator.generate()
        try ProtocolGenerator.write(files.library, to: output)
        try ProtocolGenerator.write(files.tests, to: testOutput)
        print("Wrote \(files.library.count) files to \(output) and \(files.tests.count) to \(testOutput)")
    }
}

struct ProtocolGenerator {
    let specsFolder: String
    let errorCodesFile: String

    /// Generated file name → contents, for the library and for its tests.
    func generate() throws -> (library: [String: String], tests: [String: String]) {
        let fileManager = FileManager.default
        let names = try fileManager.contentsOfDirectory(atPath: specsFolder).filter { $0.hasSuffix(".json") }.sorted()
        let commit = try kafkaCommit()
        var specs: [String: MessageSpec] = [:]
        for name in names {
            let contents = try String(contentsOfFile: specsFolder + "/" + name, encoding: .utf8)
            specs[name] = try MessageSpec(fileName: name, contents: contents)
        }

        var files: [String: String] = [:]
        var samples: [String] = []
        var roundTrips: [String] = []
        var typesByKey: [String] = []
        var apis: [(key: Int, name: String, request: MessageSpec, response: MessageSpec)] = []
        for name in names where name.hasSuffix("Request.json") {
            let api = String(name.dropLast("Request.json".count))
            guard let request = specs[name], let response = specs[api + "Response.json"], let key = request.apiKey else {
                if name == "RequestHeader.json" { continue }
                throw GeneratorError("\(name): no matching response spec or API key")
            }
            apis.append((key, api, request, response))
            var body: [String] = []
            body += try MessageGenerator(spec: request).generate()
            body.append("")
            body += try MessageGenerator(spec: response).generate()
            files["\(api).swift"] =
                Self.banner(sources: [request.fileName, response.fileName], commit: commit) + body.joined(separator: "\n") + "\n"
            typesByKey.append("    \(key): (\(request.name).self, \(response.name).self),")
            for spec in [request, response] {
                samples.append("")
                samples += try MessageGenerator(spec: spec).generateSamples()
                roundTrips.append("    MessageSample(\(spec.name).sample()),")
            }
        }
        if let requestHeader = specs["RequestHeader.json"], let responseHeader = specs["ResponseHeader.json"] {
            var body: [String] = []
            body += try MessageGenerator(spec: requestHeader).generate()
            body.append("")
            body += try MessageGenerator(spec: responseHeader).generate()
            files["Headers.swift"] =
                Self.banner(sources: [requestHeader.fileName, responseHeader.fileName], commit: commit)
                + body.joined(separator: "\n") + "\n"
        }
        apis.sort { $0.key < $1.key }
        files["ApiKey+Generated.swift"] =
            Self.banner(sources: apis.flatMap { [$0.request.fileName, $0.response.fileName] }, commit: commit)
            + Self.apiKeyTable(apis.map { ($0.key, $0.name, $0.request, $0.response) }).joined(separator: "\n") + "\n"
        files["ErrorCode+Generated.swift"] = try errorCodeTable()
        let sampleFile =
            Self.banner(sources: names, commit: commit).replacingOccurrences(
                of: "import NIOCore", with: "import KafkaProtocol\nimport NIOCore")
            + (["/// A populated value of every generated message, for round-trip tests.", "let allMessageSamples: [MessageSample] = ["]
            + roundTrips + [
                "]", "", "/// Request and response type of every generated API, by API key.",
                "let generatedMessageTypes: [Int16: (request: any KafkaApiMessage.Type, response: any KafkaApiMessage.Type)] = [",
            ]
            + typesByKey + ["]"] + samples).joined(separator: "\n") + "\n"
        return (files, ["MessageSamples.swift": sampleFile])
    }

    static func write(_ files: [String: String], to folder: String) throws {
        let fileManager = FileManager.default
        try fileManager.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for stale in try fileManager.contentsOfDirectory(atPath: folder) where stale.hasSuffix(".swift") && files[stale] == nil {
            try fileManager.removeItem(atPath: folder + "/" + stale)
        }
        for (name, contents) in files {
            try contents.write(toFile: folder + "/" + name, atomically: true, encoding: .utf8)
        }
    }

    private func kafkaCommit() throws -> String {
        let source = (try? String(contentsOfFile: specsFolder + "/SOURCE.md", encoding: .utf8)) ?? ""
        let hex = Set("0123456789abcdef")
        for word in source.split(whereSeparator: { !$0.isLetter && !$0.isNumber }) where word.count == 40 && word.allSatisfy(hex.contains) {
            return String(word)
        }
        throw GeneratorError("\(specsFolder)/SOURCE.md names no Kafka commit")
    }

    private static func banner(sources: [String], commit: String) -> String {
        var lines = [
            "// Generated by protocol-generator (`make generate`). Do not edit.",
            "// Source: Apache Kafka's message specs at commit \(commit),",
            "// clients/src/main/resources/common/message/:",
        ]
        lines += sources.map { "//   \($0)" }
        lines += ["", "import NIOCore", "", ""]
        return lines.joined(separator: "\n")
    }

    private static func apiKeyTable(_ apis: [(key: Int, name: String, request: MessageSpec, response: MessageSpec)]) -> [String] {
        var lines = ["extension ApiKey {"]
        for api in apis {
            lines.append("    public static let \(MessageGenerator.propertyName(api.name)) = ApiKey(rawValue: \(api.key))")
        }
        lines.append("")
        lines.append("    /// Every API whose messages this library can encode and decode.")
        lines.append("    public static let allGenerated: [ApiKey] = [")
        lines += apis.map { "        .\(MessageGenerator.propertyName($0.name))," }
        lines.append("    ]")
        lines.append("")
        lines.append("    /// Kafka's name for the API, e.g. \"Produce\".")
        lines.append("    public var name: String {")
        lines.append("        switch self.rawValue {")
        lines += apis.map { "        case \($0.key): return \"\($0.name)\"" }
        lines.append("        default: return \"Unknown(\\(self.rawValue))\"")
        lines.append("        }")
        lines.append("    }")
        lines.append("")
        lines.append("    /// The versions the message specs define for this API; nil for an unknown API.")
        lines.append("    public var definedVersions: ClosedRange<Int16>? {")
        lines.append("        switch self.rawValue {")
        lines += apis.map { "        case \($0.key): return \($0.request.name).validVersions" }
        lines.append("        default: return nil")
        lines.append("        }")
        lines.append("    }")
        lines.append("")
        lines.append("    /// Request header version: 2 in flexible versions, otherwise 1.")
        lines.append("    public func requestHeaderVersion(for version: Int16) -> Int16 {")
        lines.append("        switch self.rawValue {")
        lines += apis.map { "        case \($0.key): return \($0.request.name).isFlexible(version: version) ? 2 : 1" }
        lines.append("        default: return 1")
        lines.append("        }")
        lines.append("    }")
        lines.append("")
        lines.append("    /// Response header version: 1 in flexible versions, otherwise 0; always 0 for ApiVersions,")
        lines.append("    /// so that a client can read the response before it knows which versions the broker speaks.")
        lines.append("    public func responseHeaderVersion(for version: Int16) -> Int16 {")
        lines.append("        switch self.rawValue {")
        for api in apis {
            if api.name == "ApiVersions" {
                lines.append("        case \(api.key): return 0")
            } else {
                lines.append("        case \(api.key): return \(api.response.name).isFlexible(version: version) ? 1 : 0")
            }
        }
        lines.append("        default: return 0")
        lines.append("        }")
        lines.append("    }")
        lines.append("}")
        return lines
    }

    private func errorCodeTable() throws -> String {
        let table = try String(contentsOfFile: errorCodesFile, encoding: .utf8)
        var rows: [(code: Int, name: String, retriable: Bool, message: String)] = []
        for line in table.split(separator: "\n").dropFirst() where !line.isEmpty {
            let columns = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard columns.count >= 3, let code = Int(columns[0]) else { throw GeneratorError("bad error code row: \(line)") }
            rows.append((code, columns[1], columns[2] == "yes", columns.count > 3 ? columns[3] : ""))
        }
        func identifier(_ name: String) -> String {
            if name == "NONE" { return "noError" }
            let words = name.lowercased().split(separator: "_")
            return String(words[0]) + words.dropFirst().map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
        }
        var lines = [
            "// Generated by protocol-generator (`make generate`) from kafka-error-codes.tsv. Do not edit.",
            "",
            "extension ErrorCode {",
        ]
        for row in rows {
            lines.append("    /// \(row.name)\(row.message.isEmpty ? "" : ": " + row.message)")
            lines.append("    public static let \(identifier(row.name)) = ErrorCode(rawValue: \(row.code))")
        }
        lines.append("")
        lines.append("    /// Kafka's name for the error, e.g. \"UNKNOWN_TOPIC_OR_PARTITION\"; nil for a code Kafka does not define.")
        lines.append("    public var name: String? {")
        lines.append("        switch self.rawValue {")
        lines += rows.map { "        case \($0.code): return \"\($0.name)\"" }
        lines.append("        default: return nil")
        lines.append("        }")
        lines.append("    }")
        lines.append("")
        lines.append("    /// Whether a client may retry the request that failed with this error.")
        lines.append("    public var isRetriable: Bool {")
        lines.append("        switch self.rawValue {")
        let retriable = rows.filter(\.retriable).map { String($0.code) }
        lines.append("        case \(retriable.joined(separator: ", ")): return true")
        lines.append("        default: return false")
        lines.append("        }")
        lines.append("    }")
        lines.append("")
        lines.append("    /// Kafka's default message for the error.")
        lines.append("    public var defaultMessage: String {")
        lines.append("        switch self.rawValue {")
        for row in rows where !row.message.isEmpty {
            let literal =
                "\"" + row.message.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
            lines.append("        case \(row.code): return \(literal)")
        }
        lines.append("        default: return \"\"")
        lines.append("        }")
        lines.append("    }")
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }
}
