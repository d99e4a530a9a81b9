#!/usr/bin/env python3
"""Sanity check of the golden frames (plain python3, standard library only).

    python3 Interop/tools/check_golden_frames.py [FOLDER]   (default: Tests/KafkaProtocolTests/GoldenFrames)

For every MANIFEST.tsv row: the file exists with the listed size. A request's header parses and its
api_key / api_version / correlation_id match the manifest and the file name; a response starts with the
manifest's correlation id, which equals that of the request with the same name stem. Produce requests
(v3+) are parsed field by field: each partition's records hold CRC-valid RecordBatches with magic 2,
gzip-compressed (attributes & 7 == 1) unless the file is the `_uncompressed` variant (codec 0).
Fetch responses are scanned for CRC-valid RecordBatches (reported). Exits 1 on any failure.
"""

import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import golden_common as gc  # noqa: E402

REPO = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))


def main():
    folder = sys.argv[1] if len(sys.argv) > 1 else os.path.join(REPO, "Tests", "KafkaProtocolTests", "GoldenFrames")
    with open(os.path.join(folder, "MANIFEST.tsv")) as f:
        lines = f.read().splitlines()
    header = lines[0].split("\t")
    rows = [dict(zip(header, line.split("\t"))) for line in lines[1:] if line.strip()]
    failures = []
    corr_by_stem = {}
    produce_checked = fetch_with_records = 0

    def fail(msg):
        failures.append(msg)

    for r in rows:
        path = os.path.join(folder, r["file"])
        if not os.path.exists(path):
            fail("%s: missing" % r["file"])
            continue
        data = open(path, "rb").read()
        key, ver, corr = int(r["api_key"]), int(r["api_version"]), int(r["correlation_id"])
        if len(data) != int(r["bytes"]):
            fail("%s: %d bytes, manifest says %s" % (r["file"], len(data), r["bytes"]))
        expected_prefix = "%s_%s_v%d_%s" % (gc.api_name(key), r["direction"], ver, r["client"])
        if not r["file"].startswith(expected_prefix):
            fail("%s: name does not start with %s" % (r["file"], expected_prefix))
        stem = r["file"].replace("_request_", "_").replace("_response_", "_")
        if r["direction"] == "request":
            try:
                hk, hv, hc = gc.parse_request_header(data)
                gc.request_body_reader(data)  # client_id (+ tagged fields) must parse too
            except Exception as e:  # noqa: BLE001
                fail("%s: request header does not parse: %s" % (r["file"], e))
                continue
            if (hk, hv, hc) != (key, ver, corr):
                fail("%s: header says key %d v%d corr %d" % (r["file"], hk, hv, hc))
            corr_by_stem.setdefault(stem, []).append(("request", hc))
            if key == 0:
                try:
                    parts = gc.produce_request_batches(data)
                except Exception as e:  # noqa: BLE001
                    fail("%s: Produce request does not parse: %s" % (r["file"], e))
                    continue
                want = "none" if r["file"].endswith("_uncompressed.bin") else "gzip"
                batches = [b for _t, _p, bs in parts for b in bs]
                if not batches:
                    fail("%s: no RecordBatch" % r["file"])
                for b in batches:
                    if b["magic"] != 2 or b["compression"] != want:
                        fail("%s: batch magic %d compression %s, want magic 2 %s"
                             % (r["file"], b["magic"], b["compression"], want))
                produce_checked += 1
                print("ok %-60s %s" % (r["file"], ", ".join(
                    "%s-%d: %d batch(es) magic %s %s, %s records" % (
                        t, p, len(bs), "/".join(str(b["magic"]) for b in bs),
                        "/".join(b["compression"] for b in bs), "/".join(str(b["record_count"]) for b in bs))
                    for t, p, bs in parts)))
        else:
            if len(data) < 4:
                fail("%s: response shorter than 4 bytes" % r["file"])
                continue
            (hc,) = struct.unpack(">i", data[:4])
            if hc != corr:
                fail("%s: correlation id %d, manifest says %d" % (r["file"], hc, corr))
            corr_by_stem.setdefault(stem, []).append(("response", hc))
            if key == 1:
                batches = gc.find_record_batches(data)
                if batches:
                    fetch_with_records += 1
                print("ok %-60s %d RecordBatch(es): %s" % (r["file"], len(batches), ", ".join(
                    "magic %d %s %d records" % (b["magic"], b["compression"], b["record_count"]) for b in batches)))
    for stem, seen in corr_by_stem.items():
        if len({c for _d, c in seen}) != 1:
            fail("%s: request and response correlation ids differ: %r" % (stem, seen))
    print("%d files, %d Produce requests checked, %d Fetch responses with records, %d failures"
          % (len(rows), produce_checked, fetch_with_records, len(failures)))
    for msg in failures:
        print("FAIL " + msg)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
