"""SASL scenario: over a SASL_PLAINTEXT listener, optionally creates a SCRAM user with the admin
client's alter_user_scram_credentials (logged in as --admin-user with --admin-mechanism), then
produces --count values as --username with --mechanism and reads them back.

Returns {"values": [...read back...]} or {"error": "<exception class>: <message>"} when the
client could not log in.
"""
import argparse
import json
import sys
import time

import kafka
from kafka.admin import KafkaAdminClient, UserScramCredentialUpsertion


def security(mechanism, username, password):
    return {"security_protocol": "SASL_PLAINTEXT", "sasl_mechanism": mechanism,
            "sasl_plain_username": username, "sasl_plain_password": password}


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bootstrap-server", required=True)
    parser.add_argument("--mechanism", required=True)
    parser.add_argument("--username", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--topic", required=True)
    parser.add_argument("--count", type=int, default=5)
    parser.add_argument("--create-user", default="", help="a SCRAM mechanism: create --username with it first")
    parser.add_argument("--admin-user", default="")
    parser.add_argument("--admin-password", default="")
    parser.add_argument("--admin-mechanism", default="PLAIN")
    arguments = parser.parse_args(argv)
    try:
        if arguments.create_user:
            admin = KafkaAdminClient(bootstrap_servers=arguments.bootstrap_server,
                                     **security(arguments.admin_mechanism, arguments.admin_user, arguments.admin_password))
            try:
                errors = admin.alter_user_scram_credentials([UserScramCredentialUpsertion(
                    arguments.username, arguments.create_user, arguments.password, iterations=8192)])
            finally:
                admin.close()
            if errors.get(arguments.username):
                return {"error": f"alter_user_scram_credentials: {errors}"}
        login = security(arguments.mechanism, arguments.username, arguments.password)
        producer = kafka.KafkaProducer(bootstrap_servers=arguments.bootstrap_server, max_block_ms=10000, **login)
        values = [f"{arguments.mechanism} #{n}" for n in range(arguments.count)]
        try:
            for value in values:
                producer.send(arguments.topic, value.encode()).get(timeout=15)
        finally:
            producer.close(timeout=5)
        consumer = kafka.KafkaConsumer(arguments.topic, bootstrap_servers=arguments.bootstrap_server,
                                       auto_offset_reset="earliest", enable_auto_commit=False, **login)
        got = []
        deadline = time.monotonic() + 15
        try:
            while len(got) < len(values) and time.monotonic() < deadline:
                for batch in consumer.poll(timeout_ms=200).values():
                    got.extend(record.value.decode() for record in batch)
        finally:
            consumer.close()
        return {"values": got}
    except Exception as error:  # the test checks which error a refused login gives
        return {"error": f"{type(error).__name__}: {error}"}


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1:])))
