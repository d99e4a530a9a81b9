import KafkaProtocol
import NIOCore
import SamsaTestSupport
import Testing

@testable import KafkaClient

@Suite(.tags(.pure)) struct ConnectionStateMachineTests {
    typealias Machine = ConnectionStateMachine<String>
    let later = NIODeadline.uptimeNanoseconds(10_000_000_000)

    /// A response frame as the frame decoder hands it on: correlation id, then the body.
    func apiVersionsFrame(correlationId: Int32, version: Int16, _ response: ApiVersionsResponse) -> ByteBuffer {
        var frame = ByteBuffer()
        frame.writeInteger(correlationId)
        response.encode(into: &frame, version: version)
        return frame
    }

    func responseFrame(correlationId: Int32) -> ByteBuffer {
        var frame = ByteBuffer()
        frame.writeInteger(correlationId)
        frame.writeInteger(Int16(0))
        return frame
    }

    let brokerVersions = ApiVersionsResponse(apiKeys: [
        .init(apiKey: 0, minVersion: 0, maxVersion: 9),
        .init(apiKey: 3, minVersion: 0, maxVersion: 12),
        .init(apiKey: 18, minVersion: 0, maxVersion: 3),
    ])

    func readyMachine() -> Machine {
        var machine = Machine(connectionDescription: "test broker")
        guard case .sendApiVersions(let version, let id) = machine.channelActive(deadline: later) else {
            Issue.record("expected ApiVersions")
            return machine
        }
        _ = machine.frameReceived(apiVersionsFrame(correlationId: id, version: version, brokerVersions))
        return machine
    }

    @Test func handshakeAsksForTheNewestApiVersionsFirst() {
        var machine = Machine(connectionDescription: "test broker")
        guard case .sendApiVersions(let version, let correlationId) = machine.channelActive(deadline: later) else {
            Issue.record("expected ApiVersions")
            return
        }
        #expect(version == ApiVersionsRequest.validVersions.upperBound)
        #expect(correlationId == 0)
    }

    @Test func handshakeEndsWithTheBrokersRanges() {
        var machine = Machine(connectionDescription: "test broker")
        _ = machine.channelActive(deadline: later)
        let action = machine.frameReceived(apiVersionsFrame(correlationId: 0, version: 4, brokerVersions))
        guard case .handshake(.ready(let versions)) = action else {
            Issue.record("expected ready, got \(action)")
            return
        }
        #expect(versions.ranges[.metadata] == 0...12)
        guard case .write = machine.writeRequested(apiKey: .metadata, expectsResponse: true, deadline: later, request: "m") else {
            Issue.record("a ready connection takes requests")
            return
        }
    }

    @Test func unsupportedApiVersionsRetriesAtTheBrokersMaximum() {
        var machine = Machine(connectionDescription: "test broker")
        _ = machine.channelActive(deadline: later)
        // KIP-511: the error answer is a v0 body listing the broker's ApiVersions range.
        let refusal = ApiVersionsResponse(errorCode: 35, apiKeys: [.init(apiKey: 18, minVersion: 0, maxVersion: 2)])
        let action = machine.frameReceived(apiVersionsFrame(correlationId: 0, version: 0, refusal))
        guard case .handshake(.sendApiVersions(let version, let correlationId)) = action else {
            Issue.record("expected a retry, got \(action)")
            return
        }
        #expect(version == 2)
        #expect(correlationId == 1)
        let ready = machine.frameReceived(apiVersionsFrame(correlationId: 1, version: 2, brokerVersions))
        guard case .handshake(.ready) = ready else {
            Issue.record("expected ready, got \(ready)")
            return
        }
    }

    @Test func unsupportedApiVersionsWithoutItsRangeRetriesAtVersionZero() {
        var machine = Machine(connectionDescription: "test broker")
        _ = machine.channelActive(deadline: later)
        let action = machine.frameReceived(apiVersionsFrame(correlationId: 0, version: 0, ApiVersionsResponse(errorCode: 35)))
        guard case .handshake(.sendApiVersions(0, _)) = action else {
            Issue.record("expected a v0 retry, got \(action)")
            return
        }
    }

    @Test func otherApiVersionsErrorsCloseWithTheKafkaCode() {
        var machine = Machine(connectionDescription: "test broker")
        _ = machine.channelActive(deadline: later)
        let action = machine.frameReceived(apiVersionsFrame(correlationId: 0, version: 0, ApiVersionsResponse(errorCode: 58)))
        guard case .handshake(.close(let error)) = action else {
            Issue.record("expected close, got \(action)")
            return
        }
        #expect(error.errorCode == ErrorCode(rawValue: 58))
    }

    @Test func requestsBeforeTheHandshakeFail() {
        var machine = Machine(connectionDescription: "test broker")
        _ = machine.channelActive(deadline: later)
        guard case .fail(let error) = machine.writeRequested(apiKey: .metadata, expectsResponse: true, deadline: later, request: "m") else {
            Issue.record("expected failure")
            return
        }
        #expect(error.code == .illegalState)
    }

    @Test func responsesCompleteRequestsInOrder() {
        var machine = readyMachine()
        guard case .write(let first) = machine.writeRequested(apiKey: .metadata, expectsResponse: true, deadline: later, request: "a"),
            case .write(let second) = machine.writeRequested(apiKey: .produce, expectsResponse: true, deadline: later, request: "b")
        else {
            Issue.record("expected writes")
            return
        }
        #expect(second == first + 1)
        guard case .succeed("a", _) = machine.frameReceived(responseFrame(correlationId: first)),
            case .succeed("b", _) = machine.frameReceived(responseFrame(correlationId: second))
        else {
            Issue.record("expected a then b")
            return
        }
    }

    @Test func requestsWithoutResponseAreNotAwaited() {
        var machine = readyMachine()
        guard
            case .writeWithoutResponse(let produce) = machine.writeRequested(
                apiKey: .produce, expectsResponse: false, deadline: later, request: "p"),
            case .write(let metadata) = machine.writeRequested(apiKey: .metadata, expectsResponse: true, deadline: later, request: "m")
        else {
            Issue.record("expected writes")
            return
        }
        #expect(metadata == produce + 1)
        guard case .succeed("m", _) = machine.frameReceived(responseFrame(correlationId: metadata)) else {
            Issue.record("expected m")
            return
        }
    }

    @Test func anAnswerToAnAcksZeroRequestIsDropped() {
        var machine = readyMachine()
        guard
            case .writeWithoutResponse(let produce) = machine.writeRequested(
                apiKey: .produce, expectsResponse: false, deadline: later, request: "p"),
            case .write(let metadata) = machine.writeRequested(apiKey: .metadata, expectsResponse: true, deadline: later, request: "m")
        else {
            Issue.record("expected writes")
            return
        }
        guard case .ignore = machine.frameReceived(responseFrame(correlationId: produce)),
            case .succeed("m", _) = machine.frameReceived(responseFrame(correlationId: metadata))
        else {
            Issue.record("expected the produce answer to be dropped and m to succeed")
            return
        }
    }

    @Test func unansweredMarkersAreBounded() {
        var machine = readyMachine()
        for _ in 0..<(Machine.maximumUnansweredMarkers * 2) {
            _ = machine.writeRequested(apiKey: .produce, expectsResponse: false, deadline: later, request: "p")
        }
        guard case .write(let metadata) = machine.writeRequested(apiKey: .metadata, expectsResponse: true, deadline: later, request: "m"),
            case .succeed("m", _) = machine.frameReceived(responseFrame(correlationId: metadata))
        else {
            Issue.record("expected m")
            return
        }
        #expect(machine.earliestDeadline == nil)
    }

    @Test func aResponseOutOfOrderClosesAndFailsEverything() {
        var machine = readyMachine()
        _ = machine.writeRequested(apiKey: .metadata, expectsResponse: true, deadline: later, request: "a")
        guard case .write(let second) = machine.writeRequested(apiKey: .metadata, expectsResponse: true, deadline: later, request: "b")
        else {
            Issue.record("expected write")
            return
        }
        guard case .close(let error, let failing) = machine.frameReceived(responseFrame(correlationId: second)) else {
            Issue.record("expected close")
            return
        }
        #expect(error.code == .protocolViolation)
        #expect(failing == ["a", "b"])
        guard case .fail = machine.writeRequested(apiKey: .metadata, expectsResponse: true, deadline: later, request: "c") else {
            Issue.record("a closed connection must refuse requests")
            return
        }
    }

    @Test func aResponseShorterThanItsHeaderClosesAndFailsEverything() {
        var machine = readyMachine()
        _ = machine.writeRequested(apiKey: .metadata, expectsResponse: true, deadline: later, request: "a")
        _ = machine.writeRequested(apiKey: .produce, expectsResponse: false, deadline: later, request: "acks=0")
        _ = machine.writeRequested(apiKey: .fetch, expectsResponse: true, deadline: later, request: "b")
        guard case .close(let error, let failing) = machine.frameReceived(ByteBuffer(bytes: [0, 0])) else {
            Issue.record("expected close")
            return
        }
        #expect(error.code == .protocolViolation)
        #expect(failing == ["a", "b"])
        guard case .none = machine.connectionClosed(error) else {
            Issue.record("the requests were failed once already")
            return
        }
    }

    @Test func aPassedDeadlineClosesTheConnection() {
        var machine = readyMachine()
        let soon = NIODeadline.uptimeNanoseconds(1_000)
        _ = machine.writeRequested(apiKey: .metadata, expectsResponse: true, deadline: later, request: "slow")
        _ = machine.writeRequested(apiKey: .fetch, expectsResponse: true, deadline: soon, request: "fast")
        #expect(machine.earliestDeadline == soon)
        guard case .none = machine.deadlineReached(now: .uptimeNanoseconds(500)) else {
            Issue.record("nothing is late yet")
            return
        }
        guard case .fail(let failing, let error) = machine.deadlineReached(now: .uptimeNanoseconds(2_000)) else {
            Issue.record("expected failure")
            return
        }
        #expect(failing == ["slow", "fast"])
        #expect(error.code == .requestTimedOut)
        #expect(error.isRetriable)
    }

    @Test func handshakeDeadline() {
        var machine = Machine(connectionDescription: "test broker")
        _ = machine.channelActive(deadline: .uptimeNanoseconds(1_000))
        guard case .failHandshake(let error) = machine.deadlineReached(now: .uptimeNanoseconds(1_000)) else {
            Issue.record("expected handshake failure")
            return
        }
        #expect(error.code == .requestTimedOut)
    }

    @Test func closingFailsWaitingRequestsOnce() {
        var machine = readyMachine()
        _ = machine.writeRequested(apiKey: .metadata, expectsResponse: true, deadline: later, request: "a")
        let closed = KafkaError(.connectionClosed, "gone", errorCode: .networkException)
        guard case .fail(["a"], _) = machine.connectionClosed(closed) else {
            Issue.record("expected a to fail")
            return
        }
        guard case .none = machine.connectionClosed(closed) else {
            Issue.record("expected nothing the second time")
            return
        }
    }

    @Test func highestCommonVersion() {
        let versions = BrokerApiVersions(ranges: [.fetch: 0...17, .produce: 0...2, .metadata: 1...12])
        #expect(versions.highestCommonVersion(.fetch, client: 4...12) == 12)
        #expect(versions.highestCommonVersion(.produce, client: 3...11) == nil)
        #expect(versions.highestCommonVersion(.listOffsets, client: 1...10) == nil)
        #expect((try? versions.version(for: FetchRequest.self)) == 12)
        #expect(throws: KafkaError.self) { try versions.version(for: ProduceRequest.self) }
    }
}
