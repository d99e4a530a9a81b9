import Foundation
import KafkaBroker
import KafkaProtocol
import NIOCore
import SamsaTestSupport
import Testing

/// The authorizer through raw frames, as User:ANONYMOUS (every PLAINTEXT client): the ACL APIs,
/// each API's check with and without ACLs, and ACLs kept across a restart. A test first runs the
/// broker with `super.users=User:ANONYMOUS` to set things up, then restarts it on the same data
/// without, so that the checks meet ACLs stored by the broker itself.
@Suite("Authorization", .serialized, .tags(.component))
struct AuthorizationTests {
    static let authorizerOn = ["authorizer.class.name": "org.apache.kafka.metadata.authorizer.StandardAuthorizer"]
    static let asSuperUser = authorizerOn.merging(["super.users": "User:ANONYMOUS"]) { $1 }

    static func creation(
        _ resourceType: Int8, _ name: String, pattern: Int8 = 3, principal: String = "User:ANONYMOUS", operation: Int8,
        permission: Int8 = 3
    ) -> CreateAclsRequest.AclCreation {
        .init(
            resourceType: resourceType, resourceName: name, resourcePatternType: pattern, principal: principal, host: "*",
            operation: operation, permissionType: permission)
    }

    static let everyAcl = DescribeAclsRequest(
        resourceTypeFilter: 1, resourceNameFilter: nil, patternTypeFilter: 1, principalFilter: nil, hostFilter: nil, operation: 1,
        permissionType: 1)

    static func deleteFilter(resourceType: Int8, patternType: Int8) -> DeleteAclsRequest.DeleteAclsFilter {
        .init(
            resourceTypeFilter: resourceType, resourceNameFilter: nil, patternTypeFilter: patternType, principalFilter: nil,
            hostFilter: nil, operation: 1, permissionType: 1)
    }

    /// Runs `setUp` as a super user, then `body` on the same data as plain User:ANONYMOUS, then
    /// `verify` as a super user again.
    static func withStoredSetUp(
        _ setUp: (inout RawKafkaConnection) async throws -> Void, then body: (inout RawKafkaConnection) async throws -> Void,
        verify: (inout RawKafkaConnection) async throws -> Void = { _ in }
    ) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("samsa-acl-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try await InProcessBroker.with(settings: asSuperUser, dataDirectory: folder) { broker in
            try await RawKafkaConnection.with(port: broker.port) { try await setUp(&$0) }
        }
        try await InProcessBroker.with(settings: authorizerOn, dataDirectory: folder) { broker in
            try await RawKafkaConnection.with(port: broker.port) { try await body(&$0) }
        }
        try await InProcessBroker.with(settings: asSuperUser, dataDirectory: folder) { broker in
            try await RawKafkaConnection.with(port: broker.port) { try await verify(&$0) }
        }
    }

    @Test func withoutAnAuthorizerTheAclApisAnswerSecurityDisabled() async throws {
        try await InProcessBroker.with { broker in
            try await RawKafkaConnection.with(port: broker.port) { connection in
                let created = try await connection.roundTrip(
                    CreateAclsRequest(creations: [Self.creation(2, "orders", operation: 3)]), version: 3)
                #expect(created.results.map(\.errorCode) == [ErrorCode.securityDisabled.rawValue])
                let described = try await connection.roundTrip(Self.everyAcl, version: 3)
                #expect(described.errorCode == ErrorCode.securityDisabled.rawValue)
                let deleted = try await connection.roundTrip(
                    DeleteAclsRequest(filters: [Self.deleteFilter(resourceType: 1, patternType: 1)]),
                    version: 3)
                #expect(deleted.filterResults.map(\.errorCode) == [ErrorCode.securityDisabled.rawValue])
                try await connection.createTopic("open")
                #expect(try await connection.produce("open", partition: 0, values: ["a"]).error == .noError)
            }
        }
    }

    @Test func aclsAreCreatedDescribedAndDeletedWithKafkasValidation() async throws {
        try await InProcessBroker.with(settings: Self.asSuperUser) { broker in
            try await RawKafkaConnection.with(port: broker.port) { connection in
                let created = try await connection.roundTrip(
                    CreateAclsRequest(creations: [
                        Self.creation(2, "orders", operation: 3), Self.creation(2, "orders.", pattern: 4, operation: 4),
                        Self.creation(1, "orders", operation: 3), Self.creation(2, "orders", principal: "alice", operation: 3),
                        Self.creation(4, "kafka-cluster", operation: 7, permission: 2),
                    ]), version: 3)
                #expect(
                    created.results.map(\.errorCode) == [0, 0, ErrorCode.invalidRequest.rawValue, ErrorCode.invalidRequest.rawValue, 0])

                let all = try await connection.roundTrip(Self.everyAcl, version: 3)
                #expect(all.errorCode == 0)
                #expect(all.resources.map(\.resourceName) == ["orders", "orders.", "kafka-cluster"])
                #expect(all.resources.map(\.patternType) == [3, 4, 3])
                let matching = try await connection.roundTrip(
                    DescribeAclsRequest(
                        resourceTypeFilter: 2, resourceNameFilter: "orders.eu", patternTypeFilter: 2, principalFilter: nil,
                        hostFilter: nil, operation: 1, permissionType: 1), version: 2)
                #expect(matching.resources.map(\.resourceName) == ["orders."])
                let literalOnly = try await connection.roundTrip(Self.everyAcl, version: 0)
                #expect(literalOnly.resources.map(\.resourceName) == ["orders", "kafka-cluster"])
                let invalid = try await connection.roundTrip(
                    DescribeAclsRequest(
                        resourceTypeFilter: 0, resourceNameFilter: nil, patternTypeFilter: 1, principalFilter: nil, hostFilter: nil,
                        operation: 1, permissionType: 1), version: 3)
                #expect(invalid.errorCode == ErrorCode.invalidRequest.rawValue)

                let deleted = try await connection.roundTrip(
                    DeleteAclsRequest(filters: [
                        Self.deleteFilter(resourceType: 2, patternType: 4), Self.deleteFilter(resourceType: 2, patternType: 0),
                    ]), version: 3)
                #expect(deleted.filterResults.map(\.errorCode) == [0, ErrorCode.invalidRequest.rawValue])
                #expect(deleted.filterResults.first?.matchingAcls.map(\.resourceName) == ["orders."])
                let left = try await connection.roundTrip(Self.everyAcl, version: 3)
                #expect(left.resources.map(\.resourceName) == ["orders", "kafka-cluster"])
            }
        }
    }

    @Test func withoutAclsAnonymousIsRefusedByEveryApiAndNothingChanges() async throws {
        try await Self.withStoredSetUp { connection in
            try await connection.createTopic("orders")
            #expect(try await connection.produce("orders", partition: 0, values: ["kept"]).error == .noError)
            try await connection.commit(group: "readers", [("orders", 0, 1)])
        } then: { connection in
            let topicRefused = ErrorCode.topicAuthorizationFailed
            #expect(try await connection.produce("orders", partition: 0, values: ["refused"]).error == topicRefused)
            #expect(try await connection.fetch("orders", partition: 0, offset: 0).error == topicRefused)
            let offsets = try await connection.roundTrip(
                ListOffsetsRequest(replicaId: -1, topics: [.init(name: "orders", partitions: [.init(partitionIndex: 0, timestamp: -1)])]),
                version: 7)
            #expect(offsets.topics.first?.partitions.first?.errorCode == topicRefused.rawValue)

            let listing = try await connection.roundTrip(MetadataRequest(topics: nil), version: 12)
            #expect(listing.topics.isEmpty)
            let named = try await connection.roundTrip(
                MetadataRequest(topics: [.init(name: "orders"), .init(name: "new-topic")], allowAutoTopicCreation: true), version: 12)
            #expect(named.topics.map(\.errorCode) == [topicRefused.rawValue, topicRefused.rawValue])

            let create = try await connection.roundTrip(
                CreateTopicsRequest(topics: [.init(name: "created", numPartitions: 1, replicationFactor: 1)], timeoutMs: 5_000), version: 7)
            #expect(create.topics.first?.errorCode == topicRefused.rawValue)
            let delete = try await connection.roundTrip(DeleteTopicsRequest(topicNames: ["orders"], timeoutMs: 5_000), version: 5)
            #expect(delete.responses.first?.errorCode == topicRefused.rawValue)
            let grow = try await connection.roundTrip(
                CreatePartitionsRequest(topics: [.init(name: "orders", count: 3, assignments: nil)], timeoutMs: 5_000), version: 3)
            #expect(grow.results.first?.errorCode == topicRefused.rawValue)
            let deleteRecords = try await connection.roundTrip(
                DeleteRecordsRequest(topics: [.init(name: "orders", partitions: [.init(partitionIndex: 0, offset: -1)])], timeoutMs: 5_000),
                version: 2)
            #expect(deleteRecords.topics.first?.partitions.first?.errorCode == topicRefused.rawValue)
            let configs = try await connection.roundTrip(
                DescribeConfigsRequest(resources: [
                    .init(resourceType: 2, resourceName: "orders"), .init(resourceType: 4, resourceName: "1"),
                ]),
                version: 4)
            #expect(configs.results.map(\.errorCode) == [topicRefused.rawValue, ErrorCode.clusterAuthorizationFailed.rawValue])
            let alter = try await connection.roundTrip(
                IncrementalAlterConfigsRequest(resources: [
                    .init(resourceType: 2, resourceName: "orders", configs: [.init(name: "retention.ms", configOperation: 0, value: "1")])
                ]), version: 1)
            #expect(alter.responses.first?.errorCode == topicRefused.rawValue)

            let groupRefused = ErrorCode.groupAuthorizationFailed.rawValue
            let join = try await connection.roundTrip(
                JoinGroupRequest(
                    groupId: "readers", sessionTimeoutMs: 30_000, rebalanceTimeoutMs: 30_000, memberId: "", protocolType: "consumer",
                    protocols: [.init(name: "range", metadata: ByteBuffer())]), version: 5)
            #expect(join.errorCode == groupRefused)
            #expect(try await GroupApiTests.commit(group: "readers", topic: "orders", offset: 0, on: &connection) == groupRefused)
            let fetched = try await connection.roundTrip(
                OffsetFetchRequest(groupId: "readers", topics: [.init(name: "orders", partitionIndexes: [0])]), version: 7)
            #expect(fetched.errorCode == groupRefused)
            let described = try await connection.roundTrip(DescribeGroupsRequest(groups: ["readers"]), version: 5)
            #expect(described.groups.first?.errorCode == groupRefused)
            let groups = try await connection.roundTrip(ListGroupsRequest(), version: 5)
            #expect(groups.groups.isEmpty)
            let deleteGroups = try await connection.roundTrip(DeleteGroupsRequest(groupsNames: ["readers"]), version: 2)
            #expect(deleteGroups.results.first?.errorCode == groupRefused)

            let clusterRefused = ErrorCode.clusterAuthorizationFailed.rawValue
            let producerId = try await connection.roundTrip(
                InitProducerIdRequest(transactionalId: nil, transactionTimeoutMs: -1), version: 4)
            #expect(producerId.errorCode == clusterRefused)
            let logDirs = try await connection.roundTrip(DescribeLogDirsRequest(topics: nil), version: 4)
            #expect(logDirs.errorCode == clusterRefused)
            let cluster = try await connection.roundTrip(DescribeClusterRequest(includeClusterAuthorizedOperations: true), version: 1)
            #expect(cluster.clusterAuthorizedOperations == 0)
            let acls = try await connection.roundTrip(Self.everyAcl, version: 3)
            #expect(acls.errorCode == clusterRefused)
            let createAcls = try await connection.roundTrip(
                CreateAclsRequest(creations: [Self.creation(4, "kafka-cluster", operation: 2)]), version: 3)
            #expect(createAcls.results.map(\.errorCode) == [clusterRefused])
            let scramUsers = try await connection.roundTrip(DescribeUserScramCredentialsRequest(users: nil), version: 0)
            #expect(scramUsers.errorCode == clusterRefused)
            let alterScram = try await connection.roundTrip(
                AlterUserScramCredentialsRequest(
                    upsertions: [try SaslListenerTests.scramUpsertion("mallory", .sha256, password: "mallory-secret")]),
                version: 0)
            #expect(alterScram.results.map(\.errorCode) == [clusterRefused])

            let transactionRefused = ErrorCode.transactionalIdAuthorizationFailed.rawValue
            let transactional = try await connection.roundTrip(
                InitProducerIdRequest(transactionalId: "tx", transactionTimeoutMs: 60_000), version: 4)
            #expect(transactional.errorCode == transactionRefused)
            let addPartitions = try await connection.roundTrip(
                AddPartitionsToTxnRequest(
                    v3AndBelowTransactionalId: "tx", v3AndBelowProducerId: 1, v3AndBelowProducerEpoch: 0,
                    v3AndBelowTopics: [.init(name: "orders", partitions: [0])]),
                version: 3)
            #expect(addPartitions.resultsByTopicV3AndBelow.first?.resultsByPartition.first?.partitionErrorCode == transactionRefused)
            let addOffsets = try await connection.roundTrip(
                AddOffsetsToTxnRequest(transactionalId: "tx", producerId: 1, producerEpoch: 0, groupId: "readers"), version: 3)
            #expect(addOffsets.errorCode == transactionRefused)
            let txnCommit = try await connection.roundTrip(
                TxnOffsetCommitRequest(
                    transactionalId: "tx", groupId: "readers", producerId: 1, producerEpoch: 0,
                    topics: [.init(name: "orders", partitions: [.init(partitionIndex: 0, committedOffset: 0)])]),
                version: 3)
            #expect(txnCommit.topics.first?.partitions.first?.errorCode == transactionRefused)
            let endTxn = try await connection.roundTrip(
                EndTxnRequest(transactionalId: "tx", producerId: 1, producerEpoch: 0, committed: true), version: 3)
            #expect(endTxn.errorCode == transactionRefused)
        } verify: { connection in
            let topics = try await connection.roundTrip(MetadataRequest(topics: nil), version: 12).topics.filter { !$0.isInternal }
            #expect(topics.map(\.name) == ["orders"])
            #expect(topics.first?.partitions.count == 1)
            #expect(try await connection.latestOffset("orders", partition: 0) == 1)
            #expect(try await GroupApiTests.committed(group: "readers", topic: "orders", on: &connection) == 1)
            #expect(try await connection.roundTrip(Self.everyAcl, version: 3).resources.isEmpty)
            let scramUsers = try await connection.roundTrip(DescribeUserScramCredentialsRequest(users: nil), version: 0)
            #expect(scramUsers.results.isEmpty, "no SCRAM user was created")
        }
    }

    @Test func storedAclsGrantWhatTheyNameAndDenyWins() async throws {
        try await Self.withStoredSetUp { connection in
            try await connection.createTopics(["orders.eu", "orders.secret", "payments"])
            let created = try await connection.roundTrip(
                CreateAclsRequest(creations: [
                    Self.creation(2, "orders.", pattern: 4, operation: 3), Self.creation(2, "orders.", pattern: 4, operation: 4),
                    Self.creation(2, "orders.secret", operation: 3, permission: 2),
                    Self.creation(3, "readers", operation: 3),
                ]), version: 3)
            #expect(created.results.map(\.errorCode) == [0, 0, 0, 0])
        } then: { connection in
            #expect(try await connection.produce("orders.eu", partition: 0, values: ["a"]).error == .noError)
            #expect(try await connection.fetch("orders.eu", partition: 0, offset: 0).error == .noError)
            #expect(try await connection.produce("orders.secret", partition: 0, values: ["b"]).error == .noError)
            #expect(try await connection.fetch("orders.secret", partition: 0, offset: 0).error == .topicAuthorizationFailed)
            #expect(try await connection.produce("payments", partition: 0, values: ["c"]).error == .topicAuthorizationFailed)

            let listing = try await connection.roundTrip(
                MetadataRequest(topics: nil, includeClusterAuthorizedOperations: false, includeTopicAuthorizedOperations: true), version: 10
            )
            #expect(listing.topics.compactMap(\.name).sorted() == ["orders.eu", "orders.secret"])
            let readWriteDescribe: Int32 = 1 << 3 | 1 << 4 | 1 << 8
            #expect(listing.topics.first { $0.name == "orders.eu" }?.topicAuthorizedOperations == readWriteDescribe)
            #expect(listing.topics.first { $0.name == "orders.secret" }?.topicAuthorizedOperations == 1 << 4 | 1 << 8)

            #expect(try await GroupApiTests.commit(group: "readers", topic: "orders.eu", offset: 1, on: &connection) == 0)
            #expect(
                try await GroupApiTests.commit(group: "readers", topic: "payments", offset: 1, on: &connection)
                    == ErrorCode.topicAuthorizationFailed.rawValue)
            #expect(
                try await GroupApiTests.commit(group: "others", topic: "orders.eu", offset: 1, on: &connection)
                    == ErrorCode.groupAuthorizationFailed.rawValue)

            let producerId = try await connection.roundTrip(
                InitProducerIdRequest(transactionalId: nil, transactionTimeoutMs: -1), version: 4)
            #expect(producerId.errorCode == 0)
        }
    }

    /// FindCoordinator needs DESCRIBE on the group or transactional id it names, DescribeTransactions
    /// DESCRIBE on each id, and ListTransactions lists only the ids that may be described, as in Kafka.
    @Test func coordinatorsAndTransactionsNeedDescribeOnTheirIds() async throws {
        try await Self.withStoredSetUp { connection in
            for transactionalId in ["tx", "hidden"] {
                let started = try await connection.roundTrip(
                    InitProducerIdRequest(transactionalId: transactionalId, transactionTimeoutMs: 60_000), version: 4)
                #expect(started.errorCode == 0)
            }
            let created = try await connection.roundTrip(
                CreateAclsRequest(creations: [Self.creation(3, "readers", operation: 8), Self.creation(5, "tx", operation: 8)]),
                version: 3)
            #expect(created.results.map(\.errorCode) == [0, 0])
        } then: { connection in
            let groups = try await connection.roundTrip(
                FindCoordinatorRequest(keyType: 0, coordinatorKeys: ["readers", "others"]), version: 4)
            #expect(groups.coordinators.map(\.errorCode) == [0, ErrorCode.groupAuthorizationFailed.rawValue])
            #expect(groups.coordinators.last?.errorMessage == "Group authorization failed.")
            let oldGroup = try await connection.roundTrip(FindCoordinatorRequest(key: "others", keyType: 0), version: 3)
            #expect(oldGroup.errorCode == ErrorCode.groupAuthorizationFailed.rawValue)
            let transactionRefused = ErrorCode.transactionalIdAuthorizationFailed.rawValue
            let transactions = try await connection.roundTrip(
                FindCoordinatorRequest(keyType: 1, coordinatorKeys: ["tx", "hidden"]), version: 4)
            #expect(transactions.coordinators.map(\.errorCode) == [0, transactionRefused])
            let oldTransaction = try await connection.roundTrip(FindCoordinatorRequest(key: "tx", keyType: 1), version: 3)
            #expect(oldTransaction.errorCode == 0)

            let described = try await connection.roundTrip(
                DescribeTransactionsRequest(transactionalIds: ["tx", "hidden", "unknown"]), version: 0)
            #expect(described.transactionStates.map(\.errorCode) == [0, transactionRefused, transactionRefused])
            #expect(described.transactionStates.first?.transactionState == "Empty")
            let listed = try await connection.roundTrip(ListTransactionsRequest(), version: 1)
            #expect(listed.transactionStates.map(\.transactionalId) == ["tx"])
        }
    }
}
