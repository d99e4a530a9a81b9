import Foundation

/// Writes the Swift struct for one message spec: fields, nested structs, versioned decoder and encoder.
///
/// The output is deliberately plain (one statement per field, explicit types in closures) so that
/// the compiler type-checks it quickly.
struct MessageGenerator {
    let spec: MessageSpec
    private var structs: [String: [FieldSpec]] = [:]
    private var structOrder: [String] = []

    init(spec: MessageSpec) throws {
        self.spec = spec
        for common in spec.commonStructs {
            try register(common.name, fields: common.fields)
        }
        try collectStructs(in: spec.fields)
    }

    private mutating func register(_ name: String, fields: [FieldSpec]) throws {
        if structs[name] == nil {
            structs[name] = fields
            structOrder.append(name)
        }
        try collectStructs(in: fields)
    }

    private mutating func collectStructs(in fields: [FieldSpec]) throws {
        for field in fields {
            if let nested = field.fields {
                try register(field.elementType, fields: nested)
            }
        }
    }

    // MARK: - Versions

    private var compactExpression: String {
        if spec.flexibleVersions.covers(spec.validVersions) { return "true" }
        if spec.flexibleVersions.intersection(spec.validVersions).isNone { return "false" }
        return "_flexible"
    }

    private var hasFlexibleVersions: Bool { !spec.flexibleVersions.intersection(spec.validVersions).isNone }

    private func compact(for field: FieldSpec) -> String {
        if let override = field.flexibleVersionsOverride {
            let effective = override.intersection(spec.flexibleVersions)
            if effective.isNone { return "false" }
            if effective.covers(spec.validVersions) { return "true" }
            return "(" + (effective.condition(within: spec.validVersions, variable: "_version") ?? "true") + ")"
        }
        return compactExpression
    }

    // MARK: - Types and defaults

    private static let primitiveTypes: [String: String] = [
        "bool": "Bool", "int8": "Int8", "int16": "Int16", "uint16": "UInt16", "int32": "Int32",
        "uint32": "UInt32", "int64": "Int64", "float64": "Double", "string": "String",
        "bytes": "ByteBuffer", "records": "ByteBuffer", "uuid": "KafkaUUID",
    ]

    private func isStruct(_ type: String) -> Bool { Self.primitiveTypes[type] == nil }

    private func elementSwiftType(_ type: String) throws -> String {
        if let primitive = Self.primitiveTypes[type] { return primitive }
        guard structs[type] != nil else { throw GeneratorError("\(spec.fileName): unknown type \(type)") }
        return type
    }

    private func isOptional(_ field: FieldSpec) -> Bool {
        !field.nullableVersions.intersection(field.versions).isNone || field.type == "records"
    }

    private func swiftType(_ field: FieldSpec) throws -> String {
        let element = try elementSwiftType(field.elementType)
        if isStruct(field.elementType) && !field.isArray && isOptional(field) {
            throw GeneratorError("\(spec.fileName): nullable struct \(field.name) is not supported")
        }
        let base = field.isArray ? "[\(element)]" : element
        return isOptional(field) ? base + "?" : base
    }

    private func defaultExpression(_ field: FieldSpec) throws -> String {
        if field.defaultValue == "null" || (field.type == "records" && field.defaultValue == nil) { return "nil" }
        if field.isArray { return "[]" }
        let value = field.defaultValue
        switch field.type {
        case "bool": return value ?? "false"
        case "int8", "int16", "uint16", "int32", "uint32", "int64":
            guard let value, !value.isEmpty else { return "0" }
            return value
        case "float64": return value ?? "0"
        case "string": return Self.stringLiteral(value ?? "")
        case "bytes", "records": return "ByteBuffer()"
        case "uuid": return ".zero"
        default: return "\(try elementSwiftType(field.type))()"
        }
    }

    private static func stringLiteral(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    // MARK: - Reading

    private func readExpression(type: String, nullable: Bool, compact: String, buffer: String) throws -> String {
        if type.hasPrefix("[]") {
            let element = String(type.dropFirst(2))
            let elementType = try elementSwiftType(element)
            let elementRead = try readExpression(type: element, nullable: false, compact: compact, buffer: "_element")
            let function = nullable ? "readKafkaNullableArray" : "readKafkaArray"
            return
                "try \(buffer).\(function)(compact: \(compact)) { (_element: inout ByteBuffer) throws -> \(elementType) in \(elementRead) }"
        }
        switch type {
        case "bool": return "try \(buffer).readKafkaBool()"
        case "int8", "int16", "uint16", "int32", "uint32", "int64":
            return "try \(buffer).readKafkaInteger(as: \(Self.primitiveTypes[type]!).self)"
        case "float64": return "try \(buffer).readKafkaFloat64()"
        case "uuid": return "try \(buffer).readKafkaUUID()"
        case "string": return "try \(buffer).\(nullable ? "readKafkaNullableString" : "readKafkaString")(compact: \(compact))"
        case "bytes", "records": return "try \(buffer).\(nullable ? "readKafkaNullableBytes" : "readKafkaBytes")(compact: \(compact))"
        default: return "try \(try elementSwiftType(type))(from: &\(buffer), version: _version)"
        }
    }

    /// Statements assigning the field from `buffer`, choosing the nullable form per version.
    private func readStatements(_ field: FieldSpec, compact: String, buffer: String, presentIn: VersionRange) throws -> [String] {
        let target = "self.\(Self.propertyName(field.name))"
        let nullable = field.nullableVersions.intersection(presentIn)
        if nullable.isNone || !field.isNullableKind {
            return [
                "\(target) = \(try readExpression(type: field.type, nullable: field.type == "records", compact: compact, buffer: buffer))"
            ]
        }
        guard let condition = nullable.condition(within: presentIn, variable: "_version") else {
            return ["\(target) = \(try readExpression(type: field.type, nullable: true, compact: compact, buffer: buffer))"]
        }
        return [
            "if \(condition) {",
            "    \(target) = \(try readExpression(type: field.type, nullable: true, compact: compact, buffer: buffer))",
            "} else {",
            "    \(target) = \(try readExpression(type: field.type, nullable: false, compact: compact, buffer: buffer))",
            "}",
        ]
    }

    // MARK: - Writing

    private func writeStatement(type: String, value: String, optional: Bool, nullable: Bool, compact: String, buffer: String) throws
        -> String
    {
        if type.hasPrefix("[]") {
            let element = String(type.dropFirst(2))
            let elementType = try elementSwiftType(element)
            let elementWrite = try writeStatement(
                type: element, value: "_value", optional: false, nullable: false, compact: compact, buffer: "_element")
            if nullable {
                return
                    "\(buffer).writeKafkaNullableArray(\(value), compact: \(compact)) { (_element: inout ByteBuffer, _value: \(elementType)) in \(elementWrite) }"
            }
            let nonOptional = optional ? "\(value) ?? []" : value
            return
                "\(buffer).writeKafkaArray(\(nonOptional), compact: \(compact)) { (_element: inout ByteBuffer, _value: \(elementType)) in \(elementWrite) }"
        }
        switch type {
        case "bool": return "\(buffer).writeKafkaBool(\(value))"
        case "int8", "int16", "uint16", "int32", "uint32", "int64":
            return "\(buffer).writeInteger(\(value), as: \(Self.primitiveTypes[type]!).self)"
        case "float64": return "\(buffer).writeKafkaFloat64(\(value))"
        case "uuid": return "\(buffer).writeKafkaUUID(\(value))"
        case "string":
            if nullable { return "\(buffer).writeKafkaNullableString(\(value), compact: \(compact))" }
            return "\(buffer).writeKafkaString(\(optional ? "\(value) ?? \"\"" : value), compact: \(compact))"
        case "bytes", "records":
            if nullable { return "\(buffer).writeKafkaNullableBytes(\(value), compact: \(compact))" }
            return "\(buffer).writeKafkaBytes(\(optional ? "\(value) ?? ByteBuffer()" : value), compact: \(compact))"
        default:
            return "\(value).encode(into: &\(buffer), version: _version)"
        }
    }

    private func writeStatements(_ field: FieldSpec, compact: String, buffer: String, presentIn: VersionRange) throws -> [String] {
        let value = "self.\(Self.propertyName(field.name))"
        let optional = isOptional(field)
        let nullable = field.nullableVersions.intersection(presentIn)
        if nullable.isNone || !field.isNullableKind {
            let alwaysNullable = field.type == "records"
            return [
                try writeStatement(
                    type: field.type, value: value, optional: optional, nullable: alwaysNullable, compact: compact, buffer: buffer)
            ]
        }
        guard let condition = nullable.condition(within: presentIn, variable: "_version") else {
            return [
                try writeStatement(type: field.type, value: value, optional: optional, nullable: true, compact: compact, buffer: buffer)
            ]
        }
        return [
            "if \(condition) {",
            "    "
                + (try writeStatement(type: field.type, value: value, optional: optional, nullable: true, compact: compact, buffer: buffer)),
            "} else {",
            "    "
                + (try writeStatement(type: field.type, value: value, optional: optional, nullable: false, compact: compact, buffer: buffer)),
            "}",
        ]
    }

    // MARK: - Structs

    private static let swiftKeywords: Set<String> = [
        "associatedtype", "class", "deinit", "enum", "extension", "func", "import", "init", "inout", "internal",
        "let", "operator", "private", "protocol", "public", "static", "struct", "subscript", "typealias", "var",
        "break", "case", "continue", "default", "defer", "do", "else", "fallthrough", "for", "guard", "if", "in",
        "repeat", "return", "switch", "where", "while", "as", "catch", "false", "is", "nil", "rethrows", "super",
        "self", "Self", "throw", "throws", "true", "try", "Type", "Protocol", "any", "some",
    ]

    static func propertyName(_ specName: String) -> String {
        let name = specName.prefix(1).lowercased() + specName.dropFirst()
        return swiftKeywords.contains(name) ? "`\(name)`" : name
    }

    private static func indent(_ lines: [String], by level: Int) -> [String] {
        let padding = String(repeating: "    ", count: level)
        return lines.map { $0.isEmpty ? $0 : padding + $0 }
    }

    func generate() throws -> [String] {
        let conformance: String
        var header: [String] = []
        switch spec.kind {
        case "request":
            conformance = "KafkaRequestMessage"
            header.append("public typealias Response = \(spec.name.dropLast("Request".count))Response")
        case "response":
            conformance = "KafkaResponseMessage"
        default:
            conformance = "KafkaProtocolMessage"
        }
        if let apiKey = spec.apiKey {
            header.append("public static let apiKey = ApiKey(rawValue: \(apiKey))")
        }
        header.append(
            "public static let validVersions: ClosedRange<Int16> = \(spec.validVersions.lowest)...\(spec.validVersions.highest ?? spec.validVersions.lowest)"
        )
        header.append("public static func isFlexible(version: Int16) -> Bool { \(flexibleCheck(variable: "version")) }")
        var nested: [String] = []
        for name in structOrder {
            nested.append("")
            nested += try generateStruct(name: name, conformance: "KafkaProtocolMessage", fields: structs[name]!, header: [], nested: [])
        }
        return try generateStruct(name: spec.name, conformance: conformance, fields: spec.fields, header: header, nested: nested)
    }

    private func flexibleCheck(variable: String) -> String {
        switch compactExpression {
        case "_flexible": return spec.flexibleVersions.condition(within: spec.validVersions, variable: variable) ?? "true"
        default: return compactExpression
        }
    }

    private func generateStruct(name: String, conformance: String, fields: [FieldSpec], header: [String], nested: [String]) throws
        -> [String]
    {
        var lines: [String] = ["public struct \(name): \(conformance) {"]
        var body: [String] = header
        if !header.isEmpty { body.append("") }
        for field in fields {
            body.append("public var \(Self.propertyName(field.name)): \(try swiftType(field)) = \(try defaultExpression(field))")
        }
        if hasFlexibleVersions {
            body.append("/// Tagged fields this version of the library does not know, kept for re-encoding.")
            body.append("public var unknownTaggedFields: [UnknownTaggedField] = []")
        }
        if hasFlexibleVersions && fields.contains(where: \.isTagged) {
            body.append("/// Known tagged fields that were present when decoded: written again even when they hold")
            body.append("/// their default value, so that a decoded message re-encodes to the bytes it came from.")
            body.append("public var taggedFieldsPresent: Set<UInt32> = []")
        }
        body.append("")
        body += try memberwiseInit(fields)
        body.append("")
        body += try decoder(fields)
        body.append("")
        body += try encoder(fields)
        body += nested
        lines += Self.indent(body, by: 1)
        lines.append("}")
        return lines
    }

    private func memberwiseInit(_ fields: [FieldSpec]) throws -> [String] {
        guard !fields.isEmpty else { return ["public init() {}"] }
        var lines = ["public init("]
        for (index, field) in fields.enumerated() {
            let separator = index == fields.count - 1 ? "" : ","
            lines.append("    \(Self.propertyName(field.name)): \(try swiftType(field)) = \(try defaultExpression(field))\(separator)")
        }
        lines.append(") {")
        for field in fields {
            let property = Self.propertyName(field.name)
            lines.append("    self.\(property) = \(property)")
        }
        lines.append("}")
        return lines
    }

    /// The `_flexible` flag, then each positional (untagged) field's statements, wrapped in a version
    /// check where the field is not in every version: the shared skeleton of decoder and encoder.
    private func positionalFieldStatements(
        _ fields: [FieldSpec], _ statements: (FieldSpec, VersionRange) throws -> [String]
    ) throws -> [String] {
        var body: [String] = []
        if compactExpression == "_flexible" {
            body.append("let _flexible = \(flexibleCheck(variable: "_version"))")
        }
        for field in fields where !field.isTagged || !field.taggedVersions.covers(field.versions) {
            let present = field.versions.intersection(spec.validVersions).intersection(untaggedVersions(of: field))
            if present.isNone { continue }
            let fieldStatements = try statements(field, present)
            if let condition = present.condition(within: spec.validVersions, variable: "_version") {
                body.append("if \(condition) {")
                body += Self.indent(fieldStatements, by: 1)
                body.append("}")
            } else {
                body += fieldStatements
            }
        }
        return body
    }

    private func decoder(_ fields: [FieldSpec]) throws -> [String] {
        var lines = ["public init(from _buffer: inout ByteBuffer, version _version: Int16) throws {"]
        var body = try positionalFieldStatements(fields) { field, present in
            try readStatements(field, compact: compact(for: field), buffer: "_buffer", presentIn: present)
        }
        if hasFlexibleVersions {
            let tagged = fields.filter(\.isTagged)
            var taggedBody: [String] = []
            if tagged.isEmpty {
                taggedBody.append("self.unknownTaggedFields = try _buffer.readKafkaTaggedFields { _, _ in false }")
            } else {
                taggedBody.append("self.unknownTaggedFields = try _buffer.readKafkaTaggedFields { _tag, _field in")
                taggedBody.append("    switch _tag {")
                for field in tagged {
                    let present = field.taggedVersions.intersection(field.versions).intersection(spec.validVersions)
                    if present.isNone { continue }
                    let guardClause = present.condition(within: spec.validVersions, variable: "_version").map { " where \($0)" } ?? ""
                    taggedBody.append("    case \(field.tag!)\(guardClause):")
                    taggedBody += Self.indent(try readStatements(field, compact: "true", buffer: "_field", presentIn: present), by: 2)
                    taggedBody.append("        self.taggedFieldsPresent.insert(\(field.tag!))")
                    taggedBody.append("        return true")
                }
                taggedBody.append("    default:")
                taggedBody.append("        return false")
                taggedBody.append("    }")
                taggedBody.append("}")
            }
            body += wrapFlexible(taggedBody)
        }
        lines += Self.indent(body, by: 1)
        lines.append("}")
        return lines
    }

    private func encoder(_ fields: [FieldSpec]) throws -> [String] {
        var lines = ["public func encode(into _buffer: inout ByteBuffer, version _version: Int16) {"]
        var body = try positionalFieldStatements(fields) { field, present in
            try writeStatements(field, compact: compact(for: field), buffer: "_buffer", presentIn: present)
        }
        if hasFlexibleVersions {
            let tagged = fields.filter(\.isTagged)
            var taggedBody: [String] = []
            if tagged.isEmpty {
                taggedBody.append("_buffer.writeKafkaTaggedFields(known: [], unknown: self.unknownTaggedFields)")
            } else {
                taggedBody.append("var _known: [UnknownTaggedField] = []")
                for field in tagged {
                    let present = field.taggedVersions.intersection(field.versions).intersection(spec.validVersions)
                    if present.isNone { continue }
                    let isSet =
                        "(self.\(Self.propertyName(field.name)) != \(try defaultExpression(field)) || self.taggedFieldsPresent.contains(\(field.tag!)))"
                    var conditions = [isSet]
                    if let versionCondition = present.condition(within: spec.validVersions, variable: "_version") {
                        conditions.insert(versionCondition, at: 0)
                    }
                    taggedBody.append("if \(conditions.joined(separator: ", ")) {")
                    taggedBody.append("    var _field = ByteBuffer()")
                    taggedBody += Self.indent(try writeStatements(field, compact: "true", buffer: "_field", presentIn: present), by: 1)
                    taggedBody.append("    _known.append(UnknownTaggedField(tag: \(field.tag!), data: _field))")
                    taggedBody.append("}")
                }
                taggedBody.append("_buffer.writeKafkaTaggedFields(known: _known, unknown: self.unknownTaggedFields)")
            }
            body += wrapFlexible(taggedBody)
        }
        lines += Self.indent(body, by: 1)
        lines.append("}")
        return lines
    }

    /// Versions in which a field is a regular (positional) field rather than a tagged one.
    private func untaggedVersions(of field: FieldSpec) -> VersionRange {
        guard field.isTagged else { return VersionRange(lowest: 0, highest: nil) }
        // A field tagged only from some version on is positional before it.
        if field.taggedVersions.lowest > field.versions.lowest {
            return VersionRange(lowest: field.versions.lowest, highest: field.taggedVersions.lowest - 1)
        }
        return .none
    }

    private func wrapFlexible(_ lines: [String]) -> [String] {
        switch compactExpression {
        case "true": return lines
        default: return ["if _flexible {"] + Self.indent(lines, by: 1) + ["}"]
        }
    }
}

extension FieldSpec {
    /// Types that have a null form on the wire.
    var isNullableKind: Bool {
        isArray || type == "string" || type == "bytes" || type == "records"
    }
}

// MARK: - Test samples

extension MessageGenerator {
    /// `static func sample()` for the message and each nested struct: every field set to a value
    /// that differs from its default, so that a round trip exercises every field of every version.
    func generateSamples() throws -> [String] {
        var lines: [String] = []
        lines += try sampleExtension(typeName: spec.name, fields: spec.fields)
        for name in structOrder {
            lines.append("")
            lines += try sampleExtension(typeName: "\(spec.name).\(name)", fields: structs[name]!)
        }
        return lines
    }

    private func sampleExtension(typeName: String, fields: [FieldSpec]) throws -> [String] {
        var lines = ["extension \(typeName) {", "    static func sample() -> \(typeName) {"]
        if fields.isEmpty {
            lines.append("        \(typeName)()")
        } else {
            lines.append("        var value = \(typeName)()")
            for (index, field) in fields.enumerated() {
                lines.append("        value.\(Self.propertyName(field.name)) = \(try sampleValue(field, seed: index + 1))")
            }
            lines.append("        return value")
        }
        lines.append("    }")
        lines.append("}")
        return lines
    }

    private func sampleValue(_ field: FieldSpec, seed: Int) throws -> String {
        if field.isArray {
            let element = try sampleElement(field.elementType, name: field.name, seed: seed)
            return "[\(element), \(element)]"
        }
        return try sampleElement(field.type, name: field.name, seed: seed)
    }

    private func sampleElement(_ type: String, name: String, seed: Int) throws -> String {
        switch type {
        case "bool": return "true"
        case "int8", "int16", "uint16", "int32", "uint32", "int64": return "\(seed + 2)"
        case "float64": return "\(seed).5"
        case "string": return "\"\(name.lowercased())-\(seed)\""
        case "bytes", "records": return "ByteBuffer(string: \"\(name.lowercased())\")"
        case "uuid": return "KafkaUUID(high: \(seed), low: \(seed * 31))"
        default: return "\(spec.name).\(try elementSwiftType(type)).sample()"
        }
    }
}
