import FuzzSupport
import KafkaRecords
import NIOCore

@_cdecl("LLVMFuzzerInitialize")
public func initialize(
    _ argc: UnsafeMutablePointer<Int32>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>
) -> Int32 {
    SeedWriter.writeSeedsIfAsked(\.recordSets)
    return 0
}

/// Reads every entry of a message set (v2 batches, legacy v0/v1 messages, compressed or not)
/// and decodes its records, as a produce's validation and a consumer do: once as given (the
/// checksums mostly fail), once with the v2 checksums repaired so the records and codecs behind
/// them are reached. Decompression is capped at 1 MiB to keep each run short.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRecordBatchReader(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let input = ByteBuffer(bytes: UnsafeBufferPointer(start: data, count: size))
    for (bytes, verifying) in [(input, true), (ChecksumRepair.repaired(input), true), (input, false)] {
        var view = RecordBatchView(bytes, verifyingChecksums: verifying)
        for _ in 0..<64 {
            guard let entry = try? view.next() else { break }
            switch entry {
            case .batch(let batch):
                _ = try? batch.decodedRecords(decompressionLimit: 1 << 20)
            case .legacyMessage(let message):
                _ = try? message.decodedRecords(decompressionLimit: 1 << 20)
            case .incomplete:
                break
            }
        }
    }
    return 0
}
