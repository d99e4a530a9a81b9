/// Java's `String.format("%-Ns", …)`, which Kafka's tools use for their tables.
enum JavaFormat {
    /// `text` padded with spaces to `width` characters (never cut).
    static func leftAligned(_ text: String, width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }

    /// Columns separated by one space, each padded to its width; a nil width leaves the column
    /// as it is (Java's plain `%s`).
    static func columns(_ values: [String], widths: [Int?]) -> String {
        zip(values, widths).map { value, width in width.map { leftAligned(value, width: $0) } ?? value }.joined(separator: " ")
    }
}
