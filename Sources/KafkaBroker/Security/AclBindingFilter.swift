/// Why an ACL binding or filter in a request was refused; Kafka answers INVALID_REQUEST with this
/// message.
public struct AclRequestError: Error, Equatable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

/// A filter's pattern type: Kafka's ANY and MATCH besides the two a binding can have.
public enum AclPatternTypeFilter: Int8, Sendable {
    /// Any pattern type; a name must equal the binding's name.
    case any = 1
    /// Every binding that would apply to the named resource: the literal name, the literal `*`
    /// and every prefix of it.
    case match = 2
    case literal = 3
    case prefixed = 4
}

/// What DescribeAcls and DeleteAcls select (`AclBindingFilter`): nil stands for Kafka's ANY (or a
/// null string), which matches every value.
public struct AclBindingFilter: Sendable, Equatable {
    public var resourceType: AclResourceType?
    public var resourceName: String?
    public var patternType: AclPatternTypeFilter
    public var principal: String?
    public var host: String?
    public var operation: AclOperation?
    public var permission: AclPermission?

    public init(
        resourceType: AclResourceType? = nil, resourceName: String? = nil, patternType: AclPatternTypeFilter = .any,
        principal: String? = nil, host: String? = nil, operation: AclOperation? = nil, permission: AclPermission? = nil
    ) {
        self.resourceType = resourceType
        self.resourceName = resourceName
        self.patternType = patternType
        self.principal = principal
        self.host = host
        self.operation = operation
        self.permission = permission
    }

    /// Every binding.
    public static let any = AclBindingFilter()

    /// Reads a filter from its wire codes; a code Kafka calls UNKNOWN (0, or one it does not
    /// define) is refused, as Kafka refuses it.
    public init(
        resourceTypeCode: Int8, resourceName: String?, patternTypeCode: Int8, principal: String?, host: String?,
        operationCode: Int8, permissionCode: Int8
    ) throws(AclRequestError) {
        self.init(
            resourceType: try Self.anyOr(resourceTypeCode, AclResourceType.init(rawValue:), "resource type"),
            resourceName: resourceName,
            patternType: try Self.known(patternTypeCode, AclPatternTypeFilter.init(rawValue:), "pattern type"),
            principal: principal, host: host,
            operation: try Self.anyOr(operationCode, AclOperation.init(rawValue:), "operation"),
            permission: try Self.anyOr(permissionCode, AclPermission.init(rawValue:), "permission type"))
    }

    private static let anyCode: Int8 = 1

    private static func anyOr<Value>(_ code: Int8, _ make: (Int8) -> Value?, _ what: String) throws(AclRequestError) -> Value? {
        if code == anyCode { return nil }
        return try known(code, make, what)
    }

    private static func known<Value>(_ code: Int8, _ make: (Int8) -> Value?, _ what: String) throws(AclRequestError) -> Value {
        guard let value = make(code) else { throw AclRequestError(message: "Invalid \(what) \(code) in the ACL filter") }
        return value
    }

    public func matches(_ binding: AclBinding) -> Bool {
        matches(binding.pattern) && matches(binding.entry)
    }

    private func matches(_ pattern: ResourcePattern) -> Bool {
        if let resourceType, resourceType != pattern.resourceType { return false }
        switch patternType {
        case .any:
            return resourceName.map { $0 == pattern.name } ?? true
        case .match:
            return resourceName.map { pattern.covers($0) } ?? true
        case .literal, .prefixed:
            guard patternType.rawValue == pattern.patternType.rawValue else { return false }
            return resourceName.map { $0 == pattern.name } ?? true
        }
    }

    private func matches(_ entry: AccessControlEntry) -> Bool {
        (principal.map { $0 == entry.principal } ?? true) && (host.map { $0 == entry.host } ?? true)
            && (operation.map { $0 == entry.operation } ?? true) && (permission.map { $0 == entry.permission } ?? true)
    }
}

extension AclBinding {
    /// Reads a binding to create from its wire codes, refusing what Kafka refuses: ANY or MATCH or
    /// an unknown code, an empty name, a principal without a type, a CLUSTER not named
    /// `kafka-cluster`, an operation the resource type does not have.
    public init(
        resourceTypeCode: Int8, resourceName: String, patternTypeCode: Int8, principal: String, host: String,
        operationCode: Int8, permissionCode: Int8
    ) throws(AclRequestError) {
        guard let resourceType = AclResourceType(rawValue: resourceTypeCode) else {
            throw AclRequestError(message: "Invalid resourceType \(resourceTypeCode)")
        }
        guard let patternType = AclPatternType(rawValue: patternTypeCode) else {
            throw AclRequestError(message: "Invalid patternType \(patternTypeCode)")
        }
        guard let operation = AclOperation(rawValue: operationCode) else {
            throw AclRequestError(message: "Invalid operation \(operationCode)")
        }
        guard let permission = AclPermission(rawValue: permissionCode) else {
            throw AclRequestError(message: "Invalid permissionType \(permissionCode)")
        }
        guard !resourceName.isEmpty else { throw AclRequestError(message: "Resource name should not be empty") }
        guard KafkaPrincipal(parsing: principal) != nil else {
            throw AclRequestError(
                message: "Could not parse principal from `\(principal)` (no colon is present separating the principal type from name)")
        }
        if resourceType == .cluster && resourceName != ResourcePattern.clusterName {
            throw AclRequestError(message: "The only valid name for the CLUSTER resource is \(ResourcePattern.clusterName)")
        }
        if operation != .all && !resourceType.supportedOperations.contains(operation) {
            throw AclRequestError(message: "ACL binding contains an operation \(operation) that is not valid for \(resourceType)")
        }
        self.init(
            pattern: ResourcePattern(resourceType: resourceType, name: resourceName, patternType: patternType),
            entry: AccessControlEntry(principal: principal, host: host, operation: operation, permission: permission))
    }
}
