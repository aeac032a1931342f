"""Tool-call parsing: every accepted format, several calls per action, and garbage that never raises."""

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from healthgym.rl.parsing import MAX_ACTION_CHARS, parse_action


def test_plain_json() -> None:
    parsed = parse_action('{"name": "get_arrival", "arguments": {"arrival_id": "ED-t0-00001"}}')
    assert parsed.error is None
    assert [(c.name, c.arguments) for c in parsed.calls] == [("get_arrival", {"arrival_id": "ED-t0-00001"})]


def test_json_list_and_fenced_and_after_prose() -> None:
    two = json.dumps([{"name": "a", "arguments": {}}, {"name": "b", "parameters": {"x": 1}}])
    assert [c.name for c in parse_action(two).calls] == ["a", "b"]
    assert parse_action(two).calls[1].arguments == {"x": 1}
    fenced = 'I will check.\n```json\n{"name": "a", "arguments": {"k": [1, 2]}}\n```'
    assert parse_action(fenced).calls[0].arguments == {"k": [1, 2]}
    prose = 'Let me look: {"name": "a", "arguments": {"k": "v"}} then decide.'
    assert parse_action(prose).calls[0].arguments == {"k": "v"}


def test_openai_tool_calls_with_string_arguments() -> None:
    message = {"tool_calls": [{"id": "call_1", "type": "function",
                               "function": {"name": "check", "arguments": '{"drug_a": "warfarin"}'}}]}
    call = parse_action(json.dumps(message)).calls[0]
    assert (call.id, call.name, call.arguments) == ("call_1", "check", {"drug_a": "warfarin"})


def test_hermes_blocks() -> None:
    text = ('<think>plan</think><tool_call>\n{"name": "a", "arguments": {"x": 1}}\n</tool_call>\n'
            '<tool_call>{"name": "b", "arguments": {}}</tool_call>')
    assert [(c.name, c.arguments) for c in parse_action(text).calls] == [("a", {"x": 1}), ("b", {})]


def test_qwen3_coder_xml() -> None:
    text = ("<tool_call>\n<function=submit_answer>\n<parameter=esi_level>\n2\n</parameter>\n"
            "<parameter=protocols>\n[\"sepsis\"]\n</parameter>\n<parameter=note>\nfever, hypotension\n</parameter>\n"
            "</function>\n</tool_call>")
    call = parse_action(text).calls[0]
    assert call.name == "submit_answer"
    assert call.arguments == {"esi_level": 2, "protocols": ["sepsis"], "note": "fever, hypotension"}


def test_unclosed_hermes_block_at_end_of_generation() -> None:
    assert parse_action('<tool_call>{"name": "a", "arguments": {}}').calls[0].name == "a"


@pytest.mark.parametrize(
    ("action", "fragment"),
    [("", "Empty"), ("just thinking", "No tool call"), ("<tool_call>oops</tool_call>", "could not read"),
     (None, "must be text"), (42, "must be text"), ('{"name": 5}', "No tool call")],
)
def test_errors_explain_the_format(action, fragment: str) -> None:
    parsed = parse_action(action)
    assert parsed.calls == [] and fragment in parsed.error and "<tool_call>" in parsed.error


def test_bad_argument_json_is_kept_for_the_server_to_reject() -> None:
    call = parse_action('{"tool_calls": [{"function": {"name": "a", "arguments": "{bad"}}]}').calls[0]
    assert call.name == "a" and "__invalid_json__" in call.arguments


def test_bytes_are_decoded() -> None:
    assert parse_action(b'{"name": "a", "arguments": {}}').calls[0].name == "a"
    assert parse_action(b"\xff\xfe").error


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(), st.binary(), st.lists(st.integers()), st.none()))
def test_never_raises(action) -> None:
    parsed = parse_action(action)
    assert parsed.calls or parsed.error


_N = MAX_ACTION_CHARS
ADVERSARIAL = {
    "unclosed parameters": "<tool_call><function=f>" + "<parameter=a>x" * (_N // 14),
    "parameter names": "<tool_call><function=f>" + "<parameter=" * (_N // 11),
    "function names": "<tool_call>" + "<function=" * (_N // 10),
    "tool_call openings": "<tool_call>" * (_N // 11),
    "fences": "```json\n{" * (_N // 9),
    "braces": "{" * _N,
}


@pytest.mark.timeout(2)  # a guard, not a speed target: the quadratic regexes took 3-7 s on these
@pytest.mark.parametrize("action", ADVERSARIAL.values(), ids=ADVERSARIAL.keys())
def test_adversarial_actions_at_the_cap_parse_in_linear_time(action: str) -> None:
    assert len(action) <= MAX_ACTION_CHARS + 32
    parsed = parse_action(action)
    assert parsed.error is not None or all(call.name == "f" for call in parsed.calls)


def test_text_past_the_cap_is_not_parsed() -> None:
    call = '<tool_call>{"name": "get_labs", "arguments": {}}</tool_call>'
    assert parse_action("x" * (MAX_ACTION_CHARS - len(call)) + call).calls[0].name == "get_labs"
    assert parse_action("x" * MAX_ACTION_CHARS + call).error is not None


def test_unclosed_parameter_does_not_swallow_later_calls() -> None:
    action = ("<tool_call><function=a><parameter=x>1</parameter><parameter=y>2</function></tool_call>"
              "<tool_call><function=b><parameter=z>3</parameter></function></tool_call>")
    calls = parse_action(action).calls
    assert [(c.name, c.arguments) for c in calls] == [("a", {"x": 1}), ("b", {"z": 3})]
