import KafkaBroker
import SamsaTestSupport
import Testing

@Suite(.tags(.pure))
struct KafkaPrincipalTests {
    @Test func parsesTypeAndNameAtTheFirstColon() throws {
        let principal = try #require(KafkaPrincipal(parsing: "User:CN=carol,O=Samsa:test"))
        #expect(principal.type == "User")
        #expect(principal.name == "CN=carol,O=Samsa:test")
        #expect(principal.description == "User:CN=carol,O=Samsa:test")
    }

    @Test(arguments: ["", "alice", ":alice", "User:"])
    func refusesTextWithoutBothParts(text: String) {
        #expect(KafkaPrincipal(parsing: text) == nil)
    }

    @Test func anAnonymousConnectionIsUserAnonymous() {
        #expect(KafkaPrincipal.anonymous.description == "User:ANONYMOUS")
    }
}
