"""Sends numbered records one at a time to partition 0 and waits for each acknowledgement, until
the broker stops answering or the time or count runs out. Returns every acknowledged
(offset, number) pair: what a crash must never lose."""
import argparse
import json
import sys
import time


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bootstrap-server", default="127.0.0.1:9092")
    parser.add_argument("--topic", default="crash")
    parser.add_argument("--acks", default="all")
    parser.add_argument("--first", type=int, default=0)
    parser.add_argument("--count", type=int, default=100000)
    parser.add_argument("--seconds", type=float, default=20)
    args = parser.parse_args(argv)

    from kafka import KafkaProducer

    acks = args.acks if args.acks == "all" else int(args.acks)
    producer = KafkaProducer(bootstrap_servers=[args.bootstrap_server], acks=acks, retries=0,
                             request_timeout_ms=2000, max_block_ms=2000, reconnect_backoff_max_ms=200)
    acked = []
    error = None
    deadline = time.time() + args.seconds
    try:
        for n in range(args.first, args.first + args.count):
            if time.time() > deadline:
                break
            metadata = producer.send(args.topic, value=str(n).encode(), partition=0).get(timeout=3)
            acked.append([metadata.offset, n])
    except Exception as exception:  # the broker was killed: stop and report what was acknowledged
        error = type(exception).__name__
    try:
        producer.close(timeout=1)
    except Exception:
        pass
    return {"acked": acked, "error": error}


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1:])))
