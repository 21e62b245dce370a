"""The pytest plugin, run inside pytest with ``pytester``.

Always in a subprocess: an in-process run drops the modules it imported from
``sys.modules`` afterwards, and the check catalogue would register twice.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

pytest_plugins = ["pytester"]
KEY = "sk-plugin-test-0123456789abcdef"


def test_one_item_per_operation_and_mode_passing_on_a_conformant_server(
    pytester: pytest.Pytester, reference_server
) -> None:
    result = pytester.runpytest_subprocess(
        "--oai-base-url",
        reference_server.base_url,
        "--oai-api-key",
        KEY,
        "--oai-operations",
        "listModels,retrieveModel,createEmbedding",
        "--oai-max-examples",
        "3",
        "-p",
        "no:cacheprovider",
        "-v",
    )
    result.assert_outcomes(passed=10)  # 3 operations x 3 modes + the models workflow
    result.stdout.fnmatch_lines(["*createEmbedding?negative? PASSED*", "*stateful?models? PASSED*"])


def test_an_item_fails_with_its_findings(pytester: pytest.Pytester, server_factory) -> None:
    server = server_factory(faults=["ignore_n"])
    result = pytester.runpytest_subprocess(
        "--oai-base-url",
        server.base_url,
        "--oai-api-key",
        KEY,
        "--oai-operations",
        "createCompletion",
        "--oai-modes",
        "examples",
        "-p",
        "no:cacheprovider",
    )
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*choices_count*", "*curl*"])


def test_works_with_xdist_and_junit(pytester: pytest.Pytester, reference_server) -> None:
    junit = pytester.path / "junit.xml"
    result = pytester.runpytest_subprocess(
        "--oai-base-url",
        reference_server.base_url,
        "--oai-api-key",
        KEY,
        "--oai-operations",
        "listModels,createModeration",
        "--oai-max-examples",
        "2",
        "--oai-modes",
        "positive,examples",
        "-n",
        "2",
        f"--junitxml={junit}",
        "-p",
        "no:cacheprovider",
    )
    result.assert_outcomes(passed=4)
    cases = ET.parse(junit).getroot().iter("testcase")
    assert sorted(c.get("name") for c in cases) == [
        "createModeration[examples]",
        "createModeration[positive]",
        "listModels[examples]",
        "listModels[positive]",
    ]


def test_a_refused_key_fails_the_item_instead_of_passing_silently(pytester: pytest.Pytester, reference_server) -> None:
    result = pytester.runpytest_subprocess(
        "--oai-base-url",
        reference_server.base_url,
        "--oai-operations",
        "listModels",
        "--oai-modes",
        "examples",
        "-p",
        "no:cacheprovider",
    )
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*401*key*"])


def test_without_the_option_the_plugin_adds_nothing(pytester: pytest.Pytester) -> None:
    pytester.makepyfile("def test_plain():\n    assert True\n")
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)
