import KafkaRecords
import NIOCore
import SamsaTestSupport
import Testing

@Suite(.tags(.pure)) struct CRC32CTests {
    @Test func checkValueOfTheStandardTestString() {
        let checksum = Array("123456789".utf8).withUnsafeBytes { CRC32C.checksum($0) }
        #expect(checksum == 0xE306_9283)
        let tableChecksum = Array("123456789".utf8).withUnsafeBytes { CRC32C.checksum($0, implementation: .table) }
        #expect(tableChecksum == 0xE306_9283)
    }

    @Test func thisMachineUsesTheCRC32Instruction() {
        // Everything this project runs on is x86-64 with SSE4.2; if not, the comparisons below
        // would compare the table with itself.
        #expect(CRC32C.isHardwareAccelerated)
    }

    @Test func hardwareAndTablePathsAgreeOnEveryLengthUpTo4097() {
        var generator = SystemRandomNumberGenerator()
        let data = (0..<4097).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        data.withUnsafeBytes { all in
            for length in 0...4097 {
                // Start at an odd address too, so the 8-byte loads are unaligned.
                for start in [0, 1] where start + length <= all.count {
                    let bytes = UnsafeRawBufferPointer(rebasing: all[start..<(start + length)])
                    #expect(CRC32C.checksum(bytes) == CRC32C.checksum(bytes, implementation: .table))
                }
            }
        }
    }

    @Test func chainingEqualsOneChecksumOverTheConcatenation() {
        let data = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        data.withUnsafeBytes { all in
            let whole = CRC32C.checksum(all)
            for split in [0, 1, 7, 8, 9, 500, 999, 1000] {
                let first = UnsafeRawBufferPointer(rebasing: all[..<split])
                let second = UnsafeRawBufferPointer(rebasing: all[split...])
                #expect(CRC32C.checksum(second, initial: CRC32C.checksum(first)) == whole)
                let firstByTable = CRC32C.checksum(first, implementation: .table)
                #expect(CRC32C.checksum(second, initial: firstByTable, implementation: .table) == whole)
            }
        }
    }

    @Test func byteBufferChecksumCoversOnlyTheReadableBytes() {
        var buffer = ByteBuffer(string: "xx123456789")
        buffer.moveReaderIndex(forwardBy: 2)
        #expect(CRC32C.checksum(buffer) == 0xE306_9283)
    }
}
