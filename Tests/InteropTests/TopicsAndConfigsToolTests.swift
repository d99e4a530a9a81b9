import Foundation
import KafkaClient
import SamsaTestSupport
import Testing

extension InteropSuite {
    /// `samsa topics` and `samsa configs` run as child processes against an in-process broker,
    /// with stdout and stderr compared apart to Kafka 3.9's texts.
    @Suite("samsa topics and samsa configs", .serialized, .timeLimit(.minutes(2)))
    struct TopicsAndConfigsToolTests {
        @Test func createListDescribeAlterAndDeleteTopics() async throws {
            let broker = try await InProcessBroker.start()
            let server = ["--bootstrap-server", broker.bootstrapServer]

            let created = try await SamsaCommand.run(["topics", "--create", "--topic", "hello"] + server)
            #expect(created.standardOutput == "Created topic hello.\n")
            #expect(created.standardError == "")
            #expect(created.status == 0)

            let underscored = try await SamsaCommand.run(
                ["topics", "--create", "--partitions", "3", "--replication-factor", "1", "--topic", "hello_kafka"] + server)
            #expect(
                underscored.standardOutput == """
                    WARNING: Due to limitations in metric names, topics with a period ('.') or underscore ('_') could collide. To avoid issues it is best to use either, but not both.
                    Created topic hello_kafka.

                    """)
            #expect(underscored.standardError == "")

            let listed = try await SamsaCommand.run(["topics", "--list"] + server)
            #expect(listed.standardOutput == "__consumer_offsets\nhello\nhello_kafka\n")
            let external = try await SamsaCommand.run(["topics", "--list", "--exclude-internal"] + server)
            #expect(external.standardOutput == "hello\nhello_kafka\n")
            #expect(listed.standardError == "")

            let ids = try await topicIds(broker, ["hello", "hello_kafka"])
            let described = try await SamsaCommand.run(["topics", "--describe", "--topic", "hello"] + server)
            #expect(
                described.standardOutput == """
                    Topic: hello\tTopicId: \(ids["hello"]!)\tPartitionCount: 1\tReplicationFactor: 1\tConfigs:\u{20}
                    \tTopic: hello\tPartition: 0\tLeader: 1\tReplicas: 1\tIsr: 1\tElr: N/A\tLastKnownElr: N/A

                    """)
            #expect(described.standardError == "")

            let altered = try await SamsaCommand.run(["topics", "--alter", "--topic", "hello", "--partitions", "2"] + server)
            #expect(altered.standardOutput == "")
            #expect(altered.status == 0)
            let all = try await SamsaCommand.run(["topics", "--describe", "--exclude-internal"] + server)
            #expect(
                all.standardOutput == """
                    Topic: hello\tTopicId: \(ids["hello"]!)\tPartitionCount: 2\tReplicationFactor: 1\tConfigs:\u{20}
                    \tTopic: hello\tPartition: 0\tLeader: 1\tReplicas: 1\tIsr: 1\tElr: N/A\tLastKnownElr: N/A
                    \tTopic: hello\tPartition: 1\tLeader: 1\tReplicas: 1\tIsr: 1\tElr: N/A\tLastKnownElr: N/A
                    Topic: hello_kafka\tTopicId: \(ids["hello_kafka"]!)\tPartitionCount: 3\tReplicationFactor: 1\tConfigs:\u{20}
                    \tTopic: hello_kafka\tPartition: 0\tLeader: 1\tReplicas: 1\tIsr: 1\tElr: N/A\tLastKnownElr: N/A
                    \tTopic: hello_kafka\tPartition: 1\tLeader: 1\tReplicas: 1\tIsr: 1\tElr: N/A\tLastKnownElr: N/A
                    \tTopic: hello_kafka\tPartition: 2\tLeader: 1\tReplicas: 1\tIsr: 1\tElr: N/A\tLastKnownElr: N/A

                    """)

            let deleted = try await SamsaCommand.run(["topics", "--delete", "--topic", "hello_kafka"] + server)
            #expect(deleted.standardOutput == "")
            #expect(deleted.standardError == "")
            #expect(deleted.status == 0)
            #expect(try await SamsaCommand.run(["topics", "--list", "--exclude-internal"] + server).standardOutput == "hello\n")
            try await broker.stop()
        }

        @Test func topicErrorsAreKafkasLinesWithAFailingStatus() async throws {
            let broker = try await InProcessBroker.start()
            let server = ["--bootstrap-server", broker.bootstrapServer]
            _ = try await SamsaCommand.run(["topics", "--create", "--topic", "hello"] + server)

            let existing = try await SamsaCommand.run(["topics", "--create", "--topic", "hello"] + server)
            #expect(existing.standardOutput == "Error while executing topic command : Topic 'hello' already exists.\n")
            #expect(existing.standardError == "")
            #expect(existing.status == 1)

            let quiet = try await SamsaCommand.run(["topics", "--create", "--if-not-exists", "--topic", "hello"] + server)
            #expect(quiet.standardOutput == "")
            #expect(quiet.status == 0)

            let replicated = try await SamsaCommand.run(["topics", "--create", "--topic", "t3", "--replication-factor", "3"] + server)
            #expect(
                replicated.standardOutput == """
                    Error while executing topic command : Unable to replicate the partition 3 time(s): The target replication factor of 3 cannot be reached because only 1 broker(s) are registered.

                    """)
            #expect(replicated.status == 1)

            let missing = try await SamsaCommand.run(["topics", "--describe", "--topic", "nope"] + server)
            #expect(missing.standardOutput == "Error while executing topic command : Topic 'nope' does not exist as expected\n")
            #expect(missing.standardError == "")
            #expect(missing.status == 1)

            let shrink = try await SamsaCommand.run(["topics", "--alter", "--topic", "hello", "--partitions", "1"] + server)
            #expect(shrink.standardOutput.hasPrefix("Error while executing topic command : "))
            #expect(shrink.status == 1)

            let noAction = try await SamsaCommand.run(["topics", "--topic", "hello"] + server)
            #expect(
                noAction.standardError == "Command must include exactly one action: --list, --describe, --create, --alter or --delete\n")
            #expect(noAction.status == 1)
            try await broker.stop()
        }

        @Test func zookeeperIsAnsweredWithTheBootstrapServerToUse() async throws {
            let expected =
                "Samsa needs no ZooKeeper, so --zookeeper is not supported: connect to the broker with --bootstrap-server localhost:9092 (the broker's listener) instead.\n"
            for spelling in ["--zookeeper", "-zookeeper"] {
                let result = try await SamsaCommand.run(["topics", "--list", spelling, "localhost:2181"])
                #expect(result.standardError == expected)
                #expect(result.standardOutput == "")
                #expect(result.status == 1)
            }
            let create = try await SamsaCommand.run([
                "topics", "--create", "-zookeeper", "localhost:2181", "--partitions", "1", "--replication-factor", "1", "--topic", "test",
            ])
            #expect(create.standardError == expected)
        }

        @Test func badFlagsAndUnreachableServersGiveOneLine() async throws {
            let unknown = try await SamsaCommand.run(["topics", "--list", "--bootstrap-server", "127.0.0.1:9", "--colour"])
            #expect(unknown.standardError == "Error: Unknown option '--colour' (see 'samsa topics --help')\n")
            #expect(unknown.standardOutput == "")
            #expect(unknown.status != 0)

            let missingServer = try await SamsaCommand.run(["consumer-groups", "--list"])
            #expect(missingServer.standardError == "Missing required argument \"[bootstrap-server]\"\n")
            #expect(missingServer.status == 1)

            let port = try Loopback.freePort()
            let settings = FileManager.default.temporaryDirectory.appendingPathComponent("samsa-cli-\(UUID().uuidString).properties")
            try Data("bootstrap.timeout.ms=300\n".utf8).write(to: settings)
            defer { try? FileManager.default.removeItem(at: settings) }
            let unreachable = try await SamsaCommand.run([
                "topics", "--list", "--bootstrap-server", "127.0.0.1:\(port)", "--command-config", settings.path,
            ])
            #expect(
                unreachable.standardOutput.hasPrefix(
                    "Error while executing topic command : Could not connect to any of 127.0.0.1:\(port) within 300 ms"))
            #expect(unreachable.standardOutput.split(separator: "\n").count == 1)
            #expect(unreachable.standardError == "")
            #expect(unreachable.status == 1)
        }

        @Test func everyToolHasHelp() async throws {
            for tool in [
                ["topics"], ["configs"], ["console-producer"], ["console-consumer"], ["consumer-groups"], ["perf", "produce"],
                ["perf", "consume"],
            ] {
                let help = try await SamsaCommand.run(tool + ["--help"])
                #expect(help.status == 0)
                #expect(help.standardOutput.contains("USAGE: samsa \(tool.joined(separator: " "))"))
                #expect(help.standardOutput.contains("--bootstrap-server"))
            }
        }

        /// A user's SCRAM credentials through kafka-configs.sh's flags on a SASL_PLAINTEXT listener,
        /// the admin logging in with Kafka's `sasl.jaas.config` line from a `--command-config` file;
        /// alice then logs in with the credential the tool salted.
        @Test func configsAltersDescribesAndDeletesUsersScramCredentials() async throws {
            let settings = [
                "listeners": "SASL_PLAINTEXT://127.0.0.1:0", "sasl.enabled.mechanisms": "PLAIN,SCRAM-SHA-256,SCRAM-SHA-512",
                "listener.name.sasl_plaintext.plain.sasl.jaas.config":
                    #"org.apache.kafka.common.security.plain.PlainLoginModule required user_admin="admin-secret";"#,
            ]
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("samsa-configs-users-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            func login(_ mechanism: String, _ module: String, _ user: String, _ password: String) throws -> String {
                let path = folder.appendingPathComponent("\(user).properties").path
                try """
                security.protocol=SASL_PLAINTEXT
                sasl.mechanism=\(mechanism)
                sasl.jaas.config=org.apache.kafka.common.security.\(module) required username="\(user)" password="\(password)";

                """.write(toFile: path, atomically: true, encoding: .utf8)
                return path
            }
            let admin = try login("PLAIN", "plain.PlainLoginModule", "admin", "admin-secret")
            let alice = try login("SCRAM-SHA-256", "scram.ScramLoginModule", "alice", "alice-secret")
            try await InProcessBroker.with(settings: settings) { broker in
                let asAdmin = ["--bootstrap-server", broker.bootstrapServer, "--command-config", admin]
                let users = ["--entity-type", "users", "--entity-name", "alice"]
                let added = try await SamsaCommand.run(
                    [
                        "configs", "--alter", "--add-config",
                        "SCRAM-SHA-256=[iterations=8192,password=alice-secret],SCRAM-SHA-512=[password=alice-secret]",
                    ] + users + asAdmin)
                #expect(added.standardOutput == "Completed updating config for user alice.\n", "\(added.standardError)")
                #expect(added.status == 0)
                let described = try await SamsaCommand.run(
                    [
                        "configs", "--describe", "--entity-type", "users", "--bootstrap-server", broker.bootstrapServer, "--command-config",
                        alice,
                    ])
                #expect(
                    described.standardOutput
                        == "SCRAM credential configs for user-principal 'alice' are SCRAM-SHA-256=iterations=8192, SCRAM-SHA-512=iterations=4096\n",
                    "alice logs in with the credential the tool made: \(described.standardError)")

                let deleted = try await SamsaCommand.run(
                    ["configs", "--alter", "--delete-config", "SCRAM-SHA-512", "--user", "alice"] + asAdmin)
                #expect(deleted.standardOutput == "Completed updating config for user alice.\n")
                let after = try await SamsaCommand.run(["configs", "--describe"] + users + asAdmin)
                #expect(after.standardOutput == "SCRAM credential configs for user-principal 'alice' are SCRAM-SHA-256=iterations=8192\n")
                let unknown = try await SamsaCommand.run(
                    ["configs", "--describe", "--entity-type", "users", "--entity-name", "bob"] + asAdmin)
                #expect(
                    unknown.standardOutput.hasPrefix(
                        "Error retrieving SCRAM credential configs for user-principal 'bob': ExecutionException: org.apache.kafka.common.errors.ResourceNotFoundException: "
                    ))
                let tooFew = try await SamsaCommand.run(
                    ["configs", "--alter", "--add-config", "SCRAM-SHA-256=[iterations=10,password=x]"] + users + asAdmin)
                #expect(tooFew.status == 1)
                #expect(tooFew.standardError.contains("Too few iterations"))
            }
        }

        @Test func configsDescribeAlterAndDeleteTopicSettings() async throws {
            let broker = try await InProcessBroker.start()
            let server = ["--bootstrap-server", broker.bootstrapServer]
            _ = try await SamsaCommand.run(["topics", "--create", "--topic", "hello"] + server)
            let topic = ["--entity-type", "topics", "--entity-name", "hello"]

            let added = try await SamsaCommand.run(
                ["configs", "--alter", "--add-config", "retention.ms=1000,cleanup.policy=[compact,delete]"] + topic + server)
            #expect(added.standardOutput == "Completed updating config for topic hello.\n")
            #expect(added.standardError == "")
            #expect(added.status == 0)

            let described = try await SamsaCommand.run(["configs", "--describe"] + topic + server)
            #expect(
                described.standardOutput == """
                    Dynamic configs for topic hello are:
                      cleanup.policy=compact,delete sensitive=false synonyms={DYNAMIC_TOPIC_CONFIG:cleanup.policy=compact,delete, DEFAULT_CONFIG:log.cleanup.policy=delete}
                      retention.ms=1000 sensitive=false synonyms={DYNAMIC_TOPIC_CONFIG:retention.ms=1000, DEFAULT_CONFIG:log.retention.hours=168}

                    """)
            let topics = try await SamsaCommand.run(["topics", "--describe", "--topic", "hello"] + server)
            #expect(
                topics.standardOutput.split(separator: "\n").first?.hasSuffix("\tConfigs: cleanup.policy=compact,delete,retention.ms=1000")
                    == true)

            let removed = try await SamsaCommand.run(
                ["configs", "--alter", "--delete-config", "retention.ms", "--topic", "hello"] + server)
            #expect(removed.standardOutput == "Completed updating config for topic hello.\n")
            let after = try await SamsaCommand.run(["configs", "--describe", "--topic", "hello"] + server)
            #expect(
                after.standardOutput == """
                    Dynamic configs for topic hello are:
                      cleanup.policy=compact,delete sensitive=false synonyms={DYNAMIC_TOPIC_CONFIG:cleanup.policy=compact,delete, DEFAULT_CONFIG:log.cleanup.policy=delete}

                    """)

            let unset = try await SamsaCommand.run(["configs", "--alter", "--delete-config", "retention.ms", "--topic", "hello"] + server)
            #expect(unset.standardError == "Invalid config(s): retention.ms\n")
            #expect(unset.status == 1)

            let everything = try await SamsaCommand.run(["configs", "--describe", "--all", "--topic", "hello"] + server)
            #expect(everything.standardOutput.hasPrefix("All configs for topic hello are:\n"))
            #expect(
                everything.standardOutput.contains(
                    "\n  retention.ms=604800000 sensitive=false synonyms={DEFAULT_CONFIG:log.retention.hours=168}\n"))
            try await broker.stop()
        }

        @Test func configsAlterAndDescribeDynamicBrokerConfigs() async throws {
            let broker = try await InProcessBroker.start()
            let server = ["--bootstrap-server", broker.bootstrapServer]
            let one = ["--entity-type", "brokers", "--entity-name", "1"]
            let clusterDefault = ["--entity-type", "brokers", "--entity-default"]

            let setDefault = try await SamsaCommand.run(
                ["configs", "--alter", "--add-config", "log.retention.ms=60000"] + clusterDefault + server)
            #expect(setDefault.standardOutput == "Completed updating default config for brokers in the cluster.\n")
            #expect(setDefault.status == 0)
            let setOne = try await SamsaCommand.run(
                ["configs", "--alter", "--add-config", "log.retention.ms=120000,log.cleaner.backoff.ms=5000"] + one + server)
            #expect(setOne.standardOutput == "Completed updating config for broker 1.\n")

            let described = try await SamsaCommand.run(["configs", "--describe"] + one + server)
            #expect(
                described.standardOutput == """
                    Dynamic configs for broker 1 are:
                      log.cleaner.backoff.ms=5000 sensitive=false synonyms={DYNAMIC_BROKER_CONFIG:log.cleaner.backoff.ms=5000, DEFAULT_CONFIG:log.cleaner.backoff.ms=15000}
                      log.retention.ms=120000 sensitive=false synonyms={DYNAMIC_BROKER_CONFIG:log.retention.ms=120000, DYNAMIC_DEFAULT_BROKER_CONFIG:log.retention.ms=60000, DEFAULT_CONFIG:log.retention.hours=168}

                    """)
            let defaults = try await SamsaCommand.run(["configs", "--describe"] + clusterDefault + server)
            #expect(
                defaults.standardOutput == """
                    Default configs for brokers in the cluster are:
                      log.retention.ms=60000 sensitive=false synonyms={DYNAMIC_DEFAULT_BROKER_CONFIG:log.retention.ms=60000, DEFAULT_CONFIG:log.retention.hours=168}

                    """)
            let everyBroker = try await SamsaCommand.run(["configs", "--describe", "--entity-type", "brokers"] + server)
            #expect(everyBroker.standardOutput.hasPrefix("Dynamic configs for broker 1 are:\n"))
            #expect(everyBroker.standardOutput.contains("Default configs for brokers in the cluster are:\n"))

            let removed = try await SamsaCommand.run(["configs", "--alter", "--delete-config", "log.retention.ms"] + one + server)
            #expect(removed.status == 0)
            let unset = try await SamsaCommand.run(["configs", "--alter", "--delete-config", "log.retention.ms"] + one + server)
            #expect(unset.standardError == "Invalid config(s): log.retention.ms\n")
            #expect(unset.status == 1)

            let readOnly = try await SamsaCommand.run(["configs", "--alter", "--add-config", "log.dirs=/elsewhere"] + one + server)
            #expect(readOnly.standardError.contains("Cannot update these configs dynamically: Set(log.dirs)"))
            #expect(readOnly.status == 1)

            let all = try await SamsaCommand.run(["configs", "--describe", "--all"] + one + server)
            #expect(all.standardOutput.hasPrefix("All configs for broker 1 are:\n"))
            #expect(
                all.standardOutput.contains(
                    "\n  log.retention.ms=60000 sensitive=false synonyms={DYNAMIC_DEFAULT_BROKER_CONFIG:log.retention.ms=60000, DEFAULT_CONFIG:log.retention.hours=168}\n"
                ))
            try await broker.stop()
        }

        private func topicIds(_ broker: InProcessBroker, _ topics: [String]) async throws -> [String: String] {
            let admin = try KafkaAdminClient(configuration: KafkaAdminConfiguration(bootstrapServers: [broker.bootstrapServer]))
            let descriptions = try await admin.describeTopics(topics)
            await admin.close()
            return Dictionary(uniqueKeysWithValues: descriptions.map { ($0.name, "\($0.topicId)") })
        }
    }
}
