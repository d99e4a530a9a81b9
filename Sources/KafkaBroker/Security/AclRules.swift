/// Kafka's authorization semantics over a set of ACL bindings, without I/O: `super.users` may do
/// everything; a matching DENY wins over any ALLOW; otherwise a matching ALLOW (of the operation,
/// of ALL, or of one that implies it) is needed; a resource no binding covers at all is allowed
/// only with `allow.everyone.if.no.acl.found`.
public struct AclRules: Sendable, Equatable {
    public private(set) var bindings: Set<AclBinding>
    public var superUsers: Set<String>
    public var allowEveryoneIfNoAclFound: Bool

    public init(bindings: Set<AclBinding> = [], superUsers: Set<String> = [], allowEveryoneIfNoAclFound: Bool = false) {
        self.bindings = bindings
        self.superUsers = superUsers
        self.allowEveryoneIfNoAclFound = allowEveryoneIfNoAclFound
    }

    /// Adds the bindings; returns those that were not there yet.
    @discardableResult
    public mutating func add(_ newBindings: [AclBinding]) -> [AclBinding] {
        newBindings.filter { bindings.insert($0).inserted }
    }

    /// Removes and returns every binding the filter matches.
    public mutating func remove(matching filter: AclBindingFilter) -> [AclBinding] {
        let removed = bindings.filter(filter.matches)
        bindings.subtract(removed)
        return removed.sorted(by: Self.displayOrder)
    }

    public func bindings(matching filter: AclBindingFilter) -> [AclBinding] {
        bindings.filter(filter.matches).sorted(by: Self.displayOrder)
    }

    /// Whether `principal` connected from `host` may perform `operation` on the named resource.
    public func authorize(
        _ principal: KafkaPrincipal, host: String, operation: AclOperation, resourceType: AclResourceType, resourceName: String
    ) -> Bool {
        if superUsers.contains(principal.description) { return true }
        let covering = bindings.filter { $0.pattern.resourceType == resourceType && $0.pattern.covers(resourceName) }
        if covering.isEmpty { return allowEveryoneIfNoAclFound }
        let applying = covering.filter { $0.entry.applies(to: principal, host: host) }
        if applying.contains(where: { $0.entry.permission == .deny && Self.denies($0.entry.operation, operation) }) {
            return false
        }
        return applying.contains { $0.entry.permission == .allow && Self.allows($0.entry.operation, operation) }
    }

    /// Whether some resource of the type may be the object of `operation`, as Kafka's
    /// `authorizeByResourceType` answers (an idempotent producer's InitProducerId with WRITE on
    /// any topic): an ALLOW on some pattern that no DENY of a covering pattern cancels.
    public func authorizeAnyResource(
        _ principal: KafkaPrincipal, host: String, operation: AclOperation, resourceType: AclResourceType
    ) -> Bool {
        if superUsers.contains(principal.description) { return true }
        let ofType = bindings.filter { $0.pattern.resourceType == resourceType }
        if ofType.isEmpty { return allowEveryoneIfNoAclFound }
        let applying = ofType.filter { $0.entry.applies(to: principal, host: host) && Self.denies($0.entry.operation, operation) }
        let denials = applying.filter { $0.entry.permission == .deny }.map(\.pattern)
        return applying.contains { allowed in
            allowed.entry.permission == .allow && !denials.contains { Self.pattern($0, covers: allowed.pattern) }
        }
    }

    /// The operations of the resource type that `principal` may perform on the named resource.
    public func authorizedOperations(
        _ principal: KafkaPrincipal, host: String, resourceType: AclResourceType, resourceName: String
    ) -> Set<AclOperation> {
        resourceType.supportedOperations.filter {
            authorize(principal, host: host, operation: $0, resourceType: resourceType, resourceName: resourceName)
        }
    }

    /// A DENY names the operation itself or ALL; it does not spread to implied operations.
    private static func denies(_ aclOperation: AclOperation, _ operation: AclOperation) -> Bool {
        aclOperation == .all || aclOperation == operation
    }

    private static func allows(_ aclOperation: AclOperation, _ operation: AclOperation) -> Bool {
        denies(aclOperation, operation) || aclOperation.impliedOperations.contains(operation)
    }

    /// Whether every name `inner` covers is also covered by `outer`.
    private static func pattern(_ outer: ResourcePattern, covers inner: ResourcePattern) -> Bool {
        switch (outer.patternType, inner.patternType) {
        case (.literal, _) where outer.name == ResourcePattern.wildcardName: true
        case (.literal, .literal): outer.name == inner.name
        case (.prefixed, _): inner.name.hasPrefix(outer.name)
        case (.literal, .prefixed): false
        }
    }

    /// Responses list bindings in a stable order: by resource, then by entry.
    static func displayOrder(_ lhs: AclBinding, _ rhs: AclBinding) -> Bool {
        let left = (lhs.pattern.resourceType.rawValue, lhs.pattern.name, lhs.pattern.patternType.rawValue)
        let right = (rhs.pattern.resourceType.rawValue, rhs.pattern.name, rhs.pattern.patternType.rawValue)
        if left != right { return left < right }
        return (lhs.entry.principal, lhs.entry.host, lhs.entry.operation.rawValue, lhs.entry.permission.rawValue)
            < (rhs.entry.principal, rhs.entry.host, rhs.entry.operation.rawValue, rhs.entry.permission.rawValue)
    }
}
