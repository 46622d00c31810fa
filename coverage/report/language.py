"""The fixed texts people read, in English or Chinese (简体中文): the CLI, the HTML report, the dashboard.

Every fixed text is written in English where it is used, through :func:`say`
(``say(lang, "Coverage")``, ``say(lang, "{n} sentences", n=3)``), and its
Chinese is in :data:`ZH`, keyed by the English. A text with no Chinese falls
back to English, and ``tests/test_language.py`` fails on any ``say`` call
whose English has no Chinese here, so the table cannot fall behind the code.

What stays as it is, in every language: the report's content (document and
summary text, section titles, file names), the JSON keys, and the details
the checker writes into flags and warnings (one phrase each, in English).
The fixed words inside the report that people read as labels (a flag's
reason, a figure's kind and status, the kind of skipped text) are
translated by :func:`term`.
"""

from __future__ import annotations

from typing import Literal, get_args

__all__ = ["LANGUAGES", "Language", "ZH", "language_name", "say", "term", "valid_language"]

Language = Literal["en", "zh"]
LANGUAGES: tuple[str, ...] = get_args(Language)
"""The languages of the fixed texts: ``"en"`` (English, the default) and ``"zh"`` (简体中文)."""

_NAMES = {"en": "English", "zh": "中文"}

ZH: dict[str, str] = {
    # --- the terminal report (coverage/report/terminal.py)
    "Document  {source}: {chars} characters, {tokens} tokens, {sections} sections, {passages} passages": (
        "文档      {source}：{chars} 个字符，{tokens} 个词元，{sections} 个章节，{passages} 个段落"
    ),
    "Text      {line}": "文本      {line}",
    "Summary   {source}: {n} sentences": "摘要      {source}：{n} 个句子",
    "Model     {line}": "模型      {line}",
    "Judge     {line}": "判定模型  {line}",
    "{name} on {device} ({dtype}, max {n} tokens per passage)": (
        "{name}，运行于 {device}（{dtype}，每段最多 {n} 个词元）"
    ),
    " [fallback]": "［备用模型］",
    "Coverage  {pct} of the document's tokens are covered ({covered}/{n} passages, threshold {t})": (
        "覆盖率    文档词元的 {pct} 已被摘要覆盖（{covered}/{n} 个段落，阈值 {t}）"
    ),
    "Support   {pct} of summary sentences are supported ({supported}/{n}, threshold {t})": (
        "支持率    摘要句子的 {pct} 有文档依据（{supported}/{n}，阈值 {t}）"
    ),
    "Sections": "章节",
    "coverage  score": "覆盖率   得分",
    "MISSING": "缺失",
    "Uncovered passages, most important first ({shown} of {n}):": (
        "未覆盖的段落，按重要性排序（共 {n} 个，列出 {shown} 个）："
    ),
    "{where}, score {score}": "{where}，得分 {score}",
    "Unsupported summary sentences ({n} of {total}):": "无依据的摘要句子（共 {total} 句，其中 {n} 句）：",
    "#{i} (support {support}) {text}": "#{i}（支持度 {support}）{text}",
    "judge: entailed {e}, contradicted {c}, neither {n}": "判定：蕴含 {e}，矛盾 {c}，无关 {n}",
    "judge: not run ({note})": "判定：未运行（{note}）",
    "contradicted by: [{section}] {where}: {text}": "与之矛盾：［{section}］{where}：{text}",
    "closest: [{section}] {text}": "最接近：［{section}］{text}",
    "none": "无",
    "Numbers, dates and amounts: {contradicted} contradicted, {absent} not found": (
        "数字、日期和金额：{contradicted} 处矛盾，{absent} 处未找到"
    ),
    'document says "{text}" (chars {a}-{b})': "文档写的是“{text}”（字符 {a}-{b}）",
    "stated nowhere in its evidence": "其依据中没有提到",
    '#{i} {kind}: summary says "{text}", {found}': "#{i} {kind}：摘要写的是“{text}”，{found}",
    "Warnings:": "警告：",
    # --- shared views (coverage/report/views.py, results.py)
    "characters {a}–{b}": "字符 {a}–{b}",
    "page {page}, {chars}": "第 {page} 页，{chars}",
    "not recorded (a report saved before the accounting was kept)": (
        "未记录（该报告保存于开始统计文本去向之前）"
    ),
    "scored {pct}% of the text": "已评分的文本占 {pct}%",
    "; skipped: ": "；跳过：",
    "{n} {what}": "{n} {what}",
    "; {n} characters neither scored nor skipped": "；{n} 个字符既未评分也未跳过",
    "not recorded (a report from before the support judge)": "未记录（该报告早于支持判定模型）",
    "not run: {reason}": "未运行：{reason}",
    "{name} ({dtype}), read {read} of {n} summary sentences": (
        "{name}（{dtype}），读取了 {n} 个摘要句子中的 {read} 个"
    ),
    "entailed {e} · contradicted {c} · neither {n}": "蕴含 {e} · 矛盾 {c} · 无关 {n}",
    "not run ({note})": "未运行（{note}）",
    # --- the HTML report (coverage/report/html_report.py)
    "Summary coverage report": "摘要覆盖报告",
    "Document {source} ({chars} characters, {tokens} tokens) · summary {summary} ({n} sentences) · "
    "model {model} on {device} · thresholds: coverage {ct}, support {st}": (
        "文档 {source}（{chars} 个字符，{tokens} 个词元）· 摘要 {summary}（{n} 个句子）· "
        "模型 {model}，运行于 {device} · 阈值：覆盖率 {ct}，支持率 {st}"
    ),
    "Document text: {line}": "文档文本：{line}",
    "Support judge: {line}": "支持判定模型：{line}",
    "Scored with the bundled fallback model: {reason}": "使用内置备用模型评分：{reason}",
    "Coverage": "覆盖率",
    "Support": "支持率",
    "Uncovered passages": "未覆盖的段落",
    "Unsupported sentences": "无依据的句子",
    "Document tokens": "文档词元",
    "{a} of {b}": "{a} / {b}",
    "Section": "章节",
    "Score": "得分",
    "Heatmap: best match per section and summary sentence": "热力图：每个章节与每个摘要句子的最佳匹配",
    "Hover a column number for its sentence.": "将鼠标悬停在列号上可查看对应的句子。",
    "Uncovered passages ({n}), most important first": "未覆盖的段落（{n} 个），按重要性排序",
    "score {score}, {where}": "得分 {score}，{where}",
    "{n} more in the JSON or CSV download.": "另有 {n} 个，见 JSON 或 CSV 下载。",
    "Unsupported summary sentences ({n})": "无依据的摘要句子（{n} 句）",
    "support {support}": "支持度 {support}",
    "Judge: {text}": "判定：{text}",
    "Contradicted by": "与之矛盾的段落",
    "Closest evidence: {text}": "最接近的依据：{text}",
    "Numbers, dates and amounts": "数字、日期和金额",
    "Sentence": "句子",
    "Status": "状态",
    "Kind": "类型",
    "Summary says": "摘要内容",
    "Document says": "文档内容",
    "Warnings": "警告",
}
"""Chinese for every fixed text, keyed by its English (a format string; the fields stay the same)."""

TERMS_ZH: dict[str, str] = {
    # flag reasons (coverage/score/verifier.py REASONS)
    "contradicted": "矛盾",
    "absent": "文档中未出现",
    "name swapped": "名称被替换",
    "not in evidence": "依据中没有",
    "role swapped": "角色互换",
    "negated": "否定相反",
    "modality changed": "情态改变",
    "antonym": "反义",
    "contradicted by the evidence": "与依据矛盾",
    "not supported by the evidence": "依据不支持",
    # kinds of figures (coverage/facts/quantities.py FactKind)
    "amount": "金额",
    "percentage": "百分比",
    "duration": "期限",
    "date": "日期",
    "number": "数字",
    # kinds of skipped text (coverage/report/accounting.py)
    "header/footer lines": "行页眉/页脚",
}
"""Chinese for the fixed words of a report that people read as labels."""


def valid_language(lang: str) -> Language:
    """``lang`` checked: one of :data:`LANGUAGES`.

    Raises:
        ValueError: Another value, with the choices in the message.
    """
    if lang not in LANGUAGES:
        raise ValueError(f"Unknown language {lang!r}; choose one of {', '.join(LANGUAGES)}.")
    return lang  # type: ignore[return-value]


def language_name(lang: str) -> str:
    """What a language is called in itself: ``"English"``, ``"中文"``."""
    return _NAMES[valid_language(lang)]


def say(lang: str, english: str, /, **values: object) -> str:
    """The fixed text ``english`` in ``lang``, its ``{fields}`` filled with ``values``."""
    template = ZH.get(english, english) if lang == "zh" else english
    return template.format(**values) if values else template


def term(lang: str, word: str) -> str:
    """A fixed word of the report (a flag's reason, a figure's kind) in ``lang``; others unchanged."""
    return TERMS_ZH.get(word, word) if lang == "zh" else word
