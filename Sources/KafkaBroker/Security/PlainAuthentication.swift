/// SASL PLAIN (RFC 4616): one message, `authzid NUL authcid NUL passwd`, checked against the
/// users of the listener's PlainLoginModule line.
public enum PlainAuthentication {
    /// Kafka's messages, which the client shows to its user.
    public static let invalidCredentialsMessage = "Authentication failed: Invalid username or password"

    public struct Failure: Error, Sendable, Equatable {
        public var message: String
    }

    /// Verifies `token` and returns the authenticated user name.
    public static func authenticate(_ token: [UInt8], users: [String: String]) throws(Failure) -> String {
        let fields = token.split(separator: 0, maxSplits: 2, omittingEmptySubsequences: false)
        guard fields.count == 3, let authorizationId = String(validating: fields[0], as: UTF8.self),
            let username = String(validating: fields[1], as: UTF8.self), let password = String(validating: fields[2], as: UTF8.self),
            !password.utf8.contains(0)
        else {
            throw Failure(message: "Invalid SASL/PLAIN response: expected 3 tokens")
        }
        guard !username.isEmpty else { throw Failure(message: "Authentication failed: username not specified") }
        guard !password.isEmpty else { throw Failure(message: "Authentication failed: password not specified") }
        if !authorizationId.isEmpty && authorizationId != username {
            throw Failure(message: "Authentication failed: Client requested an authorization id that is different from username")
        }
        // An unknown user costs the same comparison as a wrong password.
        let expected = users[username]
        let matches = constantTimeEquals(Array((expected ?? password + "\u{0}").utf8), Array(password.utf8))
        guard expected != nil, matches else { throw Failure(message: invalidCredentialsMessage) }
        return username
    }

    /// The user name a token carries, for the log of a failed attempt.
    static func username(in token: [UInt8]) -> String? {
        let fields = token.split(separator: 0, maxSplits: 2, omittingEmptySubsequences: false)
        return fields.count >= 2 ? String(validating: fields[1], as: UTF8.self) : nil
    }
}
