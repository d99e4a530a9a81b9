import KafkaRecords
import NIOCore
import SamsaTestSupport
import Testing

@Suite(.tags(.pure)) struct CRC32Tests {
    @Test func checkValueOfTheStandardTestString() {
        #expect(CRC32.checksum(ByteBuffer(string: "123456789")) == 0xCBF4_3926)
    }

    @Test func chainingEqualsOneChecksumOverTheConcatenation() {
        let first = ByteBuffer(string: "12345")
        let second = ByteBuffer(string: "6789")
        #expect(CRC32.checksum(second, initial: CRC32.checksum(first)) == 0xCBF4_3926)
    }

    @Test func emptyInputLeavesTheChecksumAsItWas() {
        #expect(CRC32.checksum(ByteBuffer()) == 0)
        #expect(CRC32.checksum(ByteBuffer(), initial: 0x1234_5678) == 0x1234_5678)
    }
}
