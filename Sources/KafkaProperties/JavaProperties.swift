/// Java properties text as Kafka reads it: server.properties, a client tool's `--command-config`
/// or `--producer.config`, and the small property files the broker keeps in its data folder.
///
/// A module of its own, depending on nothing, so that the command-line client tools read their
/// property files without linking the broker.
public enum JavaProperties {
    /// Parses `key=value`, `key: value` or `key value` lines, `#`/`!` comments, and lines continued
    /// with a trailing backslash. Entries keep their order and repeats, so a caller decides how a
    /// later entry overrides an earlier one.
    public static func parse(_ text: String) -> [(key: String, value: String)] {
        var entries: [(key: String, value: String)] = []
        var pending = ""
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            var line = pending + rawLine.trimmingWhitespace()
            pending = ""
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix("!") { continue }
            if line.hasSuffix("\\") && !line.hasSuffix("\\\\") {
                line.removeLast()
                pending = line
                continue
            }
            let separator = line.firstIndex { $0 == "=" || $0 == ":" || $0 == " " || $0 == "\t" }
            guard let separator else {
                entries.append((line, ""))
                continue
            }
            let key = String(line[..<separator]).trimmingWhitespace()
            var value = line[line.index(after: separator)...].drop { $0 == " " || $0 == "\t" }
            if line[separator] == " " || line[separator] == "\t", let first = value.first, first == "=" || first == ":" {
                value = value.dropFirst().drop { $0 == " " || $0 == "\t" }
            }
            entries.append((key, String(value)))
        }
        return entries
    }

    /// The entries by key, a later entry replacing an earlier one, as `java.util.Properties.load` does.
    public static func dictionary(_ text: String) -> [String: String] {
        Dictionary(parse(text), uniquingKeysWith: { _, later in later })
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces, tabs and form feeds (the blanks of a
    /// properties file).
    public func trimmingWhitespace() -> String {
        let isBlank: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\u{0C}" }
        guard let first = firstIndex(where: { !isBlank($0) }), let last = lastIndex(where: { !isBlank($0) }) else { return "" }
        return String(self[first...last])
    }
}
