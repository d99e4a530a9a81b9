/// Kafka's ACL operations with their wire codes (`AclOperation`). `all` matches every operation in
/// a binding; a filter's ANY (1) is a nil operation.
public enum AclOperation: Int8, CaseIterable, Sendable, Codable {
    case all = 2
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
    case createTokens = 13
    case describeTokens = 14

    /// The operations an ALLOW for this one also allows, besides itself (Kafka's implication rules).
    var impliedOperations: Set<AclOperation> {
        switch self {
        case .read, .write, .delete, .alter: [.describe]
        case .alterConfigs: [.describeConfigs]
        default: []
        }
    }
}

/// Kafka's resource types with their wire codes (`ResourceType`); a filter's ANY (1) is nil.
public enum AclResourceType: Int8, CaseIterable, Sendable, Codable {
    case topic = 2
    case group = 3
    case cluster = 4
    case transactionalId = 5
    case delegationToken = 6
    case user = 7

    /// The operations Kafka 3.9 defines for the resource type (`AclEntry.supportedOperations`).
    var supportedOperations: Set<AclOperation> {
        switch self {
        case .cluster: [.create, .clusterAction, .describeConfigs, .alterConfigs, .idempotentWrite, .alter, .describe]
        case .topic: [.read, .write, .create, .describe, .delete, .alter, .describeConfigs, .alterConfigs]
        case .group: [.read, .describe, .delete]
        case .transactionalId: [.describe, .write]
        case .delegationToken: [.describe]
        case .user: [.createTokens, .describeTokens]
        }
    }
}

/// How a binding's resource name is read (`PatternType`): the exact name (or `*`, every name),
/// or a prefix of names.
public enum AclPatternType: Int8, Sendable, Codable {
    case literal = 3
    case prefixed = 4
}

/// ALLOW or DENY (`AclPermissionType`); a filter's ANY (1) is nil.
public enum AclPermission: Int8, Sendable, Codable {
    case deny = 2
    case allow = 3
}

/// The resource named in an ACL binding: a type, a name and how the name matches.
public struct ResourcePattern: Hashable, Sendable, Codable {
    public var resourceType: AclResourceType
    public var name: String
    public var patternType: AclPatternType

    public init(resourceType: AclResourceType, name: String, patternType: AclPatternType = .literal) {
        self.resourceType = resourceType
        self.name = name
        self.patternType = patternType
    }

    /// The literal name that stands for every resource of a type.
    public static let wildcardName = "*"
    /// The only name a CLUSTER resource has.
    public static let clusterName = "kafka-cluster"

    /// Whether this pattern covers the resource `name` of its type.
    func covers(_ resourceName: String) -> Bool {
        switch patternType {
        case .literal: name == resourceName || name == Self.wildcardName
        case .prefixed: resourceName.hasPrefix(name)
        }
    }
}

/// Who may or may not do what from where: the half of a binding that is not the resource.
public struct AccessControlEntry: Hashable, Sendable, Codable {
    /// `Type:name`, or `User:*` for every user.
    public var principal: String
    /// A client address, or `*` for every host.
    public var host: String
    public var operation: AclOperation
    public var permission: AclPermission

    public init(principal: String, host: String = "*", operation: AclOperation, permission: AclPermission) {
        self.principal = principal
        self.host = host
        self.operation = operation
        self.permission = permission
    }

    static let wildcardPrincipal = "User:*"
    static let wildcardHost = "*"

    func applies(to principal: KafkaPrincipal, host clientHost: String) -> Bool {
        (self.principal == Self.wildcardPrincipal && principal.type == "User" || self.principal == principal.description)
            && (host == Self.wildcardHost || host == clientHost)
    }
}

/// One ACL: an entry attached to a resource pattern.
public struct AclBinding: Hashable, Sendable, Codable {
    public var pattern: ResourcePattern
    public var entry: AccessControlEntry

    public init(pattern: ResourcePattern, entry: AccessControlEntry) {
        self.pattern = pattern
        self.entry = entry
    }
}
