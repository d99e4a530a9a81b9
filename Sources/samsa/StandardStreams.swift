#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes straight to file descriptors 1 and 2, unbuffered, so that output interleaves with a
/// child process's reader the way Kafka's tools flush it, and no global `FILE*` is shared across
/// tasks.
enum StandardStreams {
    static func out(_ text: String) { send(text, to: 1) }
    static func err(_ text: String) { send(text, to: 2) }

    /// Record bytes as they are, without a detour through `String` that would alter non-UTF-8 data.
    static func out(bytes: [UInt8]) {
        bytes.withUnsafeBytes { send($0, to: 1) }
    }

    private static func send(_ text: String, to descriptor: Int32) {
        var text = text
        text.withUTF8 { send(UnsafeRawBufferPointer($0), to: descriptor) }
    }

    private static func send(_ bytes: UnsafeRawBufferPointer, to descriptor: Int32) {
        var offset = 0
        while offset < bytes.count {
            let written = write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                return  // a closed pipe: nobody is reading any more
            }
            offset += written
        }
    }

    /// Whether standard input is a terminal (the console producer shows its `>` prompt only then).
    static var inputIsTerminal: Bool { isatty(0) == 1 }
}
