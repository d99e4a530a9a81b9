import Foundation
import SamsaTestSupport
import Testing

@testable import KafkaBroker

@Suite(.tags(.pure))
struct AuthorizerSettingsTests {
    @Test func theAuthorizerIsOffByDefault() throws {
        let configuration = try BrokerConfiguration(properties: [])
        #expect(!configuration.authorizerEnabled)
        #expect(configuration.superUsers.isEmpty)
        #expect(!configuration.allowEveryoneIfNoAclFound)
    }

    @Test(arguments: ["org.apache.kafka.metadata.authorizer.StandardAuthorizer", "kafka.security.authorizer.AclAuthorizer"])
    func kafkasAuthorizersTurnItOn(className: String) throws {
        let configuration = try BrokerConfiguration(properties: [
            ("authorizer.class.name", className), ("super.users", "User:admin; User:CN=ops,O=Samsa"),
            ("allow.everyone.if.no.acl.found", "true"),
        ])
        #expect(configuration.authorizerEnabled)
        #expect(configuration.superUsers == ["User:admin", "User:CN=ops,O=Samsa"])
        #expect(configuration.allowEveryoneIfNoAclFound)
    }

    @Test func anotherAuthorizerStopsStartUpNamingTheKey() {
        #expect {
            try BrokerConfiguration(properties: [("authorizer.class.name", "com.example.MyAuthorizer")])
        } throws: {
            guard let error = $0 as? BrokerConfigurationError else { return false }
            return error.key == "authorizer.class.name" && error.message.contains("StandardAuthorizer")
        }
    }

    @Test func aSuperUserWithoutAPrincipalTypeIsRefused() {
        #expect { try BrokerConfiguration(properties: [("super.users", "User:admin;alice")]) } throws: {
            ($0 as? BrokerConfigurationError)?.key == "super.users"
        }
    }

    @Test func theAuthorizerKeysTakeEffectAndAreNoLongerIgnored() {
        for key in ["authorizer.class.name", "super.users", "allow.everyone.if.no.acl.found"] {
            #expect(!BrokerConfiguration.kafkaKeysWithoutEffect.contains(key))
            #expect(BrokerConfiguration.settingsByKey[key] != nil)
        }
    }
}

@Suite(.tags(.component))
struct AclStoreTests {
    @Test func bindingsSurviveASaveAndLoadAndAMissingFileIsEmpty() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("samsa-acl-store-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let store = AclStore(dataDirectory: folder)
        #expect(try store.load().isEmpty)
        let bindings: Set<AclBinding> = [
            AclBinding(
                pattern: ResourcePattern(resourceType: .topic, name: "orders.", patternType: .prefixed),
                entry: AccessControlEntry(principal: "User:alice", host: "10.0.0.5", operation: .write, permission: .allow)),
            AclBinding(
                pattern: ResourcePattern(resourceType: .cluster, name: ResourcePattern.clusterName),
                entry: AccessControlEntry(principal: "User:*", operation: .alter, permission: .deny)),
        ]
        try store.save(bindings)
        #expect(try store.load() == bindings)
        try store.save([])
        #expect(try store.load().isEmpty)
    }
}
