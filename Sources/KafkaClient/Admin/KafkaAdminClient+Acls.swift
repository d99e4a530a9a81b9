import KafkaProtocol

extension KafkaAdminClient {
    /// Creates ACLs (CreateAcls), as kafka-python's `create_acls`. Throws the first binding's
    /// error: SECURITY_DISABLED without an authorizer, CLUSTER_AUTHORIZATION_FAILED without ALTER on
    /// the cluster, INVALID_REQUEST for a binding with ANY or MATCH in it.
    public func createAcls(_ acls: [KafkaAclBinding]) async throws(KafkaError) {
        let request = CreateAclsRequest(
            creations: acls.map {
                .init(
                    resourceType: $0.resourceType.rawValue, resourceName: $0.resourceName, resourcePatternType: $0.patternType.rawValue,
                    principal: $0.principal, host: $0.host, operation: $0.operation.rawValue, permissionType: $0.permissionType.rawValue)
            })
        let response = try await cluster.controllerConnection().send(request)
        for result in response.results {
            if let error = KafkaError.broker(code: result.errorCode, "create ACLs", brokerMessage: result.errorMessage) { throw error }
        }
    }

    /// The ACLs the filter selects (DescribeAcls), as kafka-python's `describe_acls`.
    public func describeAcls(_ filter: KafkaAclBindingFilter = KafkaAclBindingFilter()) async throws(KafkaError) -> [KafkaAclBinding] {
        let request = DescribeAclsRequest(
            resourceTypeFilter: filter.resourceType.rawValue, resourceNameFilter: filter.resourceName,
            patternTypeFilter: filter.patternType.rawValue, principalFilter: filter.principal, hostFilter: filter.host,
            operation: filter.operation.rawValue, permissionType: filter.permissionType.rawValue)
        let response = try await cluster.controllerConnection().send(request)
        if let error = KafkaError.broker(code: response.errorCode, "describe ACLs", brokerMessage: response.errorMessage) { throw error }
        return response.resources.flatMap { resource in
            resource.acls.map {
                KafkaAclBinding(
                    resourceType: KafkaAclResourceType(rawValue: resource.resourceType), resourceName: resource.resourceName,
                    patternType: KafkaAclPatternType(rawValue: resource.patternType), principal: $0.principal, host: $0.host,
                    operation: KafkaAclOperation(rawValue: $0.operation),
                    permissionType: KafkaAclPermissionType(rawValue: $0.permissionType))
            }
        }
    }

    /// Deletes the ACLs the filters select (DeleteAcls), as kafka-python's `delete_acls`, and
    /// returns the deleted bindings. Throws the first filter's error.
    @discardableResult
    public func deleteAcls(_ filters: [KafkaAclBindingFilter]) async throws(KafkaError) -> [KafkaAclBinding] {
        let request = DeleteAclsRequest(
            filters: filters.map {
                .init(
                    resourceTypeFilter: $0.resourceType.rawValue, resourceNameFilter: $0.resourceName,
                    patternTypeFilter: $0.patternType.rawValue, principalFilter: $0.principal, hostFilter: $0.host,
                    operation: $0.operation.rawValue, permissionType: $0.permissionType.rawValue)
            })
        let response = try await cluster.controllerConnection().send(request)
        var deleted: [KafkaAclBinding] = []
        for result in response.filterResults {
            if let error = KafkaError.broker(code: result.errorCode, "delete ACLs", brokerMessage: result.errorMessage) { throw error }
            deleted += result.matchingAcls.map {
                KafkaAclBinding(
                    resourceType: KafkaAclResourceType(rawValue: $0.resourceType), resourceName: $0.resourceName,
                    patternType: KafkaAclPatternType(rawValue: $0.patternType), principal: $0.principal, host: $0.host,
                    operation: KafkaAclOperation(rawValue: $0.operation),
                    permissionType: KafkaAclPermissionType(rawValue: $0.permissionType))
            }
        }
        return deleted
    }
}
