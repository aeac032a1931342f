"""The model check before an evaluation: one probe call, so that a missing key, an unreachable endpoint or a missing
provider package stops the run with one line saying what to fix, instead of failing every episode.

Without it each episode fails alone and is recorded as a result (graded as an empty episode), and a run of
configuration errors looks like a run of a bad model.
"""

from __future__ import annotations

from pathlib import Path

import anyio

PROBE = "Reply with the single word OK."
"""The probe's prompt: one short completion, no tools."""
PROBE_TIMEOUT_S = 60.0
"""Seconds the probe may take (a cold local server loading its model can take tens of seconds)."""
KEY_VARIABLES = {
    "openai": "OPENAI_API_KEY",
    "anthropic": "ANTHROPIC_API_KEY",
    "google-gla": "GEMINI_API_KEY",
    "google_genai": "GOOGLE_API_KEY",
    "groq": "GROQ_API_KEY",
    "mistral": "MISTRAL_API_KEY",
    "mistralai": "MISTRAL_API_KEY",
    "deepseek": "DEEPSEEK_API_KEY",
}
"""The environment variable each provider reads its key from (the providers' own documentation)."""


class ModelUnavailable(ValueError):
    """The model cannot be used as configured; the message is one line saying what is wrong and how to fix it."""


def needs_probe(model: str | None) -> bool:
    """Whether ``model`` names a remote model (a ``provider:model`` string), the only kind a probe can check."""
    from healthgym.agents.models import SCRIPTED

    return bool(model) and model != SCRIPTED and not Path(str(model)).is_dir()


def check_model_spec(model: str, base_url: str | None) -> None:
    """Refuse, without a call, a model string that names no provider (``gpt-4.1`` for ``openai:gpt-4.1``)."""
    if ":" not in model and not base_url:
        raise ModelUnavailable(
            f"--model {model!r} is not 'scripted', an existing model directory or a provider:model string; "
            f"did you mean 'openai:{model}' (or pass --base-url for an OpenAI-compatible server)?"
        )


def _first_line(err: BaseException, limit: int = 160) -> str:
    """The message's first line; past ``limit`` characters, its first sentence."""
    lines = str(err).strip().splitlines()
    text = lines[0] if lines else type(err).__name__
    return text.split(". ")[0] if len(text) > limit else text


def explain(err: BaseException, model: str, base_url: str | None) -> str:
    """One line naming the cause of a failed probe and the fix."""
    while isinstance(err, BaseExceptionGroup) and err.exceptions:
        err = err.exceptions[0]
    provider = "openai" if base_url else model.partition(":")[0]
    key = KEY_VARIABLES.get(provider, f"{provider.upper()}_API_KEY")
    names = " ".join(type(e).__name__ for e in (err, err.__cause__) if e is not None)
    status = getattr(err, "status_code", None) or getattr(getattr(err, "response", None), "status_code", None)
    text = _first_line(err)
    where = base_url or f"the {provider} API"
    if isinstance(err, ImportError):
        return f"model {model!r} needs a package that is not installed: {text}"
    if status in (401, 403) or "Authentication" in names or "api_key" in text.lower() or key in text:
        return f"model {model!r}: {where} has no valid API key ({text}); set {key}"
    if status == 404 or "NotFound" in names:
        return f"model {model!r}: {where} does not serve this model ({text}); check the name after the prefix"
    if "Connect" in names or "Timeout" in names or "connection" in text.lower():
        return f"model {model!r}: cannot reach {where} ({text}); is the server running and --base-url right?"
    return f"model {model!r} failed its check call: {type(err).__name__}: {text}"


def _probe_langchain(model: str, base_url: str | None) -> None:
    """The LangChain probe, synchronous: LangChain caches one async HTTP client per process, which a probe on its
    own event loop would leave bound to a closed loop for the run."""
    from healthgym.agents import models

    chat = models.langchain_model(model, base_url=base_url)
    for name, value in (("max_retries", 0), ("request_timeout", PROBE_TIMEOUT_S)):
        if hasattr(chat, name):
            setattr(chat, name, value)  # a refused connection or key fails the probe at once
    chat.invoke(PROBE)


async def _probe_pydantic_ai(model: str, base_url: str | None) -> None:
    from pydantic_ai import Agent

    from healthgym.agents import models

    with anyio.fail_after(PROBE_TIMEOUT_S):
        await Agent(models.pydantic_ai_model(model, base_url=base_url)).run(PROBE)


def check_model(agent: str, model: str, base_url: str | None = None) -> None:
    """Build the ``agent`` framework's model for ``model`` and make one call; raise :class:`ModelUnavailable` with a
    one-line explanation when it fails. Scripted and local-directory models are not probed."""
    if not needs_probe(model):
        return
    check_model_spec(model, base_url)
    try:
        if agent == "langgraph":
            _probe_langchain(model, base_url)
        else:
            anyio.run(_probe_pydantic_ai, model, base_url)
    except TimeoutError:
        raise ModelUnavailable(
            f"model {model!r}: no answer from {base_url or 'the provider'} within {PROBE_TIMEOUT_S:.0f} s"
        ) from None
    except Exception as err:
        raise ModelUnavailable(explain(err, model, base_url)) from err
