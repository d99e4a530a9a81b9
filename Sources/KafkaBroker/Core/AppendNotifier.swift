import KafkaStorage
import Synchronization

/// Wakes parked fetches when data is appended to a partition they wait on: a long-poll fetch
/// is answered by the append that satisfies it, not by polling.
///
/// Every append gets a sequence number. A fetch takes `currentSequence` before it reads, and
/// `waitForAppend(to:after:timeout:)` returns at once if one of its partitions got an append since,
/// so an append that lands between the read and the wait is not missed.
final class AppendNotifier: Sendable {
    private struct State {
        var sequence: UInt64 = 0
        var lastAppend: [TopicPartition: UInt64] = [:]
        var nextWaiterId: UInt64 = 0
        var waiters: [UInt64: Waiter] = [:]
        /// Waiters resumed (by timeout) before they started waiting.
        var resumedEarly: Set<UInt64> = []
    }

    private struct Waiter {
        var partitions: [TopicPartition]
        var continuation: CheckedContinuation<Void, Never>?
    }

    private let state = Mutex(State())

    var currentSequence: UInt64 { state.withLock { $0.sequence } }

    /// How many fetches wait for an append now, for tests that must act only once a fetch is parked.
    var waitingFetchCount: Int { state.withLock { $0.waiters.count } }

    /// Returns when one of the partitions gets an append after `sequence`, or after `timeout`.
    func waitForAppend(to partitions: [TopicPartition], after sequence: UInt64, timeout: Duration) async {
        let id: UInt64? = state.withLock { state in
            if partitions.contains(where: { (state.lastAppend[$0] ?? 0) > sequence }) { return nil }
            state.nextWaiterId += 1
            state.waiters[state.nextWaiterId] = Waiter(partitions: partitions, continuation: nil)
            return state.nextWaiterId
        }
        guard let id else { return }
        let timer = Task {
            try? await Task.sleep(for: timeout)
            self.wake(id)
        }
        await withCheckedContinuation { continuation in
            let resumeNow = state.withLock { state -> Bool in
                if state.resumedEarly.remove(id) != nil { return true }
                state.waiters[id]?.continuation = continuation
                return false
            }
            if resumeNow { continuation.resume() }
        }
        timer.cancel()
    }

    /// Records an append and wakes every fetch waiting on the partition.
    func notifyAppend(to partition: TopicPartition) {
        let ids = state.withLock { state -> [UInt64] in
            state.sequence += 1
            state.lastAppend[partition] = state.sequence
            return state.waiters.filter { $0.value.partitions.contains(partition) }.map(\.key)
        }
        for id in ids { wake(id) }
    }

    private func wake(_ id: UInt64) {
        let continuation = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard let waiter = state.waiters.removeValue(forKey: id) else { return nil }
            if waiter.continuation == nil { state.resumedEarly.insert(id) }
            return waiter.continuation
        }
        continuation?.resume()
    }
}
