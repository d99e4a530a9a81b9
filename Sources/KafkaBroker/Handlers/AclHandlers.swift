import KafkaProtocol
import Logging

/// What the three ACL APIs share: Kafka's answers when no authorizer is configured and when the
/// principal may not manage ACLs.
enum AclRequestRefusal {
    static let securityDisabledMessage = "No Authorizer is configured on the broker"

    /// The refusal for a request that needs `operation` on the cluster, or nil to go on.
    static func check(_ state: BrokerState, _ context: RequestContext, _ operation: AclOperation) -> (
        Authorizer, (ErrorCode, String)?
    )? {
        guard let authorizer = state.authorizer else { return nil }
        guard authorizer.authorize(context, operation, .cluster, ResourcePattern.clusterName) else {
            return (authorizer, (.clusterAuthorizationFailed, AuthorizationMessage.cluster))
        }
        return (authorizer, nil)
    }
}

/// CreateAcls 0–3: adds bindings, all saved before the answer; an invalid one gets
/// INVALID_REQUEST and the others are still created, as in Kafka. Needs ALTER on the cluster.
struct CreateAclsHandler: ApiHandler {
    let state: BrokerState
    let versions: ClosedRange<Int16> = 0...3

    func handle(_ request: CreateAclsRequest, context: RequestContext) async throws -> CreateAclsResponse? {
        let refuseAll = { (code: ErrorCode, message: String) in
            CreateAclsResponse(results: request.creations.map { _ in .init(errorCode: code.rawValue, errorMessage: message) })
        }
        guard let (authorizer, refusal) = AclRequestRefusal.check(state, context, .alter) else {
            return refuseAll(.securityDisabled, AclRequestRefusal.securityDisabledMessage)
        }
        if let (code, message) = refusal { return refuseAll(code, message) }
        let parsed = request.creations.map { creation -> Result<AclBinding, AclRequestError> in
            Result { () throws(AclRequestError) in
                try AclBinding(
                    resourceTypeCode: creation.resourceType, resourceName: creation.resourceName,
                    patternTypeCode: creation.resourcePatternType, principal: creation.principal, host: creation.host,
                    operationCode: creation.operation, permissionCode: creation.permissionType)
            }
        }
        let valid = parsed.compactMap { try? $0.get() }
        do {
            try authorizer.create(valid)
        } catch {
            state.logger.error("Saving ACLs failed: \(error)")
            return refuseAll(.unknownServerError, "Saving the ACLs failed: \(error)")
        }
        return CreateAclsResponse(
            results: parsed.map { result in
                switch result {
                case .success: .init(errorCode: 0, errorMessage: nil)
                case .failure(let error): .init(errorCode: ErrorCode.invalidRequest.rawValue, errorMessage: error.message)
                }
            })
    }
}

/// DescribeAcls 0–3: the bindings one filter matches, grouped by resource pattern. Needs DESCRIBE
/// on the cluster.
struct DescribeAclsHandler: ApiHandler {
    let state: BrokerState
    let versions: ClosedRange<Int16> = 0...3

    func handle(_ request: DescribeAclsRequest, context: RequestContext) async throws -> DescribeAclsResponse? {
        guard let (authorizer, refusal) = AclRequestRefusal.check(state, context, .describe) else {
            return DescribeAclsResponse(
                errorCode: ErrorCode.securityDisabled.rawValue, errorMessage: AclRequestRefusal.securityDisabledMessage)
        }
        if let (code, message) = refusal { return DescribeAclsResponse(errorCode: code.rawValue, errorMessage: message) }
        let filter: AclBindingFilter
        do {
            filter = try AclBindingFilter(
                resourceTypeCode: request.resourceTypeFilter, resourceName: request.resourceNameFilter,
                patternTypeCode: request.patternTypeFilter, principal: request.principalFilter, host: request.hostFilter,
                operationCode: request.operation, permissionCode: request.permissionType)
        } catch {
            return DescribeAclsResponse(errorCode: ErrorCode.invalidRequest.rawValue, errorMessage: error.message)
        }
        var resources: [DescribeAclsResponse.DescribeAclsResource] = []
        for binding in authorizer.bindings(matching: filter) {
            let description = DescribeAclsResponse.AclDescription(
                principal: binding.entry.principal, host: binding.entry.host, operation: binding.entry.operation.rawValue,
                permissionType: binding.entry.permission.rawValue)
            let pattern = binding.pattern
            if let last = resources.indices.last, resources[last].resourceType == pattern.resourceType.rawValue,
                resources[last].resourceName == pattern.name, resources[last].patternType == pattern.patternType.rawValue
            {
                resources[last].acls.append(description)
            } else {
                resources.append(
                    .init(
                        resourceType: pattern.resourceType.rawValue, resourceName: pattern.name, patternType: pattern.patternType.rawValue,
                        acls: [description]))
            }
        }
        return DescribeAclsResponse(errorCode: 0, errorMessage: nil, resources: resources)
    }
}

/// DeleteAcls 0–3: removes what each filter matches and answers the removed bindings per
/// filter, saved before the answer. Needs ALTER on the cluster.
struct DeleteAclsHandler: ApiHandler {
    let state: BrokerState
    let versions: ClosedRange<Int16> = 0...3

    func handle(_ request: DeleteAclsRequest, context: RequestContext) async throws -> DeleteAclsResponse? {
        let refuseAll = { (code: ErrorCode, message: String) in
            DeleteAclsResponse(filterResults: request.filters.map { _ in .init(errorCode: code.rawValue, errorMessage: message) })
        }
        guard let (authorizer, refusal) = AclRequestRefusal.check(state, context, .alter) else {
            return refuseAll(.securityDisabled, AclRequestRefusal.securityDisabledMessage)
        }
        if let (code, message) = refusal { return refuseAll(code, message) }
        let parsed = request.filters.map { filter -> Result<AclBindingFilter, AclRequestError> in
            Result { () throws(AclRequestError) in
                try AclBindingFilter(
                    resourceTypeCode: filter.resourceTypeFilter, resourceName: filter.resourceNameFilter,
                    patternTypeCode: filter.patternTypeFilter, principal: filter.principalFilter, host: filter.hostFilter,
                    operationCode: filter.operation, permissionCode: filter.permissionType)
            }
        }
        let removed: [[AclBinding]]
        do {
            removed = try authorizer.delete(matching: parsed.compactMap { try? $0.get() })
        } catch {
            state.logger.error("Saving ACLs failed: \(error)")
            return refuseAll(.unknownServerError, "Saving the ACLs failed: \(error)")
        }
        var removedByValidFilter = removed.makeIterator()
        return DeleteAclsResponse(
            filterResults: parsed.map { result in
                if case .failure(let error) = result {
                    return .init(errorCode: ErrorCode.invalidRequest.rawValue, errorMessage: error.message)
                }
                return .init(
                    errorCode: 0, errorMessage: nil,
                    matchingAcls: (removedByValidFilter.next() ?? []).map {
                        .init(
                            errorCode: 0, errorMessage: nil, resourceType: $0.pattern.resourceType.rawValue,
                            resourceName: $0.pattern.name, patternType: $0.pattern.patternType.rawValue, principal: $0.entry.principal,
                            host: $0.entry.host, operation: $0.entry.operation.rawValue, permissionType: $0.entry.permission.rawValue)
                    })
            })
    }
}
