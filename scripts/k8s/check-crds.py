"""Checks the chart's CRDs (check-chart.sh): every schema node has a type and a description, and example
ConexusRepository objects are accepted or refused by the openAPIV3Schema as the API server would (patterns,
enums, required fields, unknown fields). Usage: python check-crds.py CRD_DIR"""
import glob
import sys

import jsonschema
import yaml

# (what it shows, the object's spec and status, whether the schema accepts it)
REPOSITORY_CASES = [
    ("the README example", {"spec": {"source": "https://github.com/acme/api.git", "tenant": "acme", "schedule": "1h30m"}}, True),
    ("every spec field", {"spec": {"source": "ssh://git@git.example.com/acme/api.git", "branch": "release/1.2", "tenant": "acme",
                                   "repository": "acme/api@v1", "schedule": "15m", "suspend": True}}, True),
    ("a full status", {"spec": {"source": "https://github.com/acme/api.git", "tenant": "acme"},
                       "status": {"phase": "Ready", "repository": "api", "commit": "0a1b2c", "chunks": 10, "filesIndexed": 3,
                                  "lagSeconds": 0, "jobId": "j1", "lastIndexedAt": "2025-01-01T00:00:00Z", "observedGeneration": 2,
                                  "conditions": [{"type": "Ready", "status": "True", "lastTransitionTime": "2025-01-01T00:00:00Z",
                                                  "reason": "Indexed", "message": "", "observedGeneration": 2}]}}, True),
    ("no tenant", {"spec": {"source": "https://github.com/acme/api.git"}}, False),
    ("an http source", {"spec": {"source": "http://github.com/acme/api.git", "tenant": "acme"}}, False),
    ("an uppercase tenant", {"spec": {"source": "https://github.com/acme/api.git", "tenant": "Acme"}}, False),
    ("a schedule in days", {"spec": {"source": "https://github.com/acme/api.git", "tenant": "acme", "schedule": "1d"}}, False),
    ("a repository name starting with /", {"spec": {"source": "https://github.com/acme/api.git", "tenant": "acme", "repository": "/api"}}, False),
    ("an unknown phase", {"spec": {"source": "https://github.com/acme/api.git", "tenant": "acme"}, "status": {"phase": "Done"}}, False),
    ("a condition without a reason", {"spec": {"source": "https://github.com/acme/api.git", "tenant": "acme"},
                                      "status": {"conditions": [{"type": "Ready", "status": "True",
                                                                 "lastTransitionTime": "2025-01-01T00:00:00Z", "message": ""}]}}, False),
]


def undocumented(schema, path):
    """Paths of schema nodes without a type or a description."""
    missing = [f"{path}: no {key}" for key in ("type", "description") if key not in schema]
    for name, child in schema.get("properties", {}).items():
        # why: the API server refuses anything but a type on the root's metadata (it is ObjectMeta).
        if path == "" and name == "metadata":
            missing += [] if child == {"type": "object"} else [".metadata: only `type: object` is allowed"]
            continue
        missing += undocumented(child, f"{path}.{name}")
    if "items" in schema:
        missing += undocumented(schema["items"], f"{path}[]")
    return missing


def closed(schema):
    """The schema with unknown fields refused, as the API server prunes them (pruning is not an error there, but an
    example with a misspelt field should not pass here)."""
    schema = dict(schema)
    if "properties" in schema:
        schema["properties"] = {k: closed(v) for k, v in schema["properties"].items() if k != "metadata"}
        schema["additionalProperties"] = False
    if "items" in schema:
        schema["items"] = closed(schema["items"])
    return schema


def main(crd_dir):
    failures = []
    crds = [d for f in sorted(glob.glob(f"{crd_dir}/*.yaml")) for d in yaml.safe_load_all(open(f)) if d]
    for crd in crds:
        name = crd["metadata"]["name"]
        for version in crd["spec"]["versions"]:
            schema = version["schema"]["openAPIV3Schema"]
            failures += [f"{name} {version['name']}: {m}" for m in undocumented(schema, "")]
            if crd["spec"]["names"]["kind"] != "ConexusRepository":
                continue
            validator = jsonschema.Draft4Validator(closed(schema))
            for what, body, accepted in REPOSITORY_CASES:
                errors = list(validator.iter_errors(body))
                if accepted and errors:
                    failures.append(f"{name}: refuses {what}: {errors[0].message}")
                if not accepted and not errors:
                    failures.append(f"{name}: accepts {what}")
    for failure in failures:
        print(failure)
    print(f"{len(crds)} CRDs checked, {len(failures)} problems")
    return 1 if failures or not crds else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
