import Foundation

/// A range of API versions as Kafka's specs write it: "0+", "3-5", "7" or "none".
struct VersionRange: Equatable {
    var lowest: Int
    /// nil means open-ended.
    var highest: Int?

    static let none = VersionRange(lowest: Int.max, highest: nil)

    var isNone: Bool { lowest == Int.max }

    init(lowest: Int, highest: Int?) {
        self.lowest = lowest
        self.highest = highest
    }

    init(parsing text: String) throws {
        let text = text.trimmingCharacters(in: .whitespaces)
        if text == "none" {
            self = .none
        } else if text.hasSuffix("+"), let lowest = Int(text.dropLast()) {
            self.init(lowest: lowest, highest: nil)
        } else if let dash = text.firstIndex(of: "-"),
            let lowest = Int(text[..<dash]), let highest = Int(text[text.index(after: dash)...])
        {
            self.init(lowest: lowest, highest: highest)
        } else if let exact = Int(text) {
            self.init(lowest: exact, highest: exact)
        } else {
            throw GeneratorError("cannot parse version range '\(text)'")
        }
    }

    func contains(_ version: Int) -> Bool {
        !isNone && version >= lowest && (highest.map { version <= $0 } ?? true)
    }

    func intersection(_ other: VersionRange) -> VersionRange {
        if isNone || other.isNone { return .none }
        let lowest = max(self.lowest, other.lowest)
        let highest: Int?
        switch (self.highest, other.highest) {
        case (nil, nil): highest = nil
        case (let value?, nil), (nil, let value?): highest = value
        case (let left?, let right?): highest = min(left, right)
        }
        if let highest, highest < lowest { return .none }
        return VersionRange(lowest: lowest, highest: highest)
    }

    /// True when every version of `within` is in this range.
    func covers(_ within: VersionRange) -> Bool {
        if within.isNone { return true }
        if isNone { return false }
        guard lowest <= within.lowest else { return false }
        guard let highest else { return true }
        guard let withinHighest = within.highest else { return false }
        return withinHighest <= highest
    }

    /// A Swift condition on `version` that holds exactly for the versions of this range that are also
    /// in `valid`; nil when it holds for all of them.
    func condition(within valid: VersionRange, variable: String = "version") -> String? {
        let effective = intersection(valid)
        if effective.isNone { return "false" }
        if effective == valid { return nil }
        var parts: [String] = []
        if effective.lowest > valid.lowest { parts.append("\(variable) >= \(effective.lowest)") }
        if let highest = effective.highest, highest != valid.highest {
            parts.append("\(variable) <= \(highest)")
        }
        return parts.isEmpty ? nil : parts.joined(separator: " && ")
    }
}

struct GeneratorError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// One field of a message or struct, as in Kafka's JSON message specs.
struct FieldSpec {
    var name: String
    var type: String
    var versions: VersionRange
    var nullableVersions: VersionRange
    var taggedVersions: VersionRange
    var tag: Int?
    var flexibleVersionsOverride: VersionRange?
    var defaultValue: String?
    /// Nested fields when `type` names a struct (or an array of structs) defined here.
    var fields: [FieldSpec]?

    init(json: [String: Any]) throws {
        guard let name = json["name"] as? String, let type = json["type"] as? String else {
            throw GeneratorError("field without name or type: \(json)")
        }
        self.name = name
        self.type = type.trimmingCharacters(in: .whitespaces)
        self.versions = try VersionRange(parsing: json["versions"] as? String ?? "none")
        self.nullableVersions = try VersionRange(parsing: json["nullableVersions"] as? String ?? "none")
        self.taggedVersions = try VersionRange(parsing: json["taggedVersions"] as? String ?? "none")
        self.tag = json["tag"] as? Int
        self.flexibleVersionsOverride = try (json["flexibleVersions"] as? String).map(VersionRange.init(parsing:))
        switch json["default"] {
        case let text as String: self.defaultValue = text
        case let number as NSNumber:
            self.defaultValue = self.type == "bool" ? (number.boolValue ? "true" : "false") : number.stringValue
        default: self.defaultValue = nil
        }
        self.fields = try (json["fields"] as? [[String: Any]])?.map(FieldSpec.init(json:))
    }

    var isArray: Bool { type.hasPrefix("[]") }
    var elementType: String { isArray ? String(type.dropFirst(2)) : type }
    var isTagged: Bool { tag != nil }
}

/// One JSON spec file: a request, a response or a header.
struct MessageSpec {
    var fileName: String
    var apiKey: Int?
    var kind: String
    var name: String
    var validVersions: VersionRange
    var flexibleVersions: VersionRange
    var fields: [FieldSpec]
    var commonStructs: [(name: String, fields: [FieldSpec])]

    init(fileName: String, contents: String) throws {
        // Kafka's spec files carry `//` comment lines (the license header among them); the rest is JSON.
        let json = contents.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("//") }
            .joined(separator: "\n")
        guard let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any],
            let kind = object["type"] as? String, let name = object["name"] as? String,
            let valid = object["validVersions"] as? String
        else {
            throw GeneratorError("\(fileName): not a message spec")
        }
        self.fileName = fileName
        self.apiKey = object["apiKey"] as? Int
        self.kind = kind
        self.name = name
        self.validVersions = try VersionRange(parsing: valid)
        self.flexibleVersions = try VersionRange(parsing: object["flexibleVersions"] as? String ?? "none")
        self.fields = try (object["fields"] as? [[String: Any]] ?? []).map(FieldSpec.init(json:))
        self.commonStructs = try (object["commonStructs"] as? [[String: Any]] ?? []).map { json in
            guard let name = json["name"] as? String else { throw GeneratorError("\(fileName): unnamed common struct") }
            return (name, try (json["fields"] as? [[String: Any]] ?? []).map(FieldSpec.init(json:)))
        }
    }
}
