import Foundation
import KafkaScram
import SamsaTestSupport
import Testing

@testable import KafkaBroker

@Suite("SCRAM server exchange", .tags(.pure))
struct ScramServerExchangeTests {
    /// RFC 7677 section 3: user "user", password "pencil".
    @Test func answersRFC7677sExampleExchange() throws {
        let salt = Array(try #require(Data(base64Encoded: "W22ZaJ0SNY7soEsUEjb6gQ==")))
        let credential = try ScramCredential(mechanism: .sha256, password: "pencil", salt: salt, iterations: 4096)
        var exchange = ScramServerExchange(mechanism: .sha256, serverNonce: "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0")
        let serverFirst = try exchange.receiveClientFirst(Array("n,,n=user,r=rOprNGfwEbeRWgbNEkqO".utf8)) {
            $0 == "user" ? credential : nil
        }
        #expect(
            String(decoding: serverFirst, as: UTF8.self)
                == "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096")
        let serverFinal = try exchange.receiveClientFinal(
            Array("c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=".utf8))
        #expect(String(decoding: serverFinal, as: UTF8.self) == "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=")
        #expect(exchange.authenticatedUser == "user")
    }

    /// Messages kafka-python 3.0.12's ScramClient produced for alice/alice-secret with a fixed
    /// client nonce, salt 00…0F and 4096 iterations, and the server signature it expects.
    @Test(arguments: [
        (
            ScramMechanism.sha256, "iWjbRuiIQOhHXdo6WFGOQBtoVc6F1lyf5mcWROLpBts=", "3ncNiwj3z0e9QrY8dFWeaVauBD32UBQh0f8TEIlXwJA="
        ),
        (
            ScramMechanism.sha512,
            "mE6kVQaCCnYmbJbt5nTcX01ybvqzmkFKPYQjJGeLTUYJhljIWpG86j9eGZcV2pSabmvrigiLZ/djueJdpropAg==",
            "OUz7G42t7IykJGUKdP60cKOzhvgjE5U5oJRkPqEtXXKdspPsiADg51nwsx/+xG3iX4Zph3byufxif0hMJTbLlw=="
        ),
    ])
    func acceptsKafkaPythonsProof(mechanism: ScramMechanism, proof: String, serverSignature: String) throws {
        let credential = try ScramCredential(mechanism: mechanism, password: "alice-secret", salt: Array(0..<16), iterations: 4096)
        var exchange = ScramServerExchange(mechanism: mechanism, serverNonce: "3rfcNHYJY1ZVvWVs7j")
        let serverFirst = try exchange.receiveClientFirst(Array("n,,n=alice,r=fyko+d2lbbFgONRv9qkxdawL".utf8)) { _ in credential }
        #expect(
            String(decoding: serverFirst, as: UTF8.self) == "r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=AAECAwQFBgcICQoLDA0ODw==,i=4096"
        )
        let serverFinal = try exchange.receiveClientFinal(
            Array("c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=\(proof)".utf8))
        #expect(String(decoding: serverFinal, as: UTF8.self) == "v=\(serverSignature)")
    }

    @Test func refusesAWrongProof() throws {
        let credential = try ScramCredential(mechanism: .sha256, password: "right", salt: Array(0..<16), iterations: 4096)
        var exchange = ScramServerExchange(mechanism: .sha256, serverNonce: "3rfcNHYJY1ZVvWVs7j")
        _ = try exchange.receiveClientFirst(Array("n,,n=alice,r=fyko+d2lbbFgONRv9qkxdawL".utf8)) { _ in credential }
        // kafka-python's proof for the password alice-secret, not "right".
        #expect(throws: ScramError.invalidProof) {
            try exchange.receiveClientFinal(
                Array("c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=iWjbRuiIQOhHXdo6WFGOQBtoVc6F1lyf5mcWROLpBts=".utf8))
        }
        #expect(exchange.authenticatedUser == nil)
        #expect(throws: ScramError.otherError, "a finished exchange takes no more messages") {
            try exchange.receiveClientFinal(Array("c=biws,r=x,p=AAAA".utf8))
        }
    }

    /// librdkafka 2.0 repeats its client nonce in front of the combined nonce; Kafka accepts that,
    /// since the proof covers the message as sent.
    @Test func acceptsANonceThatEndsWithTheCombinedOne() throws {
        let credential = try ScramCredential(mechanism: .sha256, password: "pw", salt: Array(0..<16), iterations: 4096)
        var exchange = ScramServerExchange(mechanism: .sha256, serverNonce: "SERVER")
        let serverFirst = try exchange.receiveClientFirst(Array("n,,n=u,r=client".utf8)) { _ in credential }
        let saltedPassword = try ScramMechanism.sha256.saltedPassword(password: "pw", salt: Array(0..<16), iterations: 4096)
        let clientKey = ScramMechanism.sha256.hmac(key: saltedPassword, Array("Client Key".utf8))
        let withoutProof = "c=biws,r=clientclientSERVER"
        let authMessage = "n=u,r=client,\(String(decoding: serverFirst, as: UTF8.self)),\(withoutProof)"
        let signature = ScramMechanism.sha256.hmac(key: ScramMechanism.sha256.hash(clientKey), Array(authMessage.utf8))
        let proof = Data(zip(clientKey, signature).map { $0 ^ $1 }).base64EncodedString()
        _ = try exchange.receiveClientFinal(Array("\(withoutProof),p=\(proof)".utf8))
        #expect(exchange.authenticatedUser == "u")
    }

    @Test func refusesAnUnknownUser() {
        var exchange = ScramServerExchange(mechanism: .sha512)
        #expect(throws: ScramError.unknownUser) { try exchange.receiveClientFirst(Array("n,,n=mallory,r=abc".utf8)) { _ in nil } }
    }

    @Test func checksTheNonceAndTheChannelBinding() throws {
        let credential = try ScramCredential(mechanism: .sha256, password: "pw", salt: Array(0..<16), iterations: 4096)
        for (clientFinal, error) in [
            ("c=biws,r=clientnonceWRONG,p=AAAA", ScramError.otherError),
            ("c=eSws,r=clientnonceSERVER,p=AAAA", ScramError.channelBindingsDontMatch),
            ("c=biws,r=clientnonceSERVER", ScramError.invalidEncoding),
            ("c=!!,r=clientnonceSERVER,p=AAAA", ScramError.invalidEncoding),
        ] {
            var exchange = ScramServerExchange(mechanism: .sha256, serverNonce: "SERVER")
            _ = try exchange.receiveClientFirst(Array("n,,n=u,r=clientnonce".utf8)) { _ in credential }
            #expect(throws: error, "\(clientFinal)") { try exchange.receiveClientFinal(Array(clientFinal.utf8)) }
        }
    }

    @Test func parsesTheGS2HeaderAndEscapedNames() throws {
        let parsed = try ScramServerExchange.parseClientFirst(Array("y,a=al=2Cice,n=al=2Cice,r=nonce,ext=1".utf8))
        #expect(parsed.gs2Header == "y,a=al=2Cice,")
        #expect(parsed.username == "al,ice")
        #expect(parsed.authorizationId == "al,ice")
        #expect(parsed.bare == "n=al=2Cice,r=nonce,ext=1")
        #expect(try ScramServerExchange.decodeSaslName("a=3Db=2Cc") == "a=b,c")
        #expect(ScramClientExchange.encodeSaslName("a=b,c") == "a=3Db=2Cc")
    }

    @Test(arguments: [
        ("p=tls-unique,,n=u,r=n", ScramError.channelBindingNotSupported),
        ("n,,m=x,n=u,r=n", ScramError.extensionsNotSupported),
        ("n,,n=u=2X,r=n", ScramError.invalidUsernameEncoding),
        ("n,,n=,r=n", ScramError.invalidEncoding),
        ("n,,r=n,n=u", ScramError.invalidEncoding),
        ("x,,n=u,r=n", ScramError.invalidEncoding),
        ("n,,n=u", ScramError.invalidEncoding),
        ("n,,n=u,r=a b", ScramError.invalidEncoding),
    ])
    func refusesMalformedClientFirstMessages(message: String, error: ScramError) {
        #expect(throws: error) { try ScramServerExchange.parseClientFirst(Array(message.utf8)) }
    }

    @Test func refusesAnAuthorizationIdOtherThanTheUser() throws {
        var exchange = ScramServerExchange(mechanism: .sha256)
        let credential = try ScramCredential(mechanism: .sha256, password: "pw", iterations: 4096)
        #expect(throws: ScramError.otherError) {
            try exchange.receiveClientFirst(Array("n,a=admin,n=alice,r=abc".utf8)) { _ in credential }
        }
    }

    @Test func derivesKeysFromTheSaltedPasswordAsTheAdminClientSendsIt() throws {
        let salt = [UInt8](repeating: 7, count: 32)
        let fromPassword = try ScramCredential(mechanism: .sha512, password: "secret", salt: salt, iterations: 8192)
        let saltedPassword = try ScramMechanism.sha512.saltedPassword(password: "secret", salt: salt, iterations: 8192)
        #expect(saltedPassword.count == 64)
        let fromSaltedPassword = ScramCredential(mechanism: .sha512, saltedPassword: saltedPassword, salt: salt, iterations: 8192)
        #expect(fromPassword == fromSaltedPassword)
        #expect(fromPassword.storedKey.count == 64 && fromPassword.serverKey.count == 64)
        #expect(fromPassword.storedKey != fromPassword.serverKey)
    }
}
