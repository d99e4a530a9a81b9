import Foundation
import PythonInterop
import SamsaTestSupport
import Testing

extension InteropSuite {
    /// ACLs managed through kafka-python's (embedded) and confluent-kafka's (a python3 subprocess)
    /// admin APIs against the built `samsa`: granted as a super user, kept across a SIGKILL,
    /// enforced on the same clients without super users, then revoked as a super user again. Every client is User:ANONYMOUS until SASL
    /// names them; with named principals the grants would name `User:alice` and the refusals come
    /// from a second user.
    @Suite("ACLs with kafka-python and confluent-kafka", .serialized)
    struct AclInteropTests {
        struct Granted: Decodable {
            let failed: [Int]
            let acls: [[String]]
        }

        struct Checked: Decodable {
            let acls: [[String]]
            let produceOpen: Int
            let produceClosed: Int
            let producePrefixed: Int
            let produceDenied: Int
            let consumeOpen: Int
            let consumeOtherGroup: Int
            let createTopic: Int
            let createAcls: [Int]

            enum CodingKeys: String, CodingKey {
                case acls
                case produceOpen = "produce_open"
                case produceClosed = "produce_closed"
                case producePrefixed = "produce_prefixed"
                case produceDenied = "produce_denied"
                case consumeOpen = "consume_open"
                case consumeOtherGroup = "consume_other_group"
                case createTopic = "create_topic"
                case createAcls = "create_acls"
            }
        }

        struct Revoked: Decodable {
            let deleted: Int
            let acls: [[String]]
        }

        static let authorizer = ["authorizer.class.name": "org.apache.kafka.metadata.authorizer.StandardAuthorizer"]
        static let granted = [
            ["acl-open", "READ", "ALLOW"], ["acl-open", "WRITE", "ALLOW"], ["acl-prefix.", "WRITE", "ALLOW"],
            ["acl-prefix.denied", "WRITE", "DENY"], ["acl-readers", "READ", "ALLOW"], ["kafka-cluster", "DESCRIBE", "ALLOW"],
        ]

        static func run<Result: Decodable>(_ client: String, step: String, on broker: BrokerProcess, as type: Result.Type) async throws
            -> Result
        {
            let arguments = ["bootstrap-server": broker.bootstrapServer, "client": client, "step": step]
            let path = InteropPaths.scenario("acls")
            if client == "kafka-python" { return try await EmbeddedPython.runScenario(path: path, arguments: arguments, as: type) }
            return try await PythonSubprocess.runScenario(
                path: path, arguments: arguments, pythonPath: [InteropPaths.kafkaPython3Packages], timeout: .seconds(180), as: type)
        }

        /// `samsa acls` with kafka-acls.sh's flags prints Kafka's blocks, and what it adds is what
        /// the broker then lists and removes.
        @Test func samsaAclsAddsListsAndRemovesWithKafkasTexts() async throws {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("samsa-acls-cli-\(UUID().uuidString)").path
            defer { try? FileManager.default.removeItem(atPath: folder) }
            let broker = try await BrokerProcess.samsa(
                dataDirectory: folder, settings: Self.authorizer.merging(["super.users": "User:ANONYMOUS"]) { $1 })
            defer { broker.kill() }
            let server = ["--bootstrap-server", broker.bootstrapServer]
            let added = try await SamsaCommand.run(
                ["acls", "--add", "--allow-principal", "User:alice", "--operation", "Read", "--topic", "t"] + server)
            let block =
                "`ResourcePattern(resourceType=TOPIC, name=t, patternType=LITERAL)`: \n \t(principal=User:alice, host=*, operation=READ, permissionType=ALLOW) \n\n"
            #expect(added.status == 0)
            #expect(added.standardOutput == "Adding ACLs for resource " + block + "Current ACLs for resource " + block)
            let prefixed = try await SamsaCommand.run(
                ["acls", "--add", "--deny-principal", "User:bob", "--group", "g", "--resource-pattern-type", "prefixed"] + server)
            #expect(prefixed.status == 0)
            let listed = try await SamsaCommand.run(["acls", "--list"] + server)
            #expect(listed.standardOutput.contains("Current ACLs for resource " + block))
            #expect(
                listed.standardOutput.contains(
                    "`ResourcePattern(resourceType=GROUP, name=g, patternType=PREFIXED)`: \n \t(principal=User:bob, host=*, operation=ALL, permissionType=DENY) \n"
                ))
            let removed = try await SamsaCommand.run(["acls", "--remove", "--force", "--topic", "t"] + server)
            #expect(removed.status == 0)
            let left = try await SamsaCommand.run(["acls", "--list"] + server)
            #expect(!left.standardOutput.contains("name=t,"))
            #expect(left.standardOutput.contains("name=g,"))
            let withoutPrincipal = try await SamsaCommand.run(["acls", "--add", "--topic", "t"] + server)
            #expect(withoutPrincipal.status != 0)
            #expect(withoutPrincipal.standardError.contains("You must specify one of: --allow-principal, --deny-principal"))
        }

        @Test(arguments: ["kafka-python", "confluent-kafka"])
        func aclsAreManagedKeptAcrossSigkillAndEnforced(client: String) async throws {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("samsa-acls-\(UUID().uuidString)").path
            defer { try? FileManager.default.removeItem(atPath: folder) }
            let asSuperUser = try await BrokerProcess.samsa(
                dataDirectory: folder, settings: Self.authorizer.merging(["super.users": "User:ANONYMOUS"]) { $1 })
            let grant = try await Self.run(client, step: "grant", on: asSuperUser, as: Granted.self)
            asSuperUser.kill()
            #expect(grant.failed.isEmpty)
            #expect(grant.acls == Self.granted.sorted { $0.lexicographicallyPrecedes($1) })

            let broker = try await BrokerProcess.samsa(dataDirectory: folder, settings: Self.authorizer)
            let check = try await Self.run(client, step: "check", on: broker, as: Checked.self)
            broker.kill()
            let again = try await BrokerProcess.samsa(
                dataDirectory: folder, settings: Self.authorizer.merging(["super.users": "User:ANONYMOUS"]) { $1 })
            let revoke = try await Self.run(client, step: "revoke", on: again, as: Revoked.self)
            again.kill()
            #expect(check.acls == grant.acls, "the ACLs survived SIGKILL")
            #expect(check.produceOpen == 0)
            #expect(check.produceClosed == 29, "TOPIC_AUTHORIZATION_FAILED without an ACL")
            #expect(check.producePrefixed == 0, "a PREFIXED ALLOW covers the topic")
            #expect(check.produceDenied == 29, "DENY overrides the PREFIXED ALLOW")
            #expect(check.consumeOpen == 0)
            #expect(check.consumeOtherGroup == 30, "GROUP_AUTHORIZATION_FAILED without READ on the group")
            #expect(check.createTopic == 29, "CREATE is needed to create a topic")
            #expect(check.createAcls == [31], "ALTER on the cluster is needed to create ACLs")
            #expect(revoke.deleted == 4)
            #expect(revoke.acls == [["acl-readers", "READ", "ALLOW"], ["kafka-cluster", "DESCRIBE", "ALLOW"]])
        }
    }
}
