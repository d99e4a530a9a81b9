import Synchronization

/// How many records the delivery reports said were not delivered.
final class FailedDeliveries: Sendable {
    let count = Atomic(0)
}
