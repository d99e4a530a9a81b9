import KafkaProtocol
import KafkaScram
import NIOCore

/// A SCRAM mechanism whose credentials the admin API manages; the raw values are Kafka's codes in
/// AlterUserScramCredentials and DescribeUserScramCredentials.
public enum KafkaScramMechanism: Int8, Sendable, Hashable, CaseIterable {
    case scramSHA256 = 1
    case scramSHA512 = 2

    /// `SCRAM-SHA-256` or `SCRAM-SHA-512`, as `sasl_mechanism` and kafka-configs.sh spell it.
    public var name: String { digest.mechanismName }

    /// Parses Kafka's spelling in any case.
    public init?(name: String) {
        guard let mechanism = Self.allCases.first(where: { $0.name == name.uppercased() }) else { return nil }
        self = mechanism
    }

    var digest: ScramDigest { self == .scramSHA256 ? .sha256 : .sha512 }
}

/// One change of AlterUserScramCredentials, as kafka-python's `UserScramCredentialUpsertion` and
/// `UserScramCredentialDeletion`.
public enum KafkaUserScramCredentialAlteration: Sendable, Equatable {
    /// Sets the user's credential for the mechanism; the client salts and hashes the password,
    /// which never leaves it.
    case upsertion(user: String, mechanism: KafkaScramMechanism, password: String, iterations: Int32 = 4096)
    case deletion(user: String, mechanism: KafkaScramMechanism)
}

/// The mechanisms and iteration counts one user has credentials for (never the secrets), or why
/// the broker could not describe the user.
public struct KafkaUserScramCredentialsDescription: Sendable {
    public var user: String
    public var credentials: [(mechanism: KafkaScramMechanism, iterations: Int32)]
    /// RESOURCE_NOT_FOUND for a user named in the request that has no credential.
    public var error: KafkaError?
}

extension KafkaAdminClient {
    /// Creates, replaces and deletes SCRAM credentials (AlterUserScramCredentials), as
    /// kafka-python's `alter_user_scram_credentials`. Throws the first user's error.
    public func alterUserScramCredentials(_ alterations: [KafkaUserScramCredentialAlteration]) async throws(KafkaError) {
        var request = AlterUserScramCredentialsRequest()
        for alteration in alterations {
            switch alteration {
            case .upsertion(let user, let mechanism, let password, let iterations):
                var generator = SystemRandomNumberGenerator()
                let salt = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
                let saltedPassword: [UInt8]
                do {
                    saltedPassword = try mechanism.digest.saltedPassword(password: password, salt: salt, iterations: iterations)
                } catch {
                    throw KafkaError.invalidConfiguration(
                        "the password of \(user) cannot be salted with \(iterations) iterations: \(error)")
                }
                request.upsertions.append(
                    .init(
                        name: user, mechanism: mechanism.rawValue, iterations: iterations, salt: ByteBuffer(bytes: salt),
                        saltedPassword: ByteBuffer(bytes: saltedPassword)))
            case .deletion(let user, let mechanism):
                request.deletions.append(.init(name: user, mechanism: mechanism.rawValue))
            }
        }
        let response = try await cluster.controllerConnection().send(request)
        for result in response.results {
            if let error = KafkaError.broker(
                code: result.errorCode, "alter SCRAM credentials of \(result.user)", brokerMessage: result.errorMessage)
            {
                throw error
            }
        }
    }

    /// The SCRAM credentials of `users`, or of every user with one when nil
    /// (DescribeUserScramCredentials), as kafka-python's `describe_user_scram_credentials`.
    public func describeUserScramCredentials(_ users: [String]? = nil) async throws(KafkaError) -> [KafkaUserScramCredentialsDescription] {
        let request = DescribeUserScramCredentialsRequest(users: users?.map { .init(name: $0) })
        let response = try await cluster.controllerConnection().send(request)
        if let error = KafkaError.broker(code: response.errorCode, "describe SCRAM credentials", brokerMessage: response.errorMessage) {
            throw error
        }
        return response.results.map { result in
            KafkaUserScramCredentialsDescription(
                user: result.user,
                credentials: result.credentialInfos.compactMap { info in
                    KafkaScramMechanism(rawValue: info.mechanism).map { (mechanism: $0, iterations: info.iterations) }
                },
                error: KafkaError.broker(
                    code: result.errorCode, "describe SCRAM credentials of \(result.user)", brokerMessage: result.errorMessage))
        }
    }
}
