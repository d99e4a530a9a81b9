import KafkaScram
import SamsaTestSupport
import Testing

/// The SDK's SCRAM client against RFC 7677's example exchange, and what it refuses from a server.
@Suite("SCRAM client exchange", .tags(.pure))
struct ScramClientExchangeTests {
    static let serverFirst = Array("r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096".utf8)

    static func rfcClient() -> ScramClientExchange {
        ScramClientExchange(digest: .sha256, user: "user", password: "pencil", clientNonce: "rOprNGfwEbeRWgbNEkqO")
    }

    @Test func computesRFC7677sExampleExchange() throws {
        var client = Self.rfcClient()
        #expect(String(decoding: client.clientFirst, as: UTF8.self) == "n,,n=user,r=rOprNGfwEbeRWgbNEkqO")
        let clientFinal = try client.clientFinal(serverFirst: Self.serverFirst)
        #expect(
            String(decoding: clientFinal, as: UTF8.self)
                == "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=")
        try client.verify(serverFinal: Array("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=".utf8))
    }

    @Test func refusesAServerThatDoesNotKnowTheCredential() throws {
        var client = Self.rfcClient()
        _ = try client.clientFinal(serverFirst: Self.serverFirst)
        #expect(throws: ScramClientError.self) {
            try client.verify(serverFinal: Array("v=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=".utf8))
        }
        #expect(throws: ScramClientError.self) { try client.verify(serverFinal: Array("e=invalid-proof".utf8)) }
    }

    @Test(arguments: [
        "r=someone-elses-nonce,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096",
        "r=rOprNGfwEbeRWgbNEkqO,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096",
        "r=rOprNGfwEbeRWgbNEkqOmore,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=1",
        "r=rOprNGfwEbeRWgbNEkqOmore,s=not base64,i=4096",
        "r=rOprNGfwEbeRWgbNEkqOmore,i=4096",
        "e=unknown-user",
        "",
    ])
    func refusesABadServerFirstMessage(_ serverFirst: String) {
        var client = Self.rfcClient()
        #expect(throws: ScramClientError.self) { try client.clientFinal(serverFirst: Array(serverFirst.utf8)) }
    }

    @Test func escapesCommasAndEqualsSignsInTheUserName() {
        let client = ScramClientExchange(digest: .sha512, user: "a=b,c", password: "p", clientNonce: "n")
        #expect(String(decoding: client.clientFirst, as: UTF8.self) == "n,,n=a=3Db=2Cc,r=n")
    }
}
