import KafkaProtocol
import SamsaTestSupport
import Testing

@testable import KafkaClient

/// The transactional producer's client-side states, as Kafka's TransactionManager has them.
@Suite(.tags(.pure)) struct ProducerTransactionStateTests {
    let orders = TopicPartition(topic: "orders", partition: 0)

    func ready() throws -> ProducerTransactionState {
        var state = ProducerTransactionState()
        try state.startInitializing()
        state.initialized()
        return state
    }

    func broker(_ code: ErrorCode) -> KafkaError {
        KafkaError.broker(code, "test")!
    }

    @Test func nothingButInitTransactionsIsAllowedBeforeIt() throws {
        var state = ProducerTransactionState()
        #expect(throws: KafkaError.self) { try state.begin() }
        #expect(throws: KafkaError.self) { try state.needsAdding(orders) }
        #expect(throws: KafkaError.self) { try state.startCommit() }
        #expect(throws: KafkaError.self) { try state.startAbort() }
        try state.startInitializing()
        state.initialized()
        #expect(state.phase == .ready)
        let again = #expect(throws: KafkaError.self) { try state.startInitializing() }
        #expect(again?.code == .illegalState)
    }

    @Test func aFailedInitTransactionsMayBeCalledAgainUnlessFatal() throws {
        var state = ProducerTransactionState()
        try state.startInitializing()
        state.initializationFailed(broker(.coordinatorNotAvailable))
        try state.startInitializing()
        state.initializationFailed(broker(.transactionalIdAuthorizationFailed))
        #expect(state.phase == .fatalError)
        let error = #expect(throws: KafkaError.self) { try state.startInitializing() }
        #expect(error?.code == .illegalState)
    }

    @Test func aPartitionJoinsOnceAndTheTransactionEndsEmpty() throws {
        var state = try ready()
        #expect(throws: KafkaError.self) { try state.needsAdding(orders) }
        try state.begin()
        #expect(throws: KafkaError.self) { try state.begin() }
        #expect(!state.reachedCoordinator)
        #expect(try state.needsAdding(orders))
        state.added([orders])
        #expect(try !state.needsAdding(orders))
        #expect(try state.needsAdding(group: "copiers"))
        state.added(group: "copiers")
        #expect(try !state.needsAdding(group: "copiers"))
        #expect(state.reachedCoordinator)
        try state.startCommit()
        #expect(throws: KafkaError.self) { try state.needsAdding(orders) }
        state.completed()
        #expect(state.phase == .ready)
        #expect(!state.reachedCoordinator, "the next transaction adds its partitions again")
    }

    @Test func aFailedRecordMakesTheTransactionAbortableAndAbortRecovers() throws {
        var state = try ready()
        try state.begin()
        state.added([orders])
        state.batchFailed(broker(.requestTimedOut))
        #expect(state.phase == .abortableError)
        let refused = #expect(throws: KafkaError.self) { try state.startCommit() }
        #expect(refused?.errorCode == .requestTimedOut)
        #expect(refused?.message.contains("must be aborted") == true)
        #expect(throws: KafkaError.self) { try state.needsAdding(orders) }
        try state.startAbort()
        state.completed()
        try state.begin()
        #expect(state.phase == .inTransaction)
    }

    @Test(arguments: [ErrorCode.producerFenced, .invalidProducerEpoch, .transactionalIdAuthorizationFailed, .invalidTxnState])
    func fencingAndAuthorizationEndTheProducer(code: ErrorCode) throws {
        var state = try ready()
        try state.begin()
        state.failed(broker(code))
        #expect(state.phase == .fatalError)
        let abort = #expect(throws: KafkaError.self) { try state.startAbort() }
        let commit = #expect(throws: KafkaError.self) { try state.startCommit() }
        let begin = #expect(throws: KafkaError.self) { try state.begin() }
        #expect([abort, commit, begin].map { $0?.errorCode } == [code, code, code], "every later call throws the fatal error")
    }

    @Test func aFencedBatchEndsTheProducer() throws {
        var state = try ready()
        try state.begin()
        state.batchFailed(broker(.producerFenced))
        #expect(state.phase == .fatalError)
    }

    @Test func aRetriableErrorDuringCommitLeavesTheCommitToBeCalledAgain() throws {
        var state = try ready()
        try state.begin()
        state.added([orders])
        try state.startCommit()
        state.failed(broker(.concurrentTransactions))
        #expect(state.phase == .committing)
        try state.startCommit()
        state.failed(broker(.unknownServerError))
        #expect(state.phase == .abortableError)
    }

    @Test func errorsAreClassifiedAsKafkasClientsDo() {
        let severity = ProducerTransactionState.severity(of:)
        for code in [ErrorCode.coordinatorLoadInProgress, .notCoordinator, .coordinatorNotAvailable, .concurrentTransactions] {
            #expect(severity(broker(code)) == .retriable, "\(code)")
        }
        for code in [ErrorCode.producerFenced, .invalidProducerEpoch, .transactionalIdAuthorizationFailed, .fencedInstanceId] {
            #expect(severity(broker(code)) == .fatal, "\(code)")
        }
        for code in [ErrorCode.unknownMemberId, .illegalGeneration, .topicAuthorizationFailed, .outOfOrderSequenceNumber] {
            #expect(severity(broker(code)) == .abortable, "\(code)")
        }
        #expect(severity(KafkaError(.connectionClosed, "gone")) == .retriable)
        #expect(severity(KafkaError(.unsupportedVersion, "old broker")) == .fatal)
    }
}
