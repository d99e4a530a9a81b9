import Foundation
import PythonInterop
import SamsaTestSupport
import Testing

extension InteropSuite {
    /// ACLs and SCRAM users managed through kafka-python's (embedded) and confluent-kafka's (a
    /// python3 subprocess) admin APIs against the built `samsa` on a SASL_PLAINTEXT listener: the
    /// super user User:admin (PLAIN) creates the SCRAM user alice and, after alice was refused
    /// everything, ACLs naming User:alice; the broker is killed with SIGKILL and restarted, and
    /// alice's login and ACLs are still there and enforced; a super user passes every check.
    @Suite("ACLs with kafka-python and confluent-kafka", .serialized)
    struct AclInteropTests {
        struct SetUp: Decodable {
            let createdUser: Int

            enum CodingKeys: String, CodingKey {
                case createdUser = "created_user"
            }
        }

        struct Granted: Decodable {
            let failed: [Int]
            let acls: [[String]]
        }

        struct Checked: Decodable {
            let acls: [[String]]?
            let produceOpen: Int
            let produceClosed: Int
            let producePrefixed: Int
            let produceDenied: Int
            let consumeOpen: Int
            let consumeOtherGroup: Int
            let createTopic: Int
            let createPrefixedTopic: Int
            let visibleTopics: [String]
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
                case createPrefixedTopic = "create_prefixed_topic"
                case visibleTopics = "visible_topics"
                case createAcls = "create_acls"
            }
        }

        struct Revoked: Decodable {
            let deleted: Int
            let acls: [[String]]
        }

        static let authorizer = ["authorizer.class.name": "org.apache.kafka.metadata.authorizer.StandardAuthorizer"]
        static let granted = [
            ["acl-open", "READ", "ALLOW"], ["acl-open", "WRITE", "ALLOW"], ["acl-prefix.", "CREATE", "ALLOW"],
            ["acl-prefix.", "WRITE", "ALLOW"],
            ["acl-prefix.denied", "WRITE", "DENY"], ["acl-readers", "READ", "ALLOW"], ["kafka-cluster", "DESCRIBE", "ALLOW"],
        ]

        /// A SASL_PLAINTEXT listener whose PLAIN user admin is the only super user.
        static let saslSettings = authorizer.merging([
            "sasl.enabled.mechanisms": "PLAIN,SCRAM-SHA-256", "super.users": "User:admin",
            "listener.name.sasl_plaintext.plain.sasl.jaas.config":
                #"org.apache.kafka.common.security.plain.PlainLoginModule required user_admin="admin-secret";"#,
        ]) { $1 }

        /// The super user admin, logged in with PLAIN.
        static let admin = ["user": "admin", "password": "admin-secret", "mechanism": "PLAIN"]
        /// alice, logged in with the SCRAM-SHA-256 credential the admin client created.
        static let alice = ["user": "alice", "password": "alice-secret", "mechanism": "SCRAM-SHA-256"]

        static func run<Result: Decodable>(
            _ client: String, step: String, on broker: BrokerProcess, as login: [String: String] = [:], _ type: Result.Type
        ) async throws -> Result {
            let arguments = ["bootstrap-server": broker.bootstrapServer, "client": client, "step": step].merging(login) { $1 }
            let path = InteropPaths.scenario("acls")
            if client == "kafka-python" { return try await EmbeddedPython.runScenario(path: path, arguments: arguments, as: type) }
            return try await PythonSubprocess.runScenario(
                path: path, arguments: arguments, pythonPath: [InteropPaths.kafkaPython3Packages], timeout: .seconds(180), as: type)
        }

        static func saslBroker(_ folder: String, port: Int) async throws -> BrokerProcess {
            var settings = saslSettings
            settings["listeners"] = "SASL_PLAINTEXT://127.0.0.1:\(port)"
            return try await BrokerProcess.samsa(dataDirectory: folder, port: port, settings: settings)
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
        func aclsForANamedPrincipalAreManagedKeptAcrossSigkillAndEnforced(client: String) async throws {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("samsa-acls-\(UUID().uuidString)").path
            defer { try? FileManager.default.removeItem(atPath: folder) }
            let port = try Loopback.freePort()
            let first = try await Self.saslBroker(folder, port: port)
            let setUp = try await Self.run(client, step: "setup", on: first, as: Self.admin, SetUp.self)
            #expect(setUp.createdUser == 0)
            let refused = try await Self.run(client, step: "check", on: first, as: Self.alice, Checked.self)
            let grant = try await Self.run(client, step: "grant", on: first, as: Self.admin, Granted.self)
            first.kill()
            #expect(grant.failed.isEmpty)
            #expect(grant.acls == Self.granted.sorted { $0.lexicographicallyPrecedes($1) })
            #expect(refused.produceOpen == 29 && refused.produceClosed == 29, "TOPIC_AUTHORIZATION_FAILED without ACLs")
            #expect(refused.consumeOpen != 0, "GROUP_ or TOPIC_AUTHORIZATION_FAILED without ACLs")
            #expect(refused.createTopic == 29 && refused.createPrefixedTopic == 29, "CREATE is needed to create a topic")
            #expect(refused.visibleTopics.isEmpty, "the metadata shows no topic alice may not describe")
            #expect(refused.createAcls == [31], "ALTER on the cluster is needed to create ACLs")

            let broker = try await Self.saslBroker(folder, port: port)
            let allowed = try await Self.run(client, step: "check", on: broker, as: Self.alice, Checked.self)
            let superUser = try await Self.run(client, step: "check", on: broker, as: Self.admin, Checked.self)
            let revoke = try await Self.run(client, step: "revoke", on: broker, as: Self.admin, Revoked.self)
            broker.kill()
            #expect(allowed.acls == grant.acls, "the ACLs survived SIGKILL")
            #expect(allowed.produceOpen == 0, "alice's SCRAM login survived SIGKILL")
            #expect(allowed.produceClosed == 29, "TOPIC_AUTHORIZATION_FAILED without an ACL")
            #expect(allowed.producePrefixed == 0, "a PREFIXED ALLOW covers the topic")
            #expect(allowed.produceDenied == 29, "DENY overrides the PREFIXED ALLOW")
            #expect(allowed.consumeOpen == 0)
            #expect(allowed.consumeOtherGroup == 30, "GROUP_AUTHORIZATION_FAILED without READ on the group")
            #expect(allowed.createTopic == 29, "CREATE is needed to create a topic")
            #expect(allowed.createPrefixedTopic == 0, "a PREFIXED CREATE allows it")
            #expect(allowed.visibleTopics == ["acl-open", "acl-prefix.denied", "acl-prefix.one"])
            #expect(allowed.createAcls == [31], "ALTER on the cluster is needed to create ACLs")
            let superUserCodes: [Int] = [
                superUser.produceClosed, superUser.produceDenied, superUser.consumeOtherGroup, superUser.createTopic,
            ]
            #expect(superUserCodes == [0, 0, 0, 0], "a super user passes every check")
            #expect(superUser.createAcls.isEmpty, "a super user creates ACLs")
            #expect(revoke.deleted == 5)
            #expect(revoke.acls == [["acl-readers", "READ", "ALLOW"], ["kafka-cluster", "DESCRIBE", "ALLOW"]])
        }
    }
}
