import Foundation
import KafkaClient
import KafkaProtocol
import SamsaTestSupport
import Testing

extension ClientIntegrationSuite {
    /// The SDK's ACL admin calls against the built `samsa` with its authorizer on, as a super user;
    /// and without an authorizer, where Kafka answers SECURITY_DISABLED.
    @Suite(.timeLimit(.minutes(1)))
    struct AdminAclIntegrationTests {
        static func withAdmin(settings: [String: String], _ body: (KafkaAdminClient) async throws -> Void) async throws {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("samsa-sdk-acls-\(UUID().uuidString)").path
            defer { try? FileManager.default.removeItem(atPath: folder) }
            let broker = try await BrokerProcess.samsa(dataDirectory: folder, settings: settings)
            defer { broker.terminate() }
            var configuration = KafkaAdminConfiguration(bootstrapServers: [broker.bootstrapServer])
            configuration.requestTimeoutMs = 10_000
            let admin = try KafkaAdminClient(configuration: configuration)
            try await body(admin)
            await admin.close()
        }

        @Test func aclsAreCreatedDescribedAndDeleted() async throws {
            let settings = [
                "authorizer.class.name": "org.apache.kafka.metadata.authorizer.StandardAuthorizer", "super.users": "User:ANONYMOUS",
            ]
            try await Self.withAdmin(settings: settings) { admin in
                let read = KafkaAclBinding(
                    resourceType: .topic, resourceName: "orders.", patternType: .prefixed, principal: "User:alice", operation: .read,
                    permissionType: .allow)
                let deny = KafkaAclBinding(
                    resourceType: .group, resourceName: "g", principal: "User:*", host: "10.0.0.5", operation: .all, permissionType: .deny)
                try await admin.createAcls([read, deny])
                #expect(Set(try await admin.describeAcls()) == [read, deny])
                #expect(
                    try await admin.describeAcls(
                        KafkaAclBindingFilter(resourceType: .topic, resourceName: "orders.eu", patternType: .match))
                        == [read])
                await #expect {
                    try await admin.createAcls([
                        KafkaAclBinding(
                            resourceType: .any, resourceName: "x", principal: "User:alice", operation: .read, permissionType: .allow)
                    ])
                } throws: {
                    ($0 as? KafkaError)?.errorCode == .invalidRequest
                }
                #expect(try await admin.deleteAcls([KafkaAclBindingFilter(resourceType: .group)]) == [deny])
                #expect(try await admin.describeAcls() == [read])
            }
        }

        @Test func withoutAnAuthorizerTheCallsAreRefusedWithSecurityDisabled() async throws {
            try await Self.withAdmin(settings: [:]) { admin in
                await #expect { try await admin.describeAcls() } throws: { ($0 as? KafkaError)?.errorCode == .securityDisabled }
                await #expect {
                    try await admin.createAcls([
                        KafkaAclBinding(
                            resourceType: .topic, resourceName: "t", principal: "User:alice", operation: .read, permissionType: .allow)
                    ])
                } throws: { ($0 as? KafkaError)?.errorCode == .securityDisabled }
            }
        }
    }
}
