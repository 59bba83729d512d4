#!/usr/bin/env python3
"""Prometheus' own Python client (prometheus_client) parsing the text exposition format.

commands (request = one JSON object):
  parse {"text": exposition text} -> {families: {name: {type, samples: [{name, labels, value}]}}}
"""
import oracle_cli
from oracle_cli import field


def parse(request):
    from prometheus_client.parser import text_string_to_metric_families

    families = {}
    for fam in text_string_to_metric_families(field(request, "text", str)):
        families[fam.name] = {
            "type": fam.type,
            "samples": [{"name": s.name, "labels": dict(s.labels), "value": s.value} for s in fam.samples],
        }
    return {"families": families}


if __name__ == "__main__":
    oracle_cli.main(__doc__, {"parse": parse}, requires=["prometheus_client"])
