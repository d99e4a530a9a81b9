/// Kafka's ACL resource types (`ResourceType`), with `any` for filters.
public struct KafkaAclResourceType: RawRepresentable, Hashable, Sendable {
    public let rawValue: Int8
    public init(rawValue: Int8) { self.rawValue = rawValue }

    public static let any = KafkaAclResourceType(rawValue: 1)
    public static let topic = KafkaAclResourceType(rawValue: 2)
    public static let group = KafkaAclResourceType(rawValue: 3)
    public static let cluster = KafkaAclResourceType(rawValue: 4)
    public static let transactionalId = KafkaAclResourceType(rawValue: 5)
    public static let delegationToken = KafkaAclResourceType(rawValue: 6)
    public static let user = KafkaAclResourceType(rawValue: 7)
}

/// How a binding's resource name matches (`PatternType`); `any` and `match` only in filters.
public struct KafkaAclPatternType: RawRepresentable, Hashable, Sendable {
    public let rawValue: Int8
    public init(rawValue: Int8) { self.rawValue = rawValue }

    public static let any = KafkaAclPatternType(rawValue: 1)
    public static let match = KafkaAclPatternType(rawValue: 2)
    public static let literal = KafkaAclPatternType(rawValue: 3)
    public static let prefixed = KafkaAclPatternType(rawValue: 4)
}

/// Kafka's ACL operations (`AclOperation`), with `any` for filters.
public struct KafkaAclOperation: RawRepresentable, Hashable, Sendable {
    public let rawValue: Int8
    public init(rawValue: Int8) { self.rawValue = rawValue }

    public static let any = KafkaAclOperation(rawValue: 1)
    public static let all = KafkaAclOperation(rawValue: 2)
    public static let read = KafkaAclOperation(rawValue: 3)
    public static let write = KafkaAclOperation(rawValue: 4)
    public static let create = KafkaAclOperation(rawValue: 5)
    public static let delete = KafkaAclOperation(rawValue: 6)
    public static let alter = KafkaAclOperation(rawValue: 7)
    public static let describe = KafkaAclOperation(rawValue: 8)
    public static let clusterAction = KafkaAclOperation(rawValue: 9)
    public static let describeConfigs = KafkaAclOperation(rawValue: 10)
    public static let alterConfigs = KafkaAclOperation(rawValue: 11)
    public static let idempotentWrite = KafkaAclOperation(rawValue: 12)
}

/// ALLOW or DENY (`AclPermissionType`), with `any` for filters.
public struct KafkaAclPermissionType: RawRepresentable, Hashable, Sendable {
    public let rawValue: Int8
    public init(rawValue: Int8) { self.rawValue = rawValue }

    public static let any = KafkaAclPermissionType(rawValue: 1)
    public static let deny = KafkaAclPermissionType(rawValue: 2)
    public static let allow = KafkaAclPermissionType(rawValue: 3)
}

/// One ACL, as kafka-python's `ACL` and Java's `AclBinding`: who (`principal`, `host` or `*`)
/// may or may not (`permissionType`) do what (`operation`) on which resources.
public struct KafkaAclBinding: Hashable, Sendable {
    /// The kind of resource: a topic, a group, the cluster, a transactional id.
    public var resourceType: KafkaAclResourceType
    /// The resource's name (`kafka-cluster` for the cluster), or a prefix with `.prefixed`.
    public var resourceName: String
    /// Whether `resourceName` is the whole name (`.literal`, where `*` means every resource) or a prefix.
    public var patternType: KafkaAclPatternType
    /// Who: `User:alice`, or `User:*` for everyone.
    public var principal: String
    /// From where: an IP address, or `*` for anywhere.
    public var host: String
    public var operation: KafkaAclOperation
    /// Whether the binding allows or denies the operation; a DENY wins over any ALLOW.
    public var permissionType: KafkaAclPermissionType

    public init(
        resourceType: KafkaAclResourceType, resourceName: String, patternType: KafkaAclPatternType = .literal, principal: String,
        host: String = "*", operation: KafkaAclOperation, permissionType: KafkaAclPermissionType
    ) {
        self.resourceType = resourceType
        self.resourceName = resourceName
        self.patternType = patternType
        self.principal = principal
        self.host = host
        self.operation = operation
        self.permissionType = permissionType
    }
}

/// What `describeAcls` and `deleteAcls` select, as kafka-python's `ACLFilter`: `any` values and
/// nil strings match everything; `match` selects every binding that applies to the named resource.
public struct KafkaAclBindingFilter: Hashable, Sendable {
    /// `.any`, or the kind of resource the bindings must have.
    public var resourceType: KafkaAclResourceType
    /// Nil for any name.
    public var resourceName: String?
    /// `.any`, `.match` (every binding that applies to `resourceName`), `.literal` or `.prefixed`.
    public var patternType: KafkaAclPatternType
    /// Nil for any principal.
    public var principal: String?
    /// Nil for any host.
    public var host: String?
    public var operation: KafkaAclOperation
    public var permissionType: KafkaAclPermissionType

    public init(
        resourceType: KafkaAclResourceType = .any, resourceName: String? = nil, patternType: KafkaAclPatternType = .any,
        principal: String? = nil, host: String? = nil, operation: KafkaAclOperation = .any, permissionType: KafkaAclPermissionType = .any
    ) {
        self.resourceType = resourceType
        self.resourceName = resourceName
        self.patternType = patternType
        self.principal = principal
        self.host = host
        self.operation = operation
        self.permissionType = permissionType
    }
}
