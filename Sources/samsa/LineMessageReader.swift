import Foundation

/// Kafka's `LineMessageReader`: turns a line of the console producer's input into a record,
/// configured by `--property` (parse.key, key.separator, ignore.error, null.marker).
struct LineMessageReader {
    struct Record {
        var key: String?
        var value: String?

        /// "null" or "N bytes", as Kafka's error callback describes a record.
        var keyDescription: String { key.map { "\($0.utf8.count) bytes" } ?? "null" }
        var valueDescription: String { value.map { "\($0.utf8.count) bytes" } ?? "null" }
    }

    private var parseKey = false
    private var keySeparator = "\t"
    private var ignoreError = false
    private var nullMarker: String?

    init(properties assignments: [String]) throws(CommandFailure) {
        var properties = ClientProperties()
        try properties.add(assignments: assignments)
        parseKey = properties.value(of: "parse.key")?.lowercased() == "true"
        keySeparator = properties.value(of: "key.separator") ?? "\t"
        ignoreError = properties.value(of: "ignore.error")?.lowercased() == "true"
        nullMarker = properties.value(of: "null.marker")
        if nullMarker == "" { throw .standardError("null.marker should not be empty.") }
    }

    func record(from line: String, lineNumber: Int) throws(CommandFailure) -> Record {
        guard parseKey else { return Record(key: nil, value: nulled(line)) }
        guard let separator = line.range(of: keySeparator) else {
            guard ignoreError else { throw .standardError("No key separator found on line number \(lineNumber): '\(line)'") }
            return Record(key: nil, value: nulled(line))
        }
        return Record(key: nulled(String(line[..<separator.lowerBound])), value: nulled(String(line[separator.upperBound...])))
    }

    private func nulled(_ text: String) -> String? {
        text == nullMarker ? nil : text
    }
}
