"""transformers backend: any local Hugging Face causal-LM or seq2seq folder, or a hub id."""
from __future__ import annotations

import threading
from collections.abc import Iterator

from qa.generate.base import GenerationError, Messages


class TransformersGenerator:
    def __init__(self, model: str, device: str = "cpu"):
        from transformers import AutoConfig, AutoModelForCausalLM, AutoModelForSeq2SeqLM, AutoTokenizer

        config = AutoConfig.from_pretrained(model)
        self.seq2seq = bool(getattr(config, "is_encoder_decoder", False))
        cls = AutoModelForSeq2SeqLM if self.seq2seq else AutoModelForCausalLM
        self.tokenizer = AutoTokenizer.from_pretrained(model)
        self.model = cls.from_pretrained(model).to(device).eval()
        self.device = device
        self.name = f"transformers:{model}"
        self._lock = threading.Lock()

    def _inputs(self, messages: Messages):
        if getattr(self.tokenizer, "chat_template", None) and not self.seq2seq:
            text = self.tokenizer.apply_chat_template(list(messages), tokenize=False, add_generation_prompt=True)
        else:
            text = "\n\n".join(m["content"] for m in messages)
        return self.tokenizer(text, return_tensors="pt", truncation=True, max_length=2048).to(self.device)

    def generate(self, messages: Messages, max_tokens: int = 200, temperature: float = 0.0) -> str:
        return "".join(self.stream(messages, max_tokens, temperature))

    def stream(self, messages: Messages, max_tokens: int = 200, temperature: float = 0.0) -> Iterator[str]:
        from transformers import TextIteratorStreamer

        inputs = self._inputs(messages)
        streamer = TextIteratorStreamer(self.tokenizer, skip_prompt=not self.seq2seq, skip_special_tokens=True)
        kwargs = dict(**inputs, max_new_tokens=max_tokens, streamer=streamer,
                      do_sample=temperature > 0, **({"temperature": temperature} if temperature > 0 else {}))
        if getattr(self.tokenizer, "pad_token_id", None) is None and getattr(self.tokenizer, "eos_token_id", None) is not None:
            kwargs["pad_token_id"] = self.tokenizer.eos_token_id
        errors: list[BaseException] = []

        def work() -> None:
            try:
                self.model.generate(**kwargs)
            except BaseException as exc:  # surfaced to the caller below
                errors.append(exc)
                streamer.end()

        with self._lock:
            thread = threading.Thread(target=work, daemon=True)
            thread.start()
            for piece in streamer:
                if piece:
                    yield piece
            thread.join()
        if errors:
            raise GenerationError(f"transformers generation failed: {errors[0]}")
