import Hummingbird
import KafkaBroker
import NIOCore
import Prometheus

/// The console's pages and `/metrics`, each rendered from the broker's inspector at request time.
struct ConsoleRoutes: Sendable {
    let inspector: BrokerInspector
    let registry: PrometheusCollectorRegistry
    let history: ThroughputHistory
    /// The console's own address, shown on the overview.
    let consoleAddress: @Sendable () -> String
    /// What the chart's full width spans.
    let chartSpan: Duration

    /// How many records the topic page shows.
    static let recordLimit = 20

    func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.add(middleware: NotFoundPageMiddleware())
        router.get("/metrics") { _, _ in metrics() }
        router.get("/") { _, _ in overview() }
        router.get("/topics") { _, _ in topicList() }
        router.get("/topics/:name") { _, context in topic(context.parameters.get("name")) }
        router.get("/groups") { _, _ in groupList() }
        router.get("/groups/:id") { _, context in group(context.parameters.get("id")) }
        return router
    }

    func metrics() -> Response {
        inspector.refreshMetrics()
        return Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer())))
    }

    func overview() -> Response {
        let overview = inspector.overview()
        let chart = ThroughputChart(points: history.points, capacity: history.capacity, span: chartSpan)
        let page = OverviewPage(
            overview: overview, consoleAddress: consoleAddress(), disk: DiskSpace(path: overview.dataDirectory),
            groupCount: inspector.consumerGroups().count, chart: chart)
        return HTMLResponse.page(page.render())
    }

    func topicList() -> Response {
        HTMLResponse.page(TopicListPage(topics: inspector.topics(), messagesPerSecond: history.messagesPerSecond).render())
    }

    func topic(_ encodedName: String?) -> Response {
        guard let name = encodedName.flatMap(PercentEncoding.decode), let topic = inspector.topic(named: name),
            let records = inspector.latestRecords(topic: name, limit: Self.recordLimit)
        else {
            return HTMLResponse.notFound("There is no topic named “\(encodedName.flatMap(PercentEncoding.decode) ?? "")”.")
        }
        return HTMLResponse.page(TopicPage(topic: topic, records: records).render())
    }

    func groupList() -> Response {
        HTMLResponse.page(GroupListPage(groups: inspector.consumerGroups()).render())
    }

    func group(_ encodedId: String?) -> Response {
        guard let id = encodedId.flatMap(PercentEncoding.decode), let group = inspector.consumerGroup(id: id) else {
            return HTMLResponse.notFound("There is no consumer group “\(encodedId.flatMap(PercentEncoding.decode) ?? "")”.")
        }
        return HTMLResponse.page(GroupPage(group: group).render())
    }
}
