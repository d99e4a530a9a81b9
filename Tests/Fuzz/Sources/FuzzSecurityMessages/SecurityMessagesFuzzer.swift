import FuzzSupport
import KafkaBroker
import KafkaProtocol
import KafkaScram
import NIOCore

@_cdecl("LLVMFuzzerInitialize")
public func initialize(
    _ argc: UnsafeMutablePointer<Int32>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>
) -> Int32 {
    SeedWriter.writeSeedsIfAsked { _ in SecurityMessages.seeds }
    return 0
}

/// What a SASL client or an ACL admin sends before the broker trusts it. The first byte picks the
/// part: even for SCRAM (the rest is a client-first and a client-final message, split at the first
/// NUL, given to the server side of an exchange whose user exists, and also the server messages
/// the SDK's client side parses), odd for the ACL filters and bindings of DescribeAcls, DeleteAcls
/// and CreateAcls requests (the rest is the request body, at the version the second byte names),
/// matched against and added to a fixed set of rules.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSecurityMessages(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let selector = bytes.first else { return 0 }
    if selector % 2 == 0 {
        SecurityMessages.scram(Array(bytes.dropFirst()), mechanism: selector % 4 == 0 ? .sha256 : .sha512)
    } else {
        SecurityMessages.acls(Array(bytes.dropFirst()))
    }
    return 0
}

enum SecurityMessages {
    static let user = "user"
    static let credentials = Dictionary(
        uniqueKeysWithValues: ScramMechanism.allCases.map { mechanism in
            // RFC 7677's example user; a fixed salt keeps every run alike.
            (mechanism, try! ScramCredential(mechanism: mechanism, password: "pencil", salt: Array("salt-of-user".utf8), iterations: 4096))
        })

    static func scram(_ bytes: [UInt8], mechanism: ScramMechanism) {
        let split = bytes.firstIndex(of: 0) ?? bytes.endIndex
        let clientFirst = Array(bytes[..<split])
        let clientFinal = split < bytes.endIndex ? Array(bytes[(split + 1)...]) : []
        var server = ScramServerExchange(mechanism: mechanism, serverNonce: "server-nonce")
        if (try? server.receiveClientFirst(clientFirst, credential: { $0 == user ? credentials[mechanism] : nil })) != nil {
            _ = try? server.receiveClientFinal(clientFinal)
        }
        var client = ScramClientExchange(digest: mechanism.digest, user: user, password: "pencil", clientNonce: "client-nonce")
        if (try? client.clientFinal(serverFirst: clientFirst)) != nil {
            try? client.verify(serverFinal: clientFinal)
        }
    }

    static let rules = AclRules(
        bindings: [
            AclBinding(
                pattern: ResourcePattern(resourceType: .topic, name: "orders.", patternType: .prefixed),
                entry: AccessControlEntry(principal: "User:alice", operation: .write, permission: .allow)),
            AclBinding(
                pattern: ResourcePattern(resourceType: .topic, name: "orders.secret"),
                entry: AccessControlEntry(principal: "User:*", operation: .all, permission: .deny)),
            AclBinding(
                pattern: ResourcePattern(resourceType: .group, name: "*"),
                entry: AccessControlEntry(principal: "User:alice", host: "10.0.0.1", operation: .read, permission: .allow)),
        ],
        superUsers: ["User:admin"])

    static func acls(_ bytes: [UInt8]) {
        guard let versionByte = bytes.first else { return }
        let body = ByteBuffer(bytes: bytes.dropFirst())
        var rules = Self.rules
        switch versionByte % 3 {
        case 0:
            var buffer = body
            guard let request = try? DescribeAclsRequest(from: &buffer, version: Int16(versionByte / 3 % 4)) else { return }
            if let filter = try? AclBindingFilter(
                resourceTypeCode: request.resourceTypeFilter, resourceName: request.resourceNameFilter,
                patternTypeCode: request.patternTypeFilter, principal: request.principalFilter, host: request.hostFilter,
                operationCode: request.operation, permissionCode: request.permissionType)
            {
                _ = rules.bindings(matching: filter)
            }
        case 1:
            var buffer = body
            guard let request = try? DeleteAclsRequest(from: &buffer, version: Int16(versionByte / 3 % 4)) else { return }
            for wire in request.filters {
                if let filter = try? AclBindingFilter(
                    resourceTypeCode: wire.resourceTypeFilter, resourceName: wire.resourceNameFilter,
                    patternTypeCode: wire.patternTypeFilter, principal: wire.principalFilter, host: wire.hostFilter,
                    operationCode: wire.operation, permissionCode: wire.permissionType)
                {
                    _ = rules.remove(matching: filter)
                }
            }
        default:
            var buffer = body
            guard let request = try? CreateAclsRequest(from: &buffer, version: Int16(versionByte / 3 % 4)) else { return }
            for creation in request.creations {
                guard
                    let binding = try? AclBinding(
                        resourceTypeCode: creation.resourceType, resourceName: creation.resourceName,
                        patternTypeCode: creation.resourcePatternType, principal: creation.principal, host: creation.host,
                        operationCode: creation.operation, permissionCode: creation.permissionType)
                else { continue }
                _ = rules.add([binding])
                if let principal = KafkaPrincipal(parsing: binding.entry.principal) {
                    _ = rules.authorizedOperations(
                        principal, host: binding.entry.host, resourceType: binding.pattern.resourceType,
                        resourceName: binding.pattern.name)
                    _ = rules.authorizeAnyResource(
                        principal, host: binding.entry.host, operation: binding.entry.operation,
                        resourceType: binding.pattern.resourceType)
                }
            }
        }
    }

    /// RFC 7677's client messages and one ACL request of each kind.
    static var seeds: [(name: String, bytes: [UInt8])] {
        let scram = Array("n,,n=user,r=client-nonce".utf8) + [0] + Array("c=biws,r=client-nonceserver-nonce,p=AAAA".utf8)
        func acl<Request: KafkaRequestMessage>(_ selector: UInt8, _ request: Request) -> [UInt8] {
            var buffer = ByteBuffer()
            request.encode(into: &buffer, version: 3)
            return [1, selector] + Array(buffer: buffer)
        }
        return [
            ("scram-sha-256", [0] + scram), ("scram-sha-512", [2] + scram),
            (
                "describe-acls",
                acl(
                    9,
                    DescribeAclsRequest(
                        resourceTypeFilter: 2, resourceNameFilter: "orders.eu", patternTypeFilter: 2, principalFilter: nil,
                        hostFilter: nil, operation: 1, permissionType: 1))
            ),
            (
                "delete-acls",
                acl(
                    10,
                    DeleteAclsRequest(filters: [
                        .init(
                            resourceTypeFilter: 2, resourceNameFilter: nil, patternTypeFilter: 4, principalFilter: "User:alice",
                            hostFilter: nil, operation: 1, permissionType: 1)
                    ]))
            ),
            (
                "create-acls",
                acl(
                    11,
                    CreateAclsRequest(creations: [
                        .init(
                            resourceType: 2, resourceName: "orders.", resourcePatternType: 4, principal: "User:bob", host: "*",
                            operation: 4, permissionType: 3)
                    ]))
            ),
        ]
    }
}
