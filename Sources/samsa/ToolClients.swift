import KafkaClient

/// Builds the SDK clients the tools run on from their gathered properties.
enum ToolClients {
    /// Kafka's tools wait up to a minute for an unreachable broker; these give up after 5 s with a
    /// clear line. `bootstrap.timeout.ms` in the tool's properties changes it.
    static let bootstrapTimeoutMs = "5000"

    static func admin(servers: [String], properties: ClientProperties) throws(CommandFailure) -> KafkaAdminClient {
        var properties = properties
        properties.set("bootstrap.servers", servers.joined(separator: ","))
        if properties.value(of: "bootstrap.timeout.ms") == nil { properties.set("bootstrap.timeout.ms", bootstrapTimeoutMs) }
        do {
            return try KafkaAdminClient(configuration: KafkaAdminConfiguration(properties: properties.dictionary))
        } catch {
            throw .standardError(error.toolMessage)
        }
    }

    /// Runs `body` with an admin client and closes the client afterwards, also when `body` throws.
    static func withAdmin<Result>(
        servers: [String], properties: ClientProperties, _ body: (KafkaAdminClient) async throws -> Result
    ) async throws -> Result {
        let admin = try admin(servers: servers, properties: properties)
        do {
            let result = try await body(admin)
            await admin.close()
            return result
        } catch {
            await admin.close()
            throw error
        }
    }
}
