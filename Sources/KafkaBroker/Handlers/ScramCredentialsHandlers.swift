import KafkaProtocol
import Logging
import NIOCore

/// DescribeUserScramCredentials 0 (KIP-554): each user's mechanisms and iteration counts, never
/// salts or keys. No users (null or empty) means every user. With an authorizer it needs DESCRIBE
/// on the cluster, as in Kafka.
struct DescribeUserScramCredentialsHandler: ApiHandler {
    let state: BrokerState
    let store: ScramCredentialStore
    let versions: ClosedRange<Int16> = 0...0

    func handle(
        _ request: DescribeUserScramCredentialsRequest, context: RequestContext
    ) async throws -> DescribeUserScramCredentialsResponse? {
        guard state.authorizeCluster(context, .describe) else {
            return DescribeUserScramCredentialsResponse(
                errorCode: ErrorCode.clusterAuthorizationFailed.rawValue, errorMessage: ErrorCode.clusterAuthorizationFailed.defaultMessage)
        }
        let all = store.describe()
        func result(_ user: String) -> DescribeUserScramCredentialsResponse.DescribeUserScramCredentialsResult {
            guard let credentials = all[user] else {
                return .init(
                    user: user, errorCode: ErrorCode.resourceNotFound.rawValue,
                    errorMessage: "Attempt to describe a user credential that does not exist")
            }
            return .init(
                user: user, errorCode: 0, errorMessage: nil,
                credentialInfos: credentials.map { .init(mechanism: $0.mechanism.rawValue, iterations: $0.iterations) })
        }
        var response = DescribeUserScramCredentialsResponse(errorCode: 0, errorMessage: nil)
        let requested = (request.users ?? []).map(\.name)
        guard !requested.isEmpty else {
            response.results = all.keys.sorted().map(result)
            return response
        }
        var counts: [String: Int] = [:]
        for user in requested { counts[user, default: 0] += 1 }
        var seen: Set<String> = []
        for user in requested where seen.insert(user).inserted {
            if counts[user, default: 0] > 1 {
                response.results.append(
                    .init(
                        user: user, errorCode: ErrorCode.duplicateResource.rawValue,
                        errorMessage: "Cannot describe SCRAM credentials for the same user twice in a single request"))
            } else {
                response.results.append(result(user))
            }
        }
        return response
    }
}

/// AlterUserScramCredentials 0 (KIP-554): the admin client sends salt, SaltedPassword and
/// iterations; the broker keeps StoredKey and ServerKey. One result per user; a user whose
/// changes have an error keeps its credentials unchanged, as in Kafka. With an authorizer it needs
/// ALTER on the cluster; without it every user's result is CLUSTER_AUTHORIZATION_FAILED.
struct AlterUserScramCredentialsHandler: ApiHandler {
    let state: BrokerState
    let store: ScramCredentialStore
    let logger: Logger
    let versions: ClosedRange<Int16> = 0...0

    func handle(
        _ request: AlterUserScramCredentialsRequest, context: RequestContext
    ) async throws -> AlterUserScramCredentialsResponse? {
        var users: [String] = []
        var errors: [String: (ErrorCode, String)] = [:]
        var upsertions: [ScramCredentialStore.Key: ScramCredential] = [:]
        var deletions: Set<ScramCredentialStore.Key> = []
        var altered: Set<ScramCredentialStore.Key> = []
        func fail(_ user: String, _ code: ErrorCode, _ message: String) {
            if errors[user] == nil { errors[user] = (code, message) }
        }
        func key(_ user: String, _ code: Int8) -> ScramCredentialStore.Key? {
            if !users.contains(user) { users.append(user) }
            guard !user.isEmpty else {
                fail(user, .unacceptableCredential, "Username must not be empty")
                return nil
            }
            guard let mechanism = ScramMechanism(rawValue: code) else {
                fail(user, .unsupportedSaslMechanism, "Unknown SCRAM mechanism")
                return nil
            }
            let key = ScramCredentialStore.Key(user: user, mechanism: mechanism)
            guard altered.insert(key).inserted else {
                fail(user, .duplicateResource, "A user credential cannot be altered twice in the same request")
                return nil
            }
            return key
        }
        for deletion in request.deletions {
            guard let key = key(deletion.name, deletion.mechanism) else { continue }
            guard store.credential(user: key.user, mechanism: key.mechanism) != nil else {
                fail(key.user, .resourceNotFound, "Attempt to delete a user credential that does not exist")
                continue
            }
            deletions.insert(key)
        }
        for upsertion in request.upsertions {
            guard let key = key(upsertion.name, upsertion.mechanism) else { continue }
            guard upsertion.iterations >= ScramMechanism.minimumIterations else {
                fail(key.user, .unacceptableCredential, "Too few iterations")
                continue
            }
            guard upsertion.iterations <= ScramMechanism.maximumIterations else {
                fail(key.user, .unacceptableCredential, "Too many iterations")
                continue
            }
            let salt = upsertion.salt.getBytes(at: upsertion.salt.readerIndex, length: upsertion.salt.readableBytes) ?? []
            let saltedPassword =
                upsertion.saltedPassword.getBytes(
                    at: upsertion.saltedPassword.readerIndex, length: upsertion.saltedPassword.readableBytes) ?? []
            guard !salt.isEmpty, !saltedPassword.isEmpty else {
                fail(key.user, .unacceptableCredential, "Salt and salted password must not be empty")
                continue
            }
            upsertions[key] = ScramCredential(
                mechanism: key.mechanism, saltedPassword: saltedPassword, salt: salt, iterations: upsertion.iterations)
        }
        // Kafka checks authorization first: a refused principal learns nothing else about the users.
        if !state.authorizeCluster(context, .alter) {
            for user in users { errors[user] = (.clusterAuthorizationFailed, ErrorCode.clusterAuthorizationFailed.defaultMessage) }
        }
        upsertions = upsertions.filter { errors[$0.key.user] == nil }
        deletions = deletions.filter { errors[$0.user] == nil }
        if !upsertions.isEmpty || !deletions.isEmpty {
            do {
                try store.update(upserting: upsertions, deleting: deletions)
                logger.info(
                    "SCRAM credentials altered by \(context.principal): \(upsertions.count) set, \(deletions.count) deleted",
                    metadata: ["users": .array(Set(upsertions.keys.map(\.user)).union(deletions.map(\.user)).sorted().map { .string($0) })])
            } catch {
                logger.error("Cannot store SCRAM credentials: \(error)")
                for user in users where errors[user] == nil { fail(user, .unknownServerError, "Cannot store the credentials") }
            }
        }
        return AlterUserScramCredentialsResponse(
            results: users.map { user in
                let error = errors[user]
                return .init(user: user, errorCode: error?.0.rawValue ?? 0, errorMessage: error?.1)
            })
    }
}
