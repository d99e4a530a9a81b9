"""The floor under "flush after each send": a broker's own round trip for one acks=1 Produce v3
request carrying one record, sent over a blocking socket and timed per request, with no client
library in the loop (kafka-python only builds the record batches beforehand).

    PYTHONPATH=.python-deps/kafka-python-3 python3 Benchmarks/EndToEnd/produce_round_trip.py \\
        --bootstrap-server 127.0.0.1:9092 --topic round-trip --count 10000 [--compression gzip]

The topic must exist with a partition 0. Prints one JSON line: the median and mean round trip in
microseconds and the total seconds."""
import argparse
import json
import socket
import statistics
import struct
import time

from kafka.record.default_records import DefaultRecordBatchBuilder

CODECS = {"none": 0, "gzip": 1}


def string(text):
    encoded = text.encode()
    return struct.pack(">h", len(encoded)) + encoded


def record_batch(index, codec):
    builder = DefaultRecordBatchBuilder(magic=2, compression_type=codec, is_transactional=False,
                                        producer_id=-1, producer_epoch=-1, base_sequence=-1, batch_size=16384)
    builder.append(0, int(time.time() * 1000), None, b'{"str": "result %d"}' % index, [])
    return bytes(builder.build())


def produce_request(correlation_id, topic, records):
    header = struct.pack(">hhi", 0, 3, correlation_id) + string("produce-round-trip")
    body = struct.pack(">hhi", -1, 1, 30_000) + struct.pack(">i", 1) + string(topic) + struct.pack(">i", 1)
    body += struct.pack(">ii", 0, len(records)) + records
    return struct.pack(">i", len(header) + len(body)) + header + body


def read_exactly(connection, count):
    data = b""
    while len(data) < count:
        chunk = connection.recv(count - len(data))
        if not chunk:
            raise RuntimeError("the broker closed the connection")
        data += chunk
    return data


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bootstrap-server", required=True)
    parser.add_argument("--topic", required=True)
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--compression", choices=CODECS, default="gzip")
    arguments = parser.parse_args()
    host, port = arguments.bootstrap_server.rsplit(":", 1)
    requests = [produce_request(index, arguments.topic, record_batch(index, CODECS[arguments.compression]))
                for index in range(arguments.count)]
    connection = socket.create_connection((host, int(port)), timeout=30)
    connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    round_trips = []
    for request in requests:
        start = time.perf_counter()
        connection.sendall(request)
        size = struct.unpack(">i", read_exactly(connection, 4))[0]
        response = read_exactly(connection, size)
        round_trips.append(time.perf_counter() - start)
        # Produce v3 response: correlation id, topics [name, partitions [index, error code, ...]].
        name_length = struct.unpack_from(">h", response, 8)[0]
        error_code = struct.unpack_from(">h", response, 10 + name_length + 4 + 4)[0]
        if error_code != 0:
            raise RuntimeError(f"the broker answered error code {error_code}")
    connection.close()
    print(json.dumps({"median_us": round(statistics.median(round_trips) * 1e6), "mean_us": round(statistics.mean(round_trips) * 1e6),
                      "seconds": round(sum(round_trips), 3)}))


if __name__ == "__main__":
    main()
