import KafkaRecords
import NIOCore
import Testing

/// Every entry of a message set, through the view.
func entries(
    of messageSet: ByteBuffer, verifyingChecksums: Bool = true
) throws(RecordBatchError) -> [RecordBatchView.Entry] {
    var view = RecordBatchView(messageSet, verifyingChecksums: verifyingChecksums)
    var entries: [RecordBatchView.Entry] = []
    while let entry = try view.next() {
        entries.append(entry)
    }
    return entries
}

/// The single complete v2 batch in `bytes`.
func onlyBatch(in bytes: ByteBuffer) throws -> RecordBatch {
    let all = try entries(of: bytes)
    guard all.count == 1, case .batch(let batch) = all[0] else {
        Issue.record("expected exactly one v2 batch, got \(all)")
        throw RecordBatchError(.invalidRecord, "test expectation")
    }
    return batch
}

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

/// Checks every prefix of `messageSet`, as a Fetch size limit could cut it: the view yields the
/// whole entries in the prefix, then `.incomplete` with the rest unless the prefix ends on an entry
/// boundary, and never throws.
func expectEveryPrefixFramesCleanly(_ messageSet: ByteBuffer) throws {
    // Entry boundaries, from each entry's size field (bytes 8..<12 of the entry).
    var boundaries: [Int] = [0]
    while boundaries.last! < messageSet.readableBytes {
        let size = messageSet.getInteger(at: messageSet.readerIndex + boundaries.last! + 8, as: Int32.self)!
        boundaries.append(boundaries.last! + 12 + Int(size))
    }
    for length in 0..<messageSet.readableBytes {
        let prefix = messageSet.getSlice(at: messageSet.readerIndex, length: length)!
        let found = try entries(of: prefix)
        let wholeEntries = boundaries.lastIndex { $0 <= length }!
        let endsOnBoundary = boundaries.contains(length)
        #expect(found.count == wholeEntries + (endsOnBoundary ? 0 : 1), "prefix of \(length) bytes")
        for entry in found.prefix(wholeEntries) {
            if case .incomplete = entry { Issue.record("prefix of \(length) bytes: .incomplete before the end") }
        }
        if !endsOnBoundary {
            if case .incomplete(let rest)? = found.last {
                #expect(rest.readableBytes == length - boundaries[wholeEntries], "prefix of \(length) bytes")
            } else {
                Issue.record("prefix of \(length) bytes did not end in .incomplete")
            }
        }
    }
}

extension ByteBuffer {
    /// Recomputes the CRC-32C of the v2 batch at the reader index after a test edited covered bytes.
    mutating func fixRecordBatchChecksum() {
        let crc = withUnsafeReadableBytes { CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[21...])) }
        setInteger(crc, at: readerIndex + 17)
    }
}
