/// The operations a client may perform on a resource, as the 32-bit field Kafka answers with
/// (bit n set for operation code n, `Utils.to32BitField`). Without an authorizer Kafka allows
/// every operation the resource type supports; with one, those the principal is allowed.
struct AuthorizedOperations: Equatable, Sendable {
    /// What Kafka answers when the request did not ask for the operations.
    static let notRequested = Int32.min

    let operations: Set<AclOperation>

    /// Everything `resource` supports: a broker without an authorizer.
    init(allowingEverythingOn resource: AclResourceType) {
        operations = resource.supportedOperations
    }

    init(operations: Set<AclOperation>) {
        self.operations = operations
    }

    var bitfield: Int32 {
        operations.reduce(0) { $0 | 1 << Int32($1.rawValue) }
    }

    /// The field for a response: the operations when the request asked for them, else `notRequested`.
    static func field(
        on resource: AclResourceType, named name: String, requested: Bool, context: RequestContext, authorizer: Authorizer?
    ) -> Int32 {
        guard requested else { return notRequested }
        guard let authorizer else { return AuthorizedOperations(allowingEverythingOn: resource).bitfield }
        return AuthorizedOperations(operations: authorizer.authorizedOperations(context, resource, name)).bitfield
    }
}
