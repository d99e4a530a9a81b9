import Foundation
import KafkaClient
import NIOCore

/// Kafka's `DefaultMessageFormatter`: the value of each record and a line separator, optionally
/// preceded by its timestamp, partition, offset, headers and key, each followed by `key.separator`
/// (`--property print.key=true`, …).
struct ConsoleRecordFormatter {
    private var printTimestamp = false
    private var printKey = false
    private var printValue = true
    private var printPartition = false
    private var printOffset = false
    private var printHeaders = false
    private var keySeparator = Array("\t".utf8)
    private var lineSeparator = Array("\n".utf8)
    private var headersSeparator = Array(",".utf8)
    private var nullLiteral = Array("null".utf8)

    init(properties assignments: [String]) throws(CommandFailure) {
        var properties = ClientProperties()
        try properties.add(assignments: assignments)
        func flag(_ key: String, _ current: Bool) -> Bool {
            properties.value(of: key).map { $0.trimmingCharacters(in: .whitespaces).lowercased() == "true" } ?? current
        }
        printTimestamp = flag("print.timestamp", printTimestamp)
        printKey = flag("print.key", printKey)
        printValue = flag("print.value", printValue)
        printPartition = flag("print.partition", printPartition)
        printOffset = flag("print.offset", printOffset)
        printHeaders = flag("print.headers", printHeaders)
        if let value = properties.value(of: "key.separator") { keySeparator = Array(value.utf8) }
        if let value = properties.value(of: "line.separator") { lineSeparator = Array(value.utf8) }
        if let value = properties.value(of: "headers.separator") { headersSeparator = Array(value.utf8) }
        if let value = properties.value(of: "null.literal") { nullLiteral = Array(value.utf8) }
    }

    func format(_ record: KafkaConsumerRecord) -> [UInt8] {
        var output: [UInt8] = []
        // Kafka writes the key separator between fields and the line separator after the last one.
        func separator(moreFollow: Bool) { output += moreFollow ? keySeparator : lineSeparator }
        if printTimestamp {
            output += Array(
                (record.timestamp < 0 ? "NO_TIMESTAMP" : "\(Self.timestampTypeName(record.timestampType)):\(record.timestamp)").utf8)
            separator(moreFollow: printPartition || printOffset || printHeaders || printKey || printValue)
        }
        if printPartition {
            output += Array("Partition:\(record.partition)".utf8)
            separator(moreFollow: printOffset || printHeaders || printKey || printValue)
        }
        if printOffset {
            output += Array("Offset:\(record.offset)".utf8)
            separator(moreFollow: printHeaders || printKey || printValue)
        }
        if printHeaders {
            if record.headers.isEmpty { output += Array("NO_HEADERS".utf8) }
            for (index, header) in record.headers.enumerated() {
                if index > 0 { output += headersSeparator }
                output += Array("\(header.key):".utf8) + (header.value.map { Array($0.readableBytesView) } ?? nullLiteral)
            }
            separator(moreFollow: printKey || printValue)
        }
        if printKey {
            output += bytes(of: record.key)
            separator(moreFollow: printValue)
        }
        if printValue {
            output += bytes(of: record.value)
            output += lineSeparator
        }
        return output
    }

    private func bytes(of field: (any Sendable)?) -> [UInt8] {
        guard let field else { return nullLiteral }
        if let buffer = field as? ByteBuffer { return Array(buffer.readableBytesView) }
        return Array("\(field)".utf8)
    }

    private static func timestampTypeName(_ type: KafkaTimestampType) -> String {
        type == .logAppendTime ? "LogAppendTime" : "CreateTime"
    }
}
