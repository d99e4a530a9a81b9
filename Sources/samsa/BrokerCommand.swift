import ArgumentParser
import KafkaBroker
import Logging
import Prometheus
import SamsaConsole
import ServiceLifecycle
import UnixSignals

/// `samsa broker`: Kafka's `kafka-server-start.sh`, without ZooKeeper or a separate controller.
struct BrokerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "broker",
        abstract:
            "Runs the Kafka-compatible broker (PLAINTEXT://localhost:9092, data in ./samsa-data by default; SIGHUP re-reads TLS keystores).",
        discussion: """
            Settings use Kafka's server.properties names, e.g. --override log.dirs=/var/lib/samsa --override num.partitions=3. \
            Metrics and the web console are served on http://localhost:9645 (metrics.listener; empty turns it off); \
            log.level sets the least severe level logged (default info).
            """
    )

    @OptionGroup var serverProperties: ServerPropertiesOptions

    func run() async throws {
        // The settings choose the log level, so their warnings wait until logging is set up.
        var warnings: [String] = []
        let configuration = try serverProperties.configuration { warnings.append($0) }
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = configuration.logLevel
            return handler
        }
        let logger = Logger(label: "samsa.broker")
        for warning in warnings { logger.warning("\(warning)") }

        let registry = PrometheusCollectorRegistry()
        let broker: Broker
        do {
            broker = try Broker(
                configuration: configuration, logger: logger, metricsFactory: ConsoleServer.metricsFactory(for: registry))
        } catch let error as TLSSetupError {
            logger.critical("\(error)")
            throw ExitCode.failure
        }
        // As Kafka reconfigures its keystores without a restart: SIGHUP re-reads them for new connections.
        let keystoreReloader = ServiceGroupConfiguration.ServiceConfiguration(
            service: ClosureService {
                await cancelWhenGracefulShutdown {
                    for await _ in await UnixSignalsSequence(trapping: .sighup) { broker.reloadTLSCertificates() }
                }
            })
        var services = [ServiceGroupConfiguration.ServiceConfiguration(service: broker), keystoreReloader]
        if let listener = configuration.metricsListener {
            let console = ConsoleServer(broker: broker, registry: registry, listener: listener, logger: Logger(label: "samsa.console"))
            // The Kafka listener opens once the console listens: a console port that is taken stops
            // start-up before any client could connect.
            services = [
                .init(service: console, failureTerminationBehavior: .gracefullyShutdownGroup),
                .init(
                    service: ClosureService {
                        _ = try await console.listeningAddress()
                        try await broker.run()
                    }),
                keystoreReloader,
            ]
        }
        let group = ServiceGroup(
            configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        do {
            try await group.run()
        } catch let error as ConsoleListenerError {
            logger.critical("\(error)")
            throw ExitCode.failure
        }
    }
}
