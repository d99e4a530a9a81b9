/// A strict reader of Prometheus' text exposition format (version 0.0.4), so that the tests check
/// what a Prometheus server would accept: the line grammar, TYPE before a family's samples,
/// families kept together, no sample twice, and histograms with cumulative buckets ending in
/// `le="+Inf"` equal to `_count`.
struct PrometheusExposition {
    struct Sample: Equatable {
        var name: String
        var labels: [String: String]
        var value: Double
    }

    struct Malformed: Error, CustomStringConvertible {
        var line: Int
        var reason: String
        var description: String { "line \(line): \(reason)" }
    }

    private(set) var samples: [Sample] = []
    /// The declared type of each family.
    private(set) var types: [String: String] = [:]

    init(parsing text: String) throws {
        var finishedFamilies = Set<String>()
        var currentFamily: String?
        var seen = Set<String>()
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let number = index + 1
            if line.isEmpty { continue }
            if line.hasPrefix("#") {
                let parts = line.split(separator: " ", maxSplits: 3, omittingEmptySubsequences: true)
                guard parts.count >= 3, parts[1] == "TYPE" || parts[1] == "HELP" else { continue }
                let family = String(parts[2])
                guard Self.isMetricName(family) else { throw Malformed(line: number, reason: "bad metric name \(family)") }
                if parts[1] == "TYPE" {
                    guard parts.count == 4, ["counter", "gauge", "histogram", "summary", "untyped"].contains(parts[3]) else {
                        throw Malformed(line: number, reason: "bad TYPE line")
                    }
                    guard types[family] == nil, !finishedFamilies.contains(family), currentFamily != family else {
                        throw Malformed(line: number, reason: "second TYPE for \(family), or TYPE after its samples")
                    }
                    types[family] = String(parts[3])
                }
                continue
            }
            let sample = try Self.sample(line, number: number)
            let family = family(of: sample.name)
            guard types[family] != nil else { throw Malformed(line: number, reason: "\(sample.name) has no TYPE before it") }
            if family != currentFamily {
                if let currentFamily { finishedFamilies.insert(currentFamily) }
                guard !finishedFamilies.contains(family) else { throw Malformed(line: number, reason: "samples of \(family) are split up") }
                currentFamily = family
            }
            let key =
                sample.name + "{" + sample.labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",") + "}"
            guard seen.insert(key).inserted else { throw Malformed(line: number, reason: "\(key) appears twice") }
            samples.append(sample)
        }
        try checkHistograms()
    }

    /// The family a sample belongs to: histogram and summary samples carry suffixes.
    private func family(of name: String) -> String {
        for suffix in ["_bucket", "_sum", "_count"] where name.hasSuffix(suffix) {
            let base = String(name.dropLast(suffix.count))
            if types[base] == "histogram" || (types[base] == "summary" && suffix != "_bucket") { return base }
        }
        return name
    }

    private func checkHistograms() throws {
        for (family, type) in types where type == "histogram" {
            let buckets = Dictionary(grouping: samples.filter { $0.name == family + "_bucket" }) { sample in
                sample.labels.filter { $0.key != "le" }
            }
            for (labels, series) in buckets {
                let ordered = try series.map { sample -> (Double, Double) in
                    guard let le = sample.labels["le"], let bound = Self.parseValue(Substring(le)) else {
                        throw Malformed(line: 0, reason: "\(family) bucket without a numeric le")
                    }
                    return (bound, sample.value)
                }.sorted { $0.0 < $1.0 }
                guard zip(ordered, ordered.dropFirst()).allSatisfy({ $0.1 <= $1.1 }) else {
                    throw Malformed(line: 0, reason: "\(family)\(labels) buckets are not cumulative")
                }
                let count = samples.first { $0.name == family + "_count" && $0.labels == labels }?.value
                guard ordered.last?.0 == .infinity, ordered.last?.1 == count else {
                    throw Malformed(line: 0, reason: "\(family)\(labels) +Inf bucket differs from _count")
                }
            }
        }
    }

    /// The value of the one sample named `name` with exactly `labels`; nil when there is none.
    func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        samples.first { $0.name == name && $0.labels == labels }?.value
    }

    // MARK: - Line grammar

    private static func sample(_ line: Substring, number: Int) throws -> Sample {
        var rest = line[...]
        let nameEnd = rest.firstIndex { $0 == "{" || $0 == " " } ?? rest.endIndex
        let name = String(rest[..<nameEnd])
        guard isMetricName(name) else { throw Malformed(line: number, reason: "bad metric name '\(name)'") }
        rest = rest[nameEnd...]
        var labels: [String: String] = [:]
        if rest.first == "{" {
            rest = rest.dropFirst()
            while rest.first != "}" {
                guard let equals = rest.firstIndex(of: "=") else { throw Malformed(line: number, reason: "label without =") }
                let labelName = String(rest[..<equals])
                guard isLabelName(labelName), labels[labelName] == nil else {
                    throw Malformed(line: number, reason: "bad label '\(labelName)'")
                }
                rest = rest[rest.index(after: equals)...]
                guard rest.first == "\"" else { throw Malformed(line: number, reason: "unquoted label value") }
                rest = rest.dropFirst()
                var value = ""
                while true {
                    guard let character = rest.first else { throw Malformed(line: number, reason: "unterminated label value") }
                    rest = rest.dropFirst()
                    if character == "\"" { break }
                    if character == "\\" {
                        switch rest.first {
                        case "\\": value.append("\\")
                        case "\"": value.append("\"")
                        case "n": value.append("\n")
                        default: throw Malformed(line: number, reason: "bad escape in label value")
                        }
                        rest = rest.dropFirst()
                    } else {
                        value.append(character)
                    }
                }
                labels[labelName] = value
                if rest.first == "," {
                    rest = rest.dropFirst()
                } else if rest.first != "}" {
                    throw Malformed(line: number, reason: "expected , or } after a label")
                }
            }
            rest = rest.dropFirst()
        }
        guard rest.first == " " else { throw Malformed(line: number, reason: "no space before the value") }
        let fields = rest.dropFirst().split(separator: " ", omittingEmptySubsequences: false)
        guard (1...2).contains(fields.count), let value = parseValue(fields[0]) else {
            throw Malformed(line: number, reason: "bad value '\(rest)'")
        }
        if fields.count == 2, Int64(fields[1]) == nil { throw Malformed(line: number, reason: "bad timestamp") }
        return Sample(name: name, labels: labels, value: value)
    }

    private static func parseValue(_ text: Substring) -> Double? {
        switch text {
        case "+Inf": return .infinity
        case "-Inf": return -.infinity
        case "NaN": return .nan
        default: return Double(text)
        }
    }

    static func isMetricName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first == "_" || first == ":" || isLetter(first) else { return false }
        return name.unicodeScalars.allSatisfy { $0 == "_" || $0 == ":" || isLetter($0) || ("0"..."9").contains($0) }
    }

    static func isLabelName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first == "_" || isLetter(first) else { return false }
        return name.unicodeScalars.allSatisfy { $0 == "_" || isLetter($0) || ("0"..."9").contains($0) }
    }

    private static func isLetter(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
    }
}
