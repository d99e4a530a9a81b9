/// One login-module entry of a `sasl.jaas.config` value, in Kafka's JAAS syntax:
/// `ClassName flag key="value" key=value;`.
public struct JaasLoginModule: Sendable, Equatable {
    public static let plainLoginModule = "org.apache.kafka.common.security.plain.PlainLoginModule"
    public static let scramLoginModule = "org.apache.kafka.common.security.scram.ScramLoginModule"

    public var className: String
    /// required, requisite, sufficient or optional.
    public var controlFlag: String
    public var options: [String: String]

    public init(className: String, controlFlag: String, options: [String: String]) {
        self.className = className
        self.controlFlag = controlFlag
        self.options = options
    }

    /// The `user_NAME="password"` options of a PlainLoginModule: the users a listener accepts.
    public var plainUsers: [String: String] {
        var users: [String: String] = [:]
        for (key, value) in options where key.hasPrefix("user_") && key.count > "user_".count {
            users[String(key.dropFirst("user_".count))] = value
        }
        return users
    }

    public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    /// Parses a `sasl.jaas.config` value, which Kafka requires to hold exactly one login module.
    public init(parsing text: String) throws(ParseError) {
        var tokens = try JaasTokenizer(text).tokens()
        guard case .word(let className)? = tokens.first else {
            throw ParseError(message: "a JAAS entry starts with the login module's class name")
        }
        tokens.removeFirst()
        guard case .word(let flag)? = tokens.first, ["required", "requisite", "sufficient", "optional"].contains(flag.lowercased())
        else {
            throw ParseError(message: "the login module \(className) has no control flag (required, requisite, sufficient or optional)")
        }
        tokens.removeFirst()
        var options: [String: String] = [:]
        while let token = tokens.first, token != .semicolon {
            guard case .word(let key) = token, tokens.count >= 3, tokens[1] == .equals else {
                throw ParseError(message: "expected key=value in the options of \(className)")
            }
            switch tokens[2] {
            case .word(let value), .quoted(let value): options[key] = value
            default: throw ParseError(message: "the option \(key) of \(className) has no value")
            }
            tokens.removeFirst(3)
        }
        guard tokens.first == .semicolon else { throw ParseError(message: "the JAAS entry does not end with ';'") }
        tokens.removeFirst()
        guard tokens.isEmpty else {
            throw ParseError(message: "sasl.jaas.config must hold exactly one login module")
        }
        self.init(className: className, controlFlag: flag.lowercased(), options: options)
    }
}

/// Splits JAAS text into words, quoted strings (with backslash escapes), `=` and `;`.
private struct JaasTokenizer {
    enum Token: Equatable {
        case word(String)
        case quoted(String)
        case equals
        case semicolon
    }

    private let characters: [Character]

    init(_ text: String) {
        characters = Array(text)
    }

    func tokens() throws(JaasLoginModule.ParseError) -> [Token] {
        var result: [Token] = []
        var index = 0
        while index < characters.count {
            let character = characters[index]
            switch character {
            case _ where character.isWhitespace:
                index += 1
            case "=":
                result.append(.equals)
                index += 1
            case ";":
                result.append(.semicolon)
                index += 1
            case "\"":
                var value = ""
                index += 1
                while true {
                    guard index < characters.count else { throw .init(message: "a quoted value is not closed") }
                    let next = characters[index]
                    if next == "\"" { break }
                    if next == "\\" {
                        index += 1
                        guard index < characters.count else { throw .init(message: "a quoted value ends in a backslash") }
                    }
                    value.append(characters[index])
                    index += 1
                }
                result.append(.quoted(value))
                index += 1
            default:
                var word = ""
                while index < characters.count, !characters[index].isWhitespace, !"=;\"".contains(characters[index]) {
                    word.append(characters[index])
                    index += 1
                }
                result.append(.word(word))
            }
        }
        return result
    }
}
