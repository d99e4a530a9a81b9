import KafkaClient
import Testing

/// The ways an application handles `KafkaError`: each function is an idiom from the docs' error
/// handling article, and the tests check that each also catches what it should.
extension KafkaClientAPITests {
    /// `catch let … where` on an SDK call: Swift infers `KafkaError` from the typed throws.
    func createIgnoringExisting(_ admin: KafkaAdminClient, _ topic: NewTopic) async throws -> Bool {
        do {
            try await admin.createTopics([topic])
            return true
        } catch let error where error.errorCode == .topicAlreadyExists {
            return false
        }
    }

    /// The explicit cast, for where the error is `any Error` (in a function the compiler warns that
    /// it is always true, as it knows the error is a `KafkaError`).
    func createIgnoringExistingWithCast(_ admin: KafkaAdminClient, _ topic: NewTopic) async throws -> Bool {
        let create: @Sendable () async throws -> Void = { try await admin.createTopics([topic]) }
        do {
            try await create()
            return true
        } catch let error as KafkaError where error.code == .broker && error.errorCode == .topicAlreadyExists {
            return false
        }
    }

    /// A plain `catch` in a function: `error` is a `KafkaError`.
    func createReportingCode(_ admin: KafkaAdminClient, _ topic: NewTopic) async -> KafkaError.Code? {
        do {
            try await admin.createTopics([topic])
            return nil
        } catch {
            return error.code
        }
    }

    /// In a closure Swift 6.3 infers `any Error`: `do throws(KafkaError)` makes it typed again.
    func createInTask(_ admin: KafkaAdminClient, _ topic: NewTopic) async -> ErrorCode? {
        let task = Task { () -> ErrorCode? in
            do throws(KafkaError) {
                try await admin.createTopics([topic])
                return nil
            } catch {
                return error.errorCode
            }
        }
        return await task.value
    }

    /// In a task group: a cast in the catch, and errors thrown out of the group stay `KafkaError`s.
    func createConcurrently(_ admin: KafkaAdminClient, _ topics: [NewTopic]) async throws -> [ErrorCode?] {
        try await withThrowingTaskGroup(of: ErrorCode?.self) { group in
            for topic in topics {
                group.addTask {
                    do {
                        try await admin.createTopics([topic])
                        return nil
                    } catch let error as KafkaError where error.isRetriable {
                        throw error
                    } catch let error as KafkaError {
                        return error.errorCode
                    }
                }
            }
            var codes: [ErrorCode?] = []
            for try await code in group { codes.append(code) }
            return codes
        }
    }

    /// A plain `catch` in a closure: the error is `any Error`, and `as? KafkaError` reaches its
    /// fields.
    func createInClosure(_ admin: KafkaAdminClient, _ topic: NewTopic) async -> String {
        let describe: @Sendable () async -> String = {
            do {
                try await admin.createTopics([topic])
                return "created"
            } catch {
                return (error as? KafkaError)?.errorCode?.description ?? "\(error)"
            }
        }
        return await describe()
    }

    @Test func theErrorIdiomsCatchWhatTheySay() async throws {
        try await withBroker { bootstrapServer in
            let admin = try KafkaAdminClient(configuration: KafkaAdminConfiguration(bootstrapServers: [bootstrapServer]))
            let topic = NewTopic(name: "idioms", numPartitions: 1, replicationFactor: 1)
            #expect(try await createIgnoringExisting(admin, topic))
            #expect(try await createIgnoringExisting(admin, topic) == false)
            #expect(try await createIgnoringExistingWithCast(admin, topic) == false)
            #expect(await createReportingCode(admin, topic) == .broker)
            #expect(await createInTask(admin, topic) == .topicAlreadyExists)
            #expect(try await createConcurrently(admin, [topic, topic]) == [.topicAlreadyExists, .topicAlreadyExists])
            #expect(await createInClosure(admin, topic) == ErrorCode.topicAlreadyExists.description)
            await admin.close()
        }
    }

    @Test func aConfigurationErrorIsCaughtByItsCode() {
        var configuration = KafkaConsumerConfiguration(groupId: "g")
        configuration.heartbeatIntervalMs = configuration.sessionTimeoutMs
        do {
            _ = try KafkaConsumer(configuration: configuration)
            Issue.record("a heartbeat interval as long as the session is refused")
        } catch let error where error.code == .invalidConfiguration {
            #expect(error.message.contains("heartbeat_interval_ms"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}
