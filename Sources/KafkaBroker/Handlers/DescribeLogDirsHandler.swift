import Foundation
import KafkaProtocol
import KafkaStorage

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// DescribeLogDirs 0–4: the one data folder (`log.dirs`) with each requested partition's size;
/// the offset lag is 0, as this broker holds the only replica and no future replica exists.
/// v4 adds the file system's total and usable bytes. Requested partitions that do not exist are
/// left out, as Kafka does. With an authorizer it needs DESCRIBE on the cluster
/// (CLUSTER_AUTHORIZATION_FAILED).
struct DescribeLogDirsHandler: ApiHandler {
    let state: BrokerState
    let versions: ClosedRange<Int16> = 0...4

    func handle(_ request: DescribeLogDirsRequest, context: RequestContext) async throws -> DescribeLogDirsResponse? {
        guard state.authorizeCluster(context, .describe) else {
            return DescribeLogDirsResponse(errorCode: ErrorCode.clusterAuthorizationFailed.rawValue)
        }
        let directory = URL(fileURLWithPath: state.configuration.logDirectory).standardizedFileURL.path
        var result = DescribeLogDirsResponse.DescribeLogDirsResult(logDir: directory)
        let wanted = request.topics.map { topics in
            Dictionary(topics.map { ($0.topic, Set($0.partitions)) }, uniquingKeysWith: { $0.union($1) })
        }
        for topic in state.topics.allTopics().sorted(by: { $0.name < $1.name }) {
            let partitions = topic.partitions.filter { log in
                wanted.map { $0[topic.name]?.contains(log.topicPartition.partition) ?? false } ?? true
            }
            guard !partitions.isEmpty else { continue }
            result.topics.append(
                .init(
                    name: topic.name,
                    partitions: partitions.map {
                        .init(partitionIndex: $0.topicPartition.partition, partitionSize: $0.sizeInBytes, offsetLag: 0, isFutureKey: false)
                    }))
        }
        var stats = statvfs()
        if statvfs(directory, &stats) == 0 {
            let blockSize = Int64(stats.f_frsize)
            result.totalBytes = Int64(stats.f_blocks) * blockSize
            result.usableBytes = Int64(stats.f_bavail) * blockSize
        }
        return DescribeLogDirsResponse(results: [result])
    }
}
