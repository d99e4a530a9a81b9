import KafkaProtocol
import Logging
import Synchronization

/// The broker's authorizer, on when `authorizer.class.name` names Kafka's: holds the ACL bindings
/// (loaded from and saved to the data folder) and answers every handler's checks, logging each
/// denial once.
final class Authorizer: Sendable {
    private let rules: Mutex<AclRules>
    private let store: AclStore
    private let logger: Logger

    init(configuration: BrokerConfiguration, logger: Logger) throws {
        store = AclStore(dataDirectory: configuration.logDirectory)
        rules = Mutex(
            AclRules(
                bindings: try store.load(), superUsers: Set(configuration.superUsers),
                allowEveryoneIfNoAclFound: configuration.allowEveryoneIfNoAclFound))
        self.logger = logger
    }

    /// Whether the request's principal, from its host, may perform `operation` on the resource;
    /// a denial is logged.
    func authorize(
        _ context: RequestContext, _ operation: AclOperation, _ resourceType: AclResourceType, _ resourceName: String
    ) -> Bool {
        let host = Self.host(of: context)
        let allowed = rules.withLock {
            $0.authorize(context.principal, host: host, operation: operation, resourceType: resourceType, resourceName: resourceName)
        }
        if !allowed { logDenial(context, host: host, operation, "\(resourceType):\(resourceName)") }
        return allowed
    }

    /// Whether the principal may perform `operation` on some resource of the type.
    func authorizeAnyResource(_ context: RequestContext, _ operation: AclOperation, _ resourceType: AclResourceType) -> Bool {
        let host = Self.host(of: context)
        let allowed = rules.withLock {
            $0.authorizeAnyResource(context.principal, host: host, operation: operation, resourceType: resourceType)
        }
        if !allowed { logDenial(context, host: host, operation, "any \(resourceType)") }
        return allowed
    }

    /// Checks without logging, for listings that leave out what may not be seen (Metadata,
    /// ListGroups) and for authorized-operations fields.
    func isAllowed(
        _ context: RequestContext, _ operation: AclOperation, _ resourceType: AclResourceType, _ resourceName: String
    ) -> Bool {
        let host = Self.host(of: context)
        return rules.withLock {
            $0.authorize(context.principal, host: host, operation: operation, resourceType: resourceType, resourceName: resourceName)
        }
    }

    func authorizedOperations(_ context: RequestContext, _ resourceType: AclResourceType, _ resourceName: String) -> Set<AclOperation> {
        let host = Self.host(of: context)
        return rules.withLock {
            $0.authorizedOperations(context.principal, host: host, resourceType: resourceType, resourceName: resourceName)
        }
    }

    func bindings(matching filter: AclBindingFilter) -> [AclBinding] {
        rules.withLock { $0.bindings(matching: filter) }
    }

    /// Adds the bindings and saves the set before answering; on a failed save nothing changes.
    func create(_ bindings: [AclBinding]) throws {
        try rules.withLock { rules in
            var changed = rules
            guard !changed.add(bindings).isEmpty else { return }
            try store.save(changed.bindings)
            rules = changed
        }
    }

    /// Removes what each filter matches (a binding once, for the first filter that matches it)
    /// and saves the set before answering; on a failed save nothing changes.
    func delete(matching filters: [AclBindingFilter]) throws -> [[AclBinding]] {
        try rules.withLock { rules in
            var changed = rules
            let removed = filters.map { changed.remove(matching: $0) }
            if removed.contains(where: { !$0.isEmpty }) { try store.save(changed.bindings) }
            rules = changed
            return removed
        }
    }

    /// Kafka compares ACL hosts with the bare address; the context prints it as "/127.0.0.1".
    private static func host(of context: RequestContext) -> String {
        context.clientHost.hasPrefix("/") ? String(context.clientHost.dropFirst()) : context.clientHost
    }

    private func logDenial(_ context: RequestContext, host: String, _ operation: AclOperation, _ resource: String) {
        logger.info(
            "authorization denied",
            metadata: [
                "principal": "\(context.principal)", "host": "\(host)", "operation": "\(operation)", "resource": "\(resource)",
                "client_id": "\(context.clientId ?? "")",
            ])
    }
}

extension BrokerState {
    /// One branch when no authorizer is configured, so that the checks cost nothing then.
    func authorize(_ context: RequestContext, _ operation: AclOperation, _ resourceType: AclResourceType, _ resourceName: String) -> Bool {
        guard let authorizer else { return true }
        return authorizer.authorize(context, operation, resourceType, resourceName)
    }

    func authorizeCluster(_ context: RequestContext, _ operation: AclOperation) -> Bool {
        authorize(context, operation, .cluster, ResourcePattern.clusterName)
    }

    func isAllowed(_ context: RequestContext, _ operation: AclOperation, _ resourceType: AclResourceType, _ resourceName: String) -> Bool {
        guard let authorizer else { return true }
        return authorizer.isAllowed(context, operation, resourceType, resourceName)
    }
}

/// Answers each resource name's check once per request, so that a topic of many partitions is
/// checked, and a denial logged, once.
struct AuthorizationCache {
    private let check: (String) -> Bool
    private var answers: [String: Bool] = [:]

    init(_ check: @escaping (String) -> Bool) {
        self.check = check
    }

    mutating func callAsFunction(_ name: String) -> Bool {
        if let answer = answers[name] { return answer }
        let answer = check(name)
        answers[name] = answer
        return answer
    }
}

/// The messages Kafka's authorization exceptions carry by default.
enum AuthorizationMessage {
    static let topic = "Authorization failed."
    static let cluster = "Cluster authorization failed."
}

extension BrokerState {
    /// The refusal of a DescribeConfigs or AlterConfigs resource, if any: a topic needs the
    /// operation on itself, a broker on the cluster; other types are left to the handler.
    func authorizeConfigs(_ context: RequestContext, _ operation: AclOperation, resourceType: Int8, name: String) -> ErrorCode? {
        switch DescribeConfigsHandler.ResourceType(rawValue: resourceType) {
        case .topic: authorize(context, operation, .topic, name) ? nil : .topicAuthorizationFailed
        case .broker: authorizeCluster(context, operation) ? nil : .clusterAuthorizationFailed
        case nil: nil
        }
    }
}
