import Foundation

/// A `--topic` value as Kafka's `IncludeList` reads it: a regular expression matched against the
/// whole topic name, where ',' separates alternatives and quotes around it are dropped.
struct TopicPattern {
    private let regex: Regex<AnyRegexOutput>

    init?(_ text: String) {
        var pattern = text.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: ",", with: "|")
            .replacingOccurrences(of: " ", with: "")
        while let first = pattern.first, first == "\"" || first == "'" { pattern.removeFirst() }
        while let last = pattern.last, last == "\"" || last == "'" { pattern.removeLast() }
        guard let regex = try? Regex(pattern) else { return nil }
        self.regex = regex
    }

    func matches(_ topic: String) -> Bool {
        (try? regex.wholeMatch(in: topic)) != nil
    }
}
