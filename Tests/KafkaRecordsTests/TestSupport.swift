import KafkaRecords
import Testing

/// Runs `body` and returns the code of the `RecordBatchError` it throws (nil if it does not throw).
func errorCode<T>(_ body: () throws -> T) -> RecordBatchError.Code? {
    do {
        _ = try body()
        return nil
    } catch let error as RecordBatchError {
        return error.code
    } catch {
        Issue.record("threw \(error), not a RecordBatchError")
        return nil
    }
}
