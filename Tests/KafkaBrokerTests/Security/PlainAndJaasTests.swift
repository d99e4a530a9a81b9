import SamsaTestSupport
import Testing

@testable import KafkaBroker

@Suite("SASL/PLAIN and JAAS lines", .tags(.pure))
struct PlainAndJaasTests {
    static let users = ["admin": "admin-secret", "alice": "alice-secret"]

    static func token(_ parts: String...) -> [UInt8] { Array(parts.joined(separator: "\u{0}").utf8) }

    @Test func acceptsAUsersPassword() throws {
        #expect(try PlainAuthentication.authenticate(Self.token("", "alice", "alice-secret"), users: Self.users) == "alice")
        #expect(try PlainAuthentication.authenticate(Self.token("alice", "alice", "alice-secret"), users: Self.users) == "alice")
    }

    @Test(arguments: [
        (token("", "alice", "wrong"), PlainAuthentication.invalidCredentialsMessage),
        (token("", "mallory", "alice-secret"), PlainAuthentication.invalidCredentialsMessage),
        (token("", "", "x"), "Authentication failed: username not specified"),
        (token("", "alice", ""), "Authentication failed: password not specified"),
        (token("alice", "bob"), "Invalid SASL/PLAIN response: expected 3 tokens"),
        (
            token("admin", "alice", "alice-secret"),
            "Authentication failed: Client requested an authorization id that is different from username"
        ),
    ])
    func refusesWithKafkasMessage(token: [UInt8], message: String) {
        #expect(throws: PlainAuthentication.Failure(message: message)) {
            try PlainAuthentication.authenticate(token, users: Self.users)
        }
    }

    @Test func parsesKafkasPlainLoginModuleLine() throws {
        let module = try JaasLoginModule(
            parsing:
                #"org.apache.kafka.common.security.plain.PlainLoginModule required username="admin" password="admin-secret" user_admin="admin-secret" user_alice="alice-secret";"#
        )
        #expect(module.className == JaasLoginModule.plainLoginModule)
        #expect(module.controlFlag == "required")
        #expect(module.options["username"] == "admin")
        #expect(module.plainUsers == Self.users)
    }

    @Test func parsesEscapesUnquotedValuesAndTheScramLine() throws {
        let module = try JaasLoginModule(
            parsing: #"  org.apache.kafka.common.security.plain.PlainLoginModule Required user_bob="say \"hi\" \\ ;=" user_carol=plain ;  "#
        )
        #expect(module.plainUsers == ["bob": #"say "hi" \ ;="#, "carol": "plain"])
        #expect(module.controlFlag == "required")
        let scram = try JaasLoginModule(parsing: "org.apache.kafka.common.security.scram.ScramLoginModule required;")
        #expect(scram.className == JaasLoginModule.scramLoginModule)
        #expect(scram.options.isEmpty)
    }

    @Test(arguments: [
        "org.apache.kafka.common.security.plain.PlainLoginModule required user_a=\"x\"",
        "org.apache.kafka.common.security.plain.PlainLoginModule user_a=\"x\";",
        "org.apache.kafka.common.security.plain.PlainLoginModule required user_a=\"x;",
        "org.apache.kafka.common.security.plain.PlainLoginModule required user_a=;",
        "A required; B required;",
        "",
    ])
    func refusesMalformedLines(text: String) {
        #expect(throws: JaasLoginModule.ParseError.self) { try JaasLoginModule(parsing: text) }
    }
}
