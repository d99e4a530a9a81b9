"""The rows of the compatibility matrix, in the order COMPATIBILITY.md lists them. Every client
driver reports one cell per feature id; a driver that has no way to exercise a feature reports it
as unsupported with the reason."""

FEATURES = [
    ("connect_metadata", "Connect and metadata"),
    ("produce_acks_0", "Produce with acks=0"),
    ("produce_acks_1", "Produce with acks=1"),
    ("produce_acks_all", "Produce with acks=all"),
    ("compression_gzip", "Compression: gzip"),
    ("compression_lz4", "Compression: lz4"),
    ("compression_zstd", "Compression: zstd"),
    ("compression_snappy", "Compression: snappy"),
    ("keys_headers", "Keys and headers"),
    ("idempotent_producer", "Idempotent producer"),
    ("consume_earliest", "Consume from earliest"),
    ("consume_latest", "Consume from latest"),
    ("group_auto_commit", "Group consume, auto commit"),
    ("group_manual_commit", "Group consume, manual commit"),
    ("group_rebalance", "Rebalance with two members"),
    ("admin_create_topics", "Admin: create topics"),
    ("admin_list_topics", "Admin: list topics"),
    ("admin_describe_topics", "Admin: describe topics"),
    ("admin_delete_topics", "Admin: delete topics"),
    ("admin_list_groups", "Admin: list groups"),
    ("admin_describe_groups", "Admin: describe groups"),
    ("admin_group_offsets", "Admin: group offsets"),
    ("offsets_count_records", "End offsets and lag count records, not batches"),
    ("admin_delete_records", "Admin: delete records"),
    ("sasl_plain", "SASL/PLAIN"),
    ("sasl_scram_sha_256", "SASL/SCRAM-SHA-256"),
    ("sasl_scram_sha_512", "SASL/SCRAM-SHA-512"),
    ("sasl_ssl_plain", "SASL_SSL with PLAIN"),
    ("sasl_ssl_scram_sha_256", "SASL_SSL with SCRAM-SHA-256"),
    ("sasl_ssl_scram_sha_512", "SASL_SSL with SCRAM-SHA-512"),
    ("log_append_time", "LogAppendTime"),
    ("keyless_compacted_refused", "Keyless record on a compacted topic refused"),
    ("compaction_within_a_minute", "Compaction within a minute"),
    ("dynamic_broker_configs", "Dynamic broker configs"),
    ("ssl", "SSL"),
    ("ssl_client_certificate", "SSL with client certificate"),
    ("transactions", "Transactions (commit/abort)"),
    ("read_committed", "read_committed"),
]

# The SASL rows: produce and consume over a SASL_PLAINTEXT listener with each mechanism.
SASL_MECHANISMS = {"sasl_plain": "PLAIN", "sasl_scram_sha_256": "SCRAM-SHA-256", "sasl_scram_sha_512": "SCRAM-SHA-512"}
# The SASL_SSL rows: the same over a SASL_SSL listener, the broker's certificate checked with its host name.
SASL_SSL_MECHANISMS = {"sasl_ssl_plain": "PLAIN", "sasl_ssl_scram_sha_256": "SCRAM-SHA-256",
                       "sasl_ssl_scram_sha_512": "SCRAM-SHA-512"}

FEATURE_IDS = [feature_id for feature_id, _ in FEATURES]
