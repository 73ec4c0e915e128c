#!/bin/sh
# Validates every YAML file this repository ships for CI against the schema
# of the service that reads it, with check-jsonschema (PyPI): the GitHub
# workflows against its vendored GitHub schema, the GitLab CI file against
# its vendored GitLab schema, and .pre-commit-hooks.yaml against the schema
# in schemas/pre-commit-hooks.schema.json. No network is needed: the
# schemas are vendored.
#
#   pip install check-jsonschema
#   examples/ci/validate.sh
set -eu
cd "$(dirname "$0")/../.."

check-jsonschema --builtin-schema vendor.github-workflows \
    examples/ci/github-actions.yml examples/ci/release.yml
check-jsonschema --builtin-schema vendor.gitlab-ci examples/ci/gitlab-ci.yml
check-jsonschema --schemafile schemas/pre-commit-hooks.schema.json .pre-commit-hooks.yaml
