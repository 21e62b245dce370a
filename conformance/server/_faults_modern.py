"""The faults of the hand-written 2.x surface (chat, embeddings, Responses): each
breaks one rule a modern check states. Joined into ``FAULTS`` by ``_faults``."""

from __future__ import annotations

MODERN_CATALOGUE: tuple[tuple[str, str, str | None], ...] = (
    ("chat_ignore_n", "one chat choice whatever 'n' says", "choices_count"),
    (
        "chat_wrong_finish_reason",
        "finish_reason 'stop' when max_tokens / max_completion_tokens cut the answer",
        "finish_reason_consistent",
    ),
    ("chat_extra_top_logprobs", "chat top_logprobs hold one entry more than asked", "chat_logprobs"),
    ("chat_exceed_max_tokens", "chat answers run to max_(completion_)tokens + 3 tokens", "max_tokens_respected"),
    ("chat_keep_stop_sequence", "chat content keeps the stop sequence it stopped at", "stop_respected"),
    ("chat_usage_mismatch", "chat usage.total_tokens is one more than prompt + completion", "usage_arithmetic"),
    ("chat_stream_no_role", "the first delta of a chat stream lacks 'role'", "chat_stream_consistent"),
    ("chat_stream_no_usage_chunk", "no final usage chunk under stream_options.include_usage", "stream_usage"),
    ("chat_stream_no_done", "chat streams end without 'data: [DONE]'", "stream_format"),
    (
        "chat_ignore_tool_choice",
        "plain text answered to tool_choice 'required' or a named function",
        "tool_choice_honoured",
    ),
    ("chat_bad_tool_arguments", "tool call arguments miss a required property of the tool", "tool_calls_valid"),
    ("chat_schema_violation", "strict json_schema content misses a required property", "structured_output"),
    ("chat_wrong_model", "chat and embeddings answer model 'reference-model' whatever was asked", "model_echoed"),
    (
        "embedding_ignore_dimensions",
        "embeddings have the model's full dimension whatever 'dimensions' says",
        "embedding_count_order_dimension",
    ),
    ("embedding_base64_short", "base64 embeddings are one float32 short", "embedding_base64"),
    (
        "responses_text_mismatch",
        "a response's output_text differs from its output message text",
        "response_output_consistent",
    ),
    (
        "responses_ignore_max_output_tokens",
        "responses complete (text not cut) when max_output_tokens is hit",
        "response_status",
    ),
    ("responses_stream_sequence_gap", "two Responses stream events share a sequence_number", "response_stream_events"),
    ("responses_stream_no_completed", "Responses streams end without their terminal event", "response_stream_events"),
    ("responses_delete_noop", "deleteResponse answers deleted but getResponse still finds it", "response_roundtrip"),
)
