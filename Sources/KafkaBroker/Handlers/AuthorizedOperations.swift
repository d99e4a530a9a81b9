/// Kafka's ACL operations with their wire codes (`AclOperation`), those a resource can be
/// authorized for.
enum AclOperation: Int8, CaseIterable, Sendable {
    case read = 3
    case write = 4
    case create = 5
    case delete = 6
    case alter = 7
    case describe = 8
    case clusterAction = 9
    case describeConfigs = 10
    case alterConfigs = 11
    case idempotentWrite = 12
}

/// The kinds of resource whose authorized operations Metadata, DescribeCluster and
/// DescribeGroups report.
enum AclResourceType: Sendable {
    case cluster
    case topic
    case group

    /// The operations Kafka 3.9 defines for the resource type (`AclEntry.supportedOperations`).
    var supportedOperations: Set<AclOperation> {
        switch self {
        case .cluster: [.create, .clusterAction, .describeConfigs, .alterConfigs, .idempotentWrite, .alter, .describe]
        case .topic: [.read, .write, .create, .describe, .delete, .alter, .describeConfigs, .alterConfigs]
        case .group: [.read, .describe, .delete]
        }
    }
}

/// The operations a client may perform on a resource, as the 32-bit field Kafka answers with
/// (bit n set for operation code n, `Utils.to32BitField`). Without an authorizer, as here, Kafka
/// allows every operation the resource type supports; an authorizer would narrow the set per
/// principal.
struct AuthorizedOperations: Equatable, Sendable {
    /// What Kafka answers when the request did not ask for the operations.
    static let notRequested = Int32.min

    let operations: Set<AclOperation>

    /// Everything `resource` supports: a broker without an authorizer.
    init(allowingEverythingOn resource: AclResourceType) {
        operations = resource.supportedOperations
    }

    var bitfield: Int32 {
        operations.reduce(0) { $0 | 1 << Int32($1.rawValue) }
    }

    /// The field for a response: the operations when the request asked for them, else `notRequested`.
    static func field(on resource: AclResourceType, requested: Bool) -> Int32 {
        requested ? AuthorizedOperations(allowingEverythingOn: resource).bitfield : notRequested
    }
}
