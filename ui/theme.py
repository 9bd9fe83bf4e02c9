"""How the UI looks (theme, CSS) and the one script it needs: the input-method Enter guard."""
from __future__ import annotations

FONTS = ["Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", "Source Han Sans SC", "system-ui", "sans-serif"]

# Chinese is typed through an input method: the Enter that commits a composition must not also
# submit the half-typed question. Gradio's textbox submits on Enter keypress; we stop keydown and
# keypress in the capture phase (before any handler on the textbox) while a composition is open
# (event.isComposing, or keyCode 229 which Safari sends right after compositionend). The default
# action is left alone so the input method still commits the text.
IME_GUARD = """
<script>
(() => {
  let composing = false, imeKey = false;
  const ours = (e) => e.target && e.target.closest && e.target.closest('#question');
  window.addEventListener('compositionstart', (e) => { if (ours(e)) composing = true; }, true);
  window.addEventListener('compositionend', (e) => { if (ours(e)) composing = false; }, true);
  const guard = (e) => {
    if (!ours(e)) return;
    if (e.type === 'keydown') imeKey = e.isComposing || e.keyCode === 229 || composing;
    if ((e.key === 'Enter' || e.keyCode === 13 || e.keyCode === 229) && (imeKey || e.isComposing || composing)) {
      e.stopImmediatePropagation();
      e.stopPropagation();
    }
  };
  window.addEventListener('keydown', guard, true);
  window.addEventListener('keypress', guard, true);
  window.addEventListener('keyup', (e) => { if (ours(e)) imeKey = false; }, true);
})();
</script>
"""

CSS = """
.gradio-container { max-width: 1080px !important; width: 100% !important; margin: 0 auto !important;
  overflow: visible !important; overflow-x: clip !important; }  /* hidden would unstick #composer */
#header { padding: 8px 4px 0; }
#header h1 { font-size: 1.55rem; margin: 0; letter-spacing: .02em; }
#header .sub { color: var(--body-text-color-subdued); margin-top: 4px; font-size: .92rem; }
#header .sub a { color: var(--color-accent); text-decoration: none; }
#filters { align-items: end; }
#composer { position: sticky; bottom: 0; z-index: 5; background: var(--background-fill-primary);
  padding: 8px 0 6px; border-top: 1px solid var(--border-color-primary); }
#composer textarea { font-size: 1rem; }
#examples { gap: 6px !important; flex-wrap: wrap; }
#examples button { flex: 0 0 auto !important; min-width: 0 !important; border-radius: 999px !important;
  font-weight: 400 !important; font-size: .86rem !important; padding: 4px 12px !important; }
#examples-label { flex: 0 0 auto; color: var(--body-text-color-subdued); font-size: .86rem; align-self: center; }

.transcript { display: flex; flex-direction: column; gap: 14px; padding: 6px 2px 12px; min-height: 300px; }
.gradio-container .muted { color: var(--body-text-color-subdued); font-size: .85rem; }
.empty { margin: 40px auto; max-width: 560px; text-align: center; color: var(--body-text-color-subdued); }
.empty-title { font-size: 1.25rem; color: var(--body-text-color); margin-bottom: 8px; font-weight: 600; }
.turn-q { display: flex; justify-content: flex-end; }
.turn-q .bubble { background: var(--color-accent); color: #fff; padding: 9px 14px; border-radius: 16px 16px 4px 16px;
  max-width: 75%; white-space: pre-wrap; word-break: break-word; line-height: 1.55; }
.turn-a { max-width: 100%; }
.answer { font-size: 1.04rem; line-height: 1.8; padding: 12px 16px; border-radius: 4px 16px 16px 16px;
  background: var(--block-background-fill); border: 1px solid var(--border-color-primary); word-break: break-word; }
.answer mark.fig { background: none; color: inherit; font-weight: 700; padding: 0; }
.cite { display: inline-block; font-size: .72em; line-height: 1.5; padding: 0 5px; border-radius: 4px;
  vertical-align: 2px; font-weight: 600; text-decoration: none; margin: 0 0 0 3px; }
a.cite { color: var(--color-accent); background: var(--color-accent-soft, #eef2ff); }
a.cite:hover { background: var(--color-accent); color: #fff; }
.cite.dead { color: var(--body-text-color-subdued); background: var(--background-fill-secondary); }
.meta { display: flex; flex-wrap: wrap; align-items: center; gap: 8px; margin: 6px 2px 0; font-size: .82rem; }
.badge { padding: 2px 8px; border-radius: 999px; background: var(--background-fill-secondary);
  border: 1px solid var(--border-color-primary); }
.badge.ok { background: #ecfdf3; border-color: #a6e9c0; color: #146c3a; }
.badge.warn { background: #fff7e6; border-color: #f5c97a; color: #8a5300; }
.rewrite { color: var(--body-text-color-subdued); }
.pending .cursor::after { content: "▍"; animation: blink 1s steps(1) infinite; color: var(--color-accent); }
@keyframes blink { 50% { opacity: 0; } }
.spinner { display: inline-block; width: 12px; height: 12px; border: 2px solid var(--border-color-primary);
  border-top-color: var(--color-accent); border-radius: 50%; animation: spin .8s linear infinite; }
@keyframes spin { to { transform: rotate(360deg); } }

.cards { margin-top: 10px; display: flex; flex-direction: column; gap: 8px; }
.cards-title { font-size: .8rem; color: var(--body-text-color-subdued); letter-spacing: .08em; margin-left: 2px; }
.card { border: 1px solid var(--border-color-primary); border-left: 3px solid var(--color-accent); border-radius: 8px;
  padding: 10px 14px; background: var(--background-fill-primary); scroll-margin-top: 80px; transition: box-shadow .3s; }
.card:target { box-shadow: 0 0 0 3px var(--color-accent-soft, rgba(99,102,241,.25)); }
.card-head { display: flex; align-items: baseline; gap: 8px; font-size: .86rem; flex-wrap: wrap; }
.card-head .num { background: var(--color-accent); color: #fff; border-radius: 4px; padding: 0 6px; font-weight: 600;
  font-size: .78rem; }
.card-head .pid { margin-left: auto; color: var(--body-text-color-subdued); font-family: var(--font-mono); font-size: .74rem; }
.para { margin: 8px 0 4px; line-height: 1.8; font-size: .93rem; color: var(--body-text-color); }
.para .quote { background: #fff3bf; color: #3b3000; }
mark.fig { background: #ffd8a8; color: #5c2a00; border-radius: 3px; padding: 0 2px; font-weight: 600; }
.dark .para .quote { background: #5c4b00; color: #fff3bf; }
.dark mark.fig { background: #8a4b00; color: #fff; }
details.ctx summary { cursor: pointer; color: var(--color-accent); font-size: .84rem; user-select: none; }
details.ctx[open] summary { margin-bottom: 6px; }
.ctx-para { border-left: 2px solid var(--border-color-primary); padding-left: 10px; margin: 6px 0; }
.ctx-para p { margin: 2px 0; font-size: .88rem; line-height: 1.7; color: var(--body-text-color-subdued); }
.ctx-label { font-size: .75rem; color: var(--body-text-color-subdued); }

.refusal { background: #fff8e6; border: 1px solid #f3d08a; border-left: 4px solid #e0a100; border-radius: 10px;
  padding: 12px 16px; color: #5a4300; }
.refusal-title { font-weight: 700; margin-bottom: 4px; }
.refusal p { margin: 4px 0; line-height: 1.7; }
.refusal-searched { margin: 6px 0; font-size: .88rem; }
.doc-chip { display: inline-block; margin: 2px 6px 2px 0; padding: 1px 8px; border-radius: 999px;
  background: #fff; border: 1px solid #f3d08a; }
.dark .doc-chip { background: transparent; }
.refusal .muted { color: #8a7340; }
.error { background: #fff1f0; border: 1px solid #ffccc7; border-left: 4px solid #e5484d; border-radius: 10px;
  padding: 10px 14px; color: #7a1c1c; }
.dark .refusal { background: #3a2e08; color: #ffe8a3; border-color: #6b5312; }
.dark .error { background: #3b1414; color: #ffd1d1; border-color: #6b2020; }
.upload-status .ok { background: #ecfdf3; border: 1px solid #a6e9c0; border-radius: 10px; padding: 10px 14px; color: #146c3a; }
.upload-status .error { margin-top: 0; }
table.indicators { width: 100%; border-collapse: collapse; font-size: .92rem; }
table.indicators th, table.indicators td { border-bottom: 1px solid var(--border-color-primary); padding: 6px 8px;
  text-align: left; vertical-align: top; }
details.cell summary { cursor: pointer; color: var(--color-accent); font-variant-numeric: tabular-nums; }
details.cell[open] .card { margin-top: 6px; max-width: 42rem; }
.badge.link { text-decoration: none; cursor: pointer; }
"""


def theme():
    import gradio as gr

    return gr.themes.Soft(primary_hue="indigo", neutral_hue="slate", font=FONTS,
                          font_mono=["Noto Sans Mono CJK SC", "ui-monospace", "monospace"])
