# Generates the Python fixtures of session's Starlette tests: what Python's
# json.dumps writes, and Starlette cookies signed by itsdangerous, for values
# Go must keep exactly. The tests read the files this writes and need no
# Python. Run from this directory: python3 gen.py (Python 3.11,
# itsdangerous 2.2).
import base64
import json

import itsdangerous

cases = [
    ("int64 max", 2**63 - 1),
    ("int64 min", -(2**63)),
    ("2**63", 2**63),
    ("-2**63-1", -(2**63) - 1),
    ("2**64", 2**64),
    ("10**400", 10**400),
    ("-10**100", -(10**100)),
    ("nan", float("nan")),
    ("inf", float("inf")),
    ("-inf", float("-inf")),
    ("1e400 is inf", float("1e400")),
    ("1e16", 1e16),
    ("1e15", 1e15),
    ("1.5e-05", 1.5e-05),
    ("0.1", 0.1),
    ("-0.0", -0.0),
    ("smallest subnormal", 5e-324),
    ("largest float", 1.7976931348623157e308),
    ("123456789.125", 123456789.125),
    ("strings", "\u00e9\u2028\U0001F600\"\\\n\x01\x7f/"),
    ("nested", {"a": [1, 2**70, {"b": float("nan"), "c": None}], "z": [True, False, -(2**65)]}),
    ("session", {"id": 2**64, "score": float("inf"), "user": "alice", "visits": 3}),
]

with open("dumps.txt", "w") as f:
    for name, v in cases:
        f.write(name + "\t" + json.dumps(v, sort_keys=True) + "\n")


class FixedSigner(itsdangerous.TimestampSigner):
    def get_timestamp(self):
        return 1700000000


# What Starlette's SessionMiddleware writes: b64encode(json.dumps(session)),
# signed by TimestampSigner(secret_key).
signer = FixedSigner("example")
with open("cookies.txt", "w") as f:
    for name, v in cases:
        session = {"v": v}
        data = base64.b64encode(json.dumps(session, sort_keys=True).encode("utf-8"))
        f.write(name + "\t" + signer.sign(data).decode("ascii") + "\n")
