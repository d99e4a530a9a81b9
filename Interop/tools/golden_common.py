"""Shared helpers for the golden-frame tools (plain Python 3, standard library only).

Kafka framing: every request and response is a 4-byte big-endian size followed by that many bytes.
A request starts with api_key int16, api_version int16, correlation_id int32 (every header version);
a response starts with correlation_id int32.
"""

import struct

API_NAMES = {
    0: "produce", 1: "fetch", 2: "list_offsets", 3: "metadata", 4: "leader_and_isr",
    5: "stop_replica", 6: "update_metadata", 7: "controlled_shutdown", 8: "offset_commit",
    9: "offset_fetch", 10: "find_coordinator", 11: "join_group", 12: "heartbeat",
    13: "leave_group", 14: "sync_group", 15: "describe_groups", 16: "list_groups",
    17: "sasl_handshake", 18: "api_versions", 19: "create_topics", 20: "delete_topics",
    21: "delete_records", 22: "init_producer_id", 23: "offset_for_leader_epoch",
    24: "add_partitions_to_txn", 25: "add_offsets_to_txn", 26: "end_txn",
    28: "txn_offset_commit", 29: "describe_acls", 32: "describe_configs", 33: "alter_configs",
    36: "sasl_authenticate", 37: "create_partitions", 42: "delete_groups",
    44: "incremental_alter_configs", 47: "offset_delete", 50: "describe_user_scram_credentials",
    60: "describe_cluster", 61: "describe_producers", 68: "consumer_group_heartbeat",
    69: "consumer_group_describe", 71: "get_telemetry_subscriptions", 72: "push_telemetry",
    75: "describe_topic_partitions",
}

# First flexible version (compact encodings, tagged fields, request header v2 / response header v1)
# for the APIs whose bodies the tools look into. From Kafka's message specs.
FIRST_FLEXIBLE = {0: 9, 1: 12, 2: 6, 3: 9, 8: 8, 9: 6, 10: 3, 11: 6, 12: 4, 13: 4, 14: 4,
                  18: 3, 19: 5, 22: 2}

ERROR_MEMBER_ID_REQUIRED = 79

COMPRESSION_NAMES = {0: "none", 1: "gzip", 2: "snappy", 3: "lz4", 4: "zstd"}


def api_name(key):
    return API_NAMES.get(key, "api_%d" % key)


def is_flexible(key, version):
    first = FIRST_FLEXIBLE.get(key)
    return first is not None and version >= first


def parse_request_header(frame):
    """(api_key, api_version, correlation_id) of a request frame given without its size prefix."""
    if len(frame) < 8:
        raise ValueError("request frame shorter than 8 bytes")
    return struct.unpack(">hhi", frame[:8])


def split_frames(buf):
    """Split complete size-prefixed frames off the front of buf. Returns (frames, rest)."""
    frames = []
    pos = 0
    while len(buf) - pos >= 4:
        (size,) = struct.unpack_from(">i", buf, pos)
        if size < 0:
            raise ValueError("negative frame size %d" % size)
        if len(buf) - pos - 4 < size:
            break
        frames.append(bytes(buf[pos + 4:pos + 4 + size]))
        pos += 4 + size
    return frames, buf[pos:]


# ---------------------------------------------------------------- CRC-32C (Castagnoli)
def _crc32c_table():
    table = []
    for i in range(256):
        c = i
        for _ in range(8):
            c = (c >> 1) ^ 0x82F63B78 if c & 1 else c >> 1
        table.append(c)
    return table


_CRC32C = _crc32c_table()


def crc32c(data):
    c = 0xFFFFFFFF
    for b in data:
        c = _CRC32C[(c ^ b) & 0xFF] ^ (c >> 8)
    return c ^ 0xFFFFFFFF


# ---------------------------------------------------------------- RecordBatch v2
# baseOffset int64 | batchLength int32 | partitionLeaderEpoch int32 | magic int8 | crc uint32 |
# attributes int16 | lastOffsetDelta int32 | baseTimestamp int64 | maxTimestamp int64 |
# producerId int64 | producerEpoch int16 | baseSequence int32 | recordCount int32 | records
BATCH_HEADER_SIZE = 61


def parse_record_batch(buf, pos):
    """Parse the v2 RecordBatch header at pos; returns a dict or None when it is not a valid batch."""
    if len(buf) - pos < BATCH_HEADER_SIZE:
        return None
    base_offset, length, leader_epoch, magic, crc, attributes = struct.unpack_from(
        ">qiibIh", buf, pos)
    if magic != 2 or length < BATCH_HEADER_SIZE - 12 or pos + 12 + length > len(buf):
        return None
    if crc32c(buf[pos + 21:pos + 12 + length]) != crc:
        return None
    (record_count,) = struct.unpack_from(">i", buf, pos + 57)
    return {
        "offset": pos, "base_offset": base_offset, "length": 12 + length, "magic": magic,
        "crc": crc, "attributes": attributes,
        "compression": COMPRESSION_NAMES.get(attributes & 7, "codec_%d" % (attributes & 7)),
        "record_count": record_count,
    }


def find_record_batches(buf):
    """All CRC-valid v2 RecordBatches anywhere inside buf (a scan: any frame type works)."""
    found = []
    pos = 0
    end = len(buf) - BATCH_HEADER_SIZE
    while pos <= end:
        if buf[pos + 16] == 2:
            batch = parse_record_batch(buf, pos)
            if batch is not None:
                found.append(batch)
                pos += batch["length"]
                continue
        pos += 1
    return found


# ---------------------------------------------------------------- small readers
class Reader:
    def __init__(self, buf, pos=0):
        self.buf = buf
        self.pos = pos

    def take(self, fmt):
        vals = struct.unpack_from(fmt, self.buf, self.pos)
        self.pos += struct.calcsize(fmt)
        return vals[0] if len(vals) == 1 else vals

    def uvarint(self):
        shift = result = 0
        while True:
            b = self.buf[self.pos]
            self.pos += 1
            result |= (b & 0x7F) << shift
            if not b & 0x80:
                return result
            shift += 7
            if shift > 35:
                raise ValueError("uvarint too long")

    def string(self, compact, nullable=False):
        n = self.uvarint() - 1 if compact else self.take(">h")
        if n < 0:
            if not nullable:
                raise ValueError("null in non-nullable string")
            return None
        s = self.buf[self.pos:self.pos + n]
        self.pos += n
        return s.decode("utf-8")

    def bytes_(self, compact):
        n = self.uvarint() - 1 if compact else self.take(">i")
        if n < 0:
            return None
        b = self.buf[self.pos:self.pos + n]
        self.pos += n
        return b

    def array_len(self, compact):
        return self.uvarint() - 1 if compact else self.take(">i")

    def tagged_fields(self):
        for _ in range(self.uvarint()):
            self.uvarint()  # tag
            size = self.uvarint()
            self.pos += size


def request_body_reader(frame):
    """Reader positioned after the request header (v1, or v2 when the API version is flexible)."""
    key, version, _corr = parse_request_header(frame)
    r = Reader(frame, 8)
    r.string(compact=False, nullable=True)  # client_id is a non-compact nullable string in v1 and v2
    # ApiVersions v3+ has request header v2 like every other flexible request.
    if is_flexible(key, version):
        r.tagged_fields()
    return r


def produce_request_batches(frame):
    """Parse a Produce request (v3+) and return [(topic, partition, [batches])]."""
    key, version, _corr = parse_request_header(frame)
    if key != 0 or version < 3:
        raise ValueError("not a Produce request v3+")
    flex = is_flexible(key, version)
    r = request_body_reader(frame)
    r.string(flex, nullable=True)  # transactional_id
    r.take(">h")  # acks
    r.take(">i")  # timeout_ms
    out = []
    for _ in range(r.array_len(flex)):
        topic = r.string(flex)
        for _ in range(r.array_len(flex)):
            partition = r.take(">i")
            records = r.bytes_(flex) or b""
            batches = []
            pos = 0
            while pos < len(records):
                batch = parse_record_batch(records, pos)
                if batch is None:
                    raise ValueError("invalid RecordBatch at %d in %s-%d" % (pos, topic, partition))
                batches.append(batch)
                pos += batch["length"]
            out.append((topic, partition, batches))
            if flex:
                r.tagged_fields()
        if flex:
            r.tagged_fields()
    if flex:
        r.tagged_fields()
    if r.pos != len(frame):
        raise ValueError("%d trailing bytes after Produce request" % (len(frame) - r.pos))
    return out


def join_group_response_error(frame, version):
    """error_code of a JoinGroup response frame (given without its size prefix)."""
    r = Reader(frame, 4)  # after correlation_id
    if is_flexible(11, version):
        r.tagged_fields()  # response header v1
    if version >= 2:
        r.take(">i")  # throttle_time_ms
    return r.take(">h")
