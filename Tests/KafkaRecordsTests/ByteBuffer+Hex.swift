import NIOCore

extension ByteBuffer {
    /// Bytes written as hex in the tests (from `bytes.hex()` in Python); traps on bad hex since the
    /// literals are fixed test data.
    init(hex: String) {
        precondition(hex.count.isMultiple(of: 2), "odd number of hex digits")
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            bytes.append(UInt8(hex[index..<next], radix: 16)!)
            index = next
        }
        self.init(bytes: bytes)
    }

    var hexString: String {
        readableBytesView.map { String($0, radix: 16).leftPadded(to: 2) }.joined()
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}
