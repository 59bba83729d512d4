#!/usr/bin/env python3
"""PyYAML, the YAML library MLflow writes its meta.yaml files with.

commands (request = one JSON object):
  dump {"value": JSON value} -> {text: yaml.safe_dump(value, default_flow_style=False)}
  load {"text": YAML} -> {value: yaml.safe_load(text)}
"""
import oracle_cli
from oracle_cli import field


def dump(request):
    import yaml

    return {"text": yaml.safe_dump(field(request, "value"), default_flow_style=False)}


def load(request):
    import yaml

    return {"value": yaml.safe_load(field(request, "text", str))}


if __name__ == "__main__":
    oracle_cli.main(__doc__, {"dump": dump, "load": load}, requires=["yaml"])
