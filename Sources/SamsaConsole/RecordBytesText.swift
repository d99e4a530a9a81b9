import NIOCore

/// A record key, value or header value as the topic page shows it: the text when the bytes are
/// printable UTF-8, else hex; cut after `limit` bytes so that one large record cannot swell a page.
enum RecordBytesText {
    static let limit = 256

    /// The HTML for the bytes: escaped text, `<span class="hex">` hex, or a muted "null".
    static func html(_ bytes: ByteBuffer?) -> String {
        guard let bytes else { return #"<span class="muted">null</span>"# }
        let shown = bytes.getBytes(at: bytes.readerIndex, length: min(bytes.readableBytes, limit)) ?? []
        let cut = bytes.readableBytes > limit ? #" <span class="muted">… (\#(DisplayFormat.bytes(Int64(bytes.readableBytes))))</span>"# : ""
        if let text = printableText(shown, cut: bytes.readableBytes > limit) {
            return HTMLText.escape(text) + cut
        }
        let hex = shown.map { byte in (byte < 16 ? "0" : "") + String(byte, radix: 16) }.joined(separator: " ")
        return #"<span class="hex">\#(hex)</span>"# + cut
    }

    /// The text, if the bytes are UTF-8 without control characters other than tab and newlines.
    /// A cut may split a character at the end; the incomplete tail is dropped then.
    private static func printableText(_ bytes: [UInt8], cut: Bool) -> String? {
        var bytes = bytes[...]
        var text = String(validating: bytes, as: UTF8.self)
        while text == nil && cut && !bytes.isEmpty && bytes.count > limit - 4 {
            bytes = bytes.dropLast()
            text = String(validating: bytes, as: UTF8.self)
        }
        guard let text else { return nil }
        let isPrintable = text.unicodeScalars.allSatisfy { scalar in
            scalar == "\t" || scalar == "\n" || scalar == "\r" || !(scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value))
        }
        return isPrintable ? text : nil
    }
}
