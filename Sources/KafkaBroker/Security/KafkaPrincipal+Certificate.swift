import NIOSSL

extension KafkaPrincipal {
    /// The principal Kafka's default principal builder gives a TLS client that showed a
    /// certificate: `User:` and the subject's distinguished name as Java's
    /// `X500Principal.getName(RFC2253)` prints it, most specific attribute first
    /// (`User:CN=carol,OU=Eng,O=Samsa`).
    public init(certificate: NIOSSLCertificate) {
        self.init(name: Self.rfc2253Name(certificate.subjectName))
    }

    /// The attributes in certificate order (as they are encoded) rendered in RFC 2253 order:
    /// reversed, comma-separated, with special characters escaped.
    static func rfc2253Name(_ names: [SSLCertificateName]) -> String {
        names.reversed().map { "\(attributeName($0.type))=\(escaped($0.value))" }.joined(separator: ",")
    }

    private static func attributeName(_ type: SSLCertificateNameType) -> String {
        switch type {
        case .commonName: "CN"
        case .organizationalUnit: "OU"
        case .organization: "O"
        case .city: "L"
        case .state: "ST"
        case .country: "C"
        case .userId: "UID"
        // Java prints attributes outside RFC 2253's short list by their object identifier.
        case .emailAddress: "1.2.840.113549.1.9.1"
        default: "OID"
        }
    }

    /// RFC 2253 section 2.4: `,+"\<>;` anywhere, `#` or a space first, and a space last, get a backslash.
    private static func escaped(_ value: String) -> String {
        var result = ""
        for (index, character) in value.enumerated() {
            let first = index == 0
            let last = index == value.count - 1
            if ",+\"\\<>;".contains(character) || (first && (character == "#" || character == " ")) || (last && character == " ") {
                result.append("\\")
            }
            result.append(character)
        }
        return result
    }
}
