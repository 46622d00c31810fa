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
    "Numbers, dates, amounts and places: {contradicted} contradicted, {absent} not found": (
        "数字、日期、金额和地点：{contradicted} 处矛盾，{absent} 处未找到"
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
    ", ": "，",
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
    "Numbers, dates, amounts and places": "数字、日期、金额和地点",
    "Sentence": "句子",
    "Status": "状态",
    "Kind": "类型",
    "Summary says": "摘要内容",
    "Document says": "文档内容",
    "Warnings": "警告",
    # --- the dashboard (streamlit_app.py, coverage/app/)
    "Which parts of the document does the summary leave out, and which of its sentences lack support?": (
        "摘要漏掉了文档的哪些部分？摘要中哪些句子在文档中找不到依据？"
    ),
    "Try the sample contract": "试用示例合同",
    "Document (.txt, .md, .pdf, .docx)": "文档（.txt、.md、.pdf、.docx）",
    "Read scanned PDF pages with OCR (slow: seconds a page)": "用 OCR 读取扫描的 PDF 页面（较慢：每页数秒）",
    "Pages without a text layer are read with Tesseract; the report lists them.": (
        "没有文字层的页面用 Tesseract 识别；报告会列出这些页面。"
    ),
    "…or open a saved JSON report (with its review)": "……或打开已保存的 JSON 报告（含审阅记录）",
    "Summary file": "摘要文件",
    "…or paste the summary": "……或粘贴摘要",
    "Loading the model in the background… {s} s. The page is ready to use.": (
        "正在后台加载模型……已用 {s} 秒。页面已可使用。"
    ),
    "**Using the bundled all-MiniLM-L6-v2, not BAAI/bge-m3.**": (
        "**正在使用内置的 all-MiniLM-L6-v2，而不是 BAAI/bge-m3。**"
    ),
    "Model: {name} on {device} ({dtype}), max {n} tokens per passage": (
        "模型：{name}，运行于 {device}（{dtype}），每段最多 {n} 个词元"
    ),
    "Waiting for the model to load…": "正在等待模型加载……",
    "Loading the model… {s} s": "正在加载模型……{s} 秒",
    "Reading the document…": "正在读取文档……",
    "Document: {reason}": "文档：{reason}",
    "Summary: {reason}": "摘要：{reason}",
    "pasted summary": "粘贴的摘要",
    "Reading…": "正在读取……",
    "Segmenting…": "正在分段……",
    "Scoring…": "正在评分……",
    "Judging…": "正在判定……",
    "Reporting…": "正在生成报告……",
    "Embedding {done}/{total} texts": "正在编码文本 {done}/{total}",
    "Section (or click a row or cell of the heatmap)": "章节（或点击热力图的一行或一格）",
    "**{title}**: {pct} covered": "**{title}**：已覆盖 {pct}",
    ":green[✓ covered]": ":green[✓ 已覆盖]",
    ":red[**✗ uncovered**]": ":red[**✗ 未覆盖**]",
    " · :blue[best match for the selected sentence]": " · :blue[与所选句子最匹配]",
    "score {score}": "得分 {score}",
    "**Matching summary sentences**": "**匹配的摘要句子**",
    "**Summary sentence S{n}**": "**摘要句子 S{n}**",
    "No summary sentence matches a passage of this section best.": "没有摘要句子与本章节的段落最匹配。",
    ":green[supported]": ":green[有依据]",
    ":red[**unsupported**]": ":red[**无依据**]",
    "Report": "报告",
    "Document": "文档",
    "Coverage by section": "各章节的覆盖情况",
    "Each cell: the best match between a section's passages and one summary sentence (hover for both). "
    "The bar: the share of the section the summary covers. Click a row or cell to open it.": (
        "每一格：某章节的段落与某个摘要句子之间的最佳匹配（悬停可同时查看二者）。"
        "条形：摘要覆盖该章节的比例。点击一行或一格即可展开。"
    ),
    "This saved report holds no similarity matrix, so no heatmap (the dashboard's JSON has it).": (
        "此已保存的报告不含相似度矩阵，因此没有热力图（仪表盘导出的 JSON 含有该矩阵）。"
    ),
    "Uncovered passages ({n})": "未覆盖的段落（{n} 个）",
    "Most important first: sections the summary skips entirely, then by how clearly each passage is "
    "missed and how much it holds.": (
        "按重要性排序：先列出摘要完全跳过的章节，再按每个段落被遗漏的明显程度和所含内容多少排序。"
    ),
    "The Document tab now scrolls to this passage.": "“文档”标签页现在会滚动到这个段落。",
    "Every summary sentence has support in the document.": "每个摘要句子在文档中都有依据。",
    "Numbers, dates, amounts and places ({n} flagged)": "数字、日期、金额和地点（标记了 {n} 处）",
    "Numbers, dates, amounts, durations, percentages and places of summary sentences that their "
    "evidence contradicts, or never states. A contradicted fact pulls its sentence's support down.": (
        "摘要句子中与其依据矛盾或依据中从未出现的数字、日期、金额、期限、百分比和地点。"
        "有矛盾的事实会降低所在句子的支持度。"
    ),
    "All sections": "全部章节",
    "Downloads": "下载",
    "JSON report (schema 1, with the review)": "JSON 报告（第 1 版格式，含审阅记录）",
    "Passages (CSV)": "段落（CSV）",
    "HTML report": "HTML 报告",
    "Coverage of {source}": "{source} 的覆盖情况",
    "Word copy with comments": "带批注的 Word 副本",
    "The document with a Word comment on every flag, with your decisions and notes.": (
        "文档副本，每个标记处都有一条 Word 批注，附有您的决定和备注。"
    ),
    "The Word copy needs the document itself (a report opened from JSON does not hold it).": (
        "Word 副本需要文档本身（从 JSON 打开的报告不含文档）。"
    ),
    "The Document view needs the document itself; a report opened from JSON does not hold it.": (
        "“文档”视图需要文档本身；从 JSON 打开的报告不含文档。"
    ),
    "Outline the evidence of a summary sentence": "标出某个摘要句子的依据",
    "Each passage is tinted by its chance of being covered (red: missed, green: covered); uncovered "
    "passages have a red bar. Page numbers stand in the margin; page furniture is grey.": (
        "每个段落按其被覆盖的可能性着色（红色：遗漏，绿色：已覆盖）；未覆盖的段落有红色竖条。"
        "页码在页边；页眉页脚为灰色。"
    ),
    "Review ({n} flags)": "审阅（{n} 个标记）",
    "Confirm or dismiss each flag, with a note if you like; the JSON report and the Word copy carry it.": (
        "确认或驳回每个标记，可附备注；JSON 报告和 Word 副本会保留这些决定。"
    ),
    "flag": "标记",
    "kind": "类型",
    "finding": "发现",
    "page": "页码",
    "decision": "决定",
    "note": "备注",
    "Coverage after review": "审阅后的覆盖率",
    "Support after review": "审阅后的支持率",
    "Open flags": "未处理的标记",
    "Confirmed / dismissed": "已确认 / 已驳回",
    "Settings": "设置",
    "Model: hub id or local folder (empty = default, BAAI/bge-m3)": (
        "模型：Hub 标识或本地文件夹（留空 = 默认，BAAI/bge-m3）"
    ),
    "Coverage threshold": "覆盖率阈值",
    "Support threshold": "支持率阈值",
    "Defaults: {coverage} / {support} ({source}).": "默认值：{coverage} / {support}（{source}）。",
    "Opened the saved report of {source}.": "已打开 {source} 的已保存报告。",
    "Showing the last result that could be computed.": "显示最近一次能够计算出的结果。",
    "Upload a document and its summary (or paste the summary), or try the sample contract.": (
        "上传文档及其摘要（或粘贴摘要），或试用示例合同。"
    ),
    "it is not a summary-coverage JSON report": "它不是 summary-coverage 的 JSON 报告",
    "{name} could not be opened: {reason}": "无法打开 {name}：{reason}",
    "Closest evidence, in {section}:": "最接近的依据，位于 {section}：",
    "Contradicted by, in {section}:": "与之矛盾的段落，位于 {section}：",
    ":red[**contradicted**]": ":red[**矛盾**]",
    ":orange[not found]": ":orange[未找到]",
    " · document: **{text}**": " · 文档：**{text}**",
    "summary: **{text}**": "摘要：**{text}**",
    "score": "得分",
    "summary sentence": "摘要句子",
    "section coverage": "章节覆盖率",
    "(no passages)": "（无段落）",
    "<b>%{y}</b> · %{x} · score %{z:.2f}<br><br><b>Summary sentence</b><br>%{customdata[1]}<br><br>"
    "<b>Best passage in this section</b><br>%{customdata[0]}<extra></extra>": (
        "<b>%{y}</b> · %{x} · 得分 %{z:.2f}<br><br><b>摘要句子</b><br>%{customdata[1]}<br><br>"
        "<b>本章节中最匹配的段落</b><br>%{customdata[0]}<extra></extra>"
    ),
    "<b>%{y}</b><br>%{x:.0%} of its tokens covered<extra></extra>": (
        "<b>%{y}</b><br>已覆盖其词元的 %{x:.0%}<extra></extra>"
    ),
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
    "place": "地点",
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
