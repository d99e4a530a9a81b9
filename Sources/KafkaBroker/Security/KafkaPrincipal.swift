/// Who a connection acts as, in Kafka's `Type:name` form ("User:alice", "User:CN=carol").
///
/// ACLs and `super.users` name principals this way; a connection that has not authenticated (a
/// PLAINTEXT listener, or TLS without a client certificate) is `User:ANONYMOUS`, as in Kafka.
public struct KafkaPrincipal: Sendable, Hashable, CustomStringConvertible {
    public var type: String
    public var name: String

    public init(type: String = "User", name: String) {
        self.type = type
        self.name = name
    }

    public static let anonymous = KafkaPrincipal(name: "ANONYMOUS")

    /// Parses `Type:name`; the name may itself hold colons (a certificate's subject rarely does,
    /// but Kafka splits at the first one too).
    public init?(parsing text: some StringProtocol) {
        guard let colon = text.firstIndex(of: ":"), colon != text.startIndex, text.index(after: colon) != text.endIndex
        else { return nil }
        self.init(type: String(text[..<colon]), name: String(text[text.index(after: colon)...]))
    }

    public var description: String { "\(type):\(name)" }
}
