"""Contracts printed to PDF the ordinary ways, for the page-furniture regression tests.

The texts are written for these tests (no real contract). :func:`build_all`
prints each one four ways and writes the PDFs to ``tests/data/printed/``:

* ``reportlab_tight.pdf`` / ``reportlab_tight_zh.pdf``: reportlab with a
  running header set one ordinary line above the body, in the body's font
  and size, and a ``Page N of M`` (``第 N 页 共 M 页``) footer one line below it;
* ``browser.pdf`` / ``browser_zh.pdf``: Chromium's print-to-PDF of an HTML
  page, with the browser's own header (date, title) and footer (file URL, ``n/m``);
* ``libreoffice.pdf`` / ``libreoffice_zh.pdf``: a Word file (python-docx,
  with a header and a ``Page N of M`` field footer) converted by LibreOffice.

The PDFs are committed (the tests need neither Chromium nor LibreOffice);
rebuild them with ``python tests/printed_docs.py`` when the texts change
(needs chromium, soffice and a CJK font such as fonts-wqy-microhei).
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

OUT = Path(__file__).resolve().parent / "data" / "printed"

TITLE = "Services Agreement"
PARTIES = "Northwind Freight Ltd and Quillfield Analytics LLP"
TITLE_ZH = "技术服务合同"

CLAUSES: list[tuple[str, list[str]]] = [
    (
        "1. Definitions",
        [
            'In this Agreement, "Services" means the freight analytics services described in Schedule 1, '
            '"Customer Data" means all data the Customer supplies to the Supplier, and "Business Day" '
            "means a day other than a Saturday, Sunday or public holiday in England.",
            "Subject to clause 9, a reference to a clause is to a clause of this Agreement, and headings do "
            "not affect its interpretation.",
        ],
    ),
    (
        "2. The Services",
        [
            "The Supplier shall provide the Services from the Start Date with the skill and care of a "
            "competent provider of similar services, and in accordance with the Service Levels.",
            "Subject to clause 9, the Supplier shall not subcontract any part of the Services without the "
            "Customer's prior written consent, which the Customer shall not unreasonably withhold.",
        ],
    ),
    (
        "3. Service Levels",
        [
            "The Supplier shall make the analytics portal available for at least 99.5% of each calendar "
            "month, measured outside the maintenance window of Sundays from 02:00 to 04:00 UK time.",
            "If availability falls below that level in any month, the Customer is entitled to a service "
            "credit of 5% of that month's fees for each full percentage point of shortfall, up to 25%.",
        ],
    ),
    (
        "4. Fees",
        [
            "The Customer shall pay a fixed monthly fee of GBP 18,400 for the Services, and the Supplier "
            "may increase the fee once in each contract year by no more than the rise in the retail "
            "prices index.",
        ],
    ),
    (
        "5. Payment",
        [
            "The Supplier shall invoice monthly in arrears, and the Customer shall pay each undisputed "
            "invoice within thirty (30) days of receipt.",
            "Subject to clause 9, late payments bear interest at 4% a year above the Bank of England base "
            "rate from the due date until payment.",
        ],
    ),
    (
        "6. Term",
        [
            "This Agreement starts on 1 March 2027 and continues for an initial term of three (3) years, "
            "after which it renews for successive periods of twelve (12) months unless either party gives "
            "notice under clause 7.",
        ],
    ),
    (
        "7. Termination",
        [
            "Either party may terminate this Agreement at the end of the initial term or any renewal period "
            "by giving the other party at least ninety (90) days' written notice.",
            "Either party may terminate this Agreement with immediate effect if the other party commits a "
            "material breach that it does not remedy within thirty (30) days of being notified of it.",
        ],
    ),
    (
        "8. Confidentiality",
        [
            "Each party shall keep the other party's confidential information secret, use it only to "
            "perform this Agreement, and disclose it only to its employees and advisers who need to know "
            "it and are bound by equivalent duties.",
            "Subject to clause 9, this clause survives termination of this Agreement for five (5) years.",
        ],
    ),
    (
        "9. Limitation of Liability",
        [
            "Nothing in this Agreement limits either party's liability for death or personal injury caused "
            "by its negligence, for fraud or fraudulent misrepresentation, or for any other liability that "
            "cannot be limited or excluded by law.",
            "Subject to the paragraph above, neither party is liable to the other, whether in contract, "
            "tort (including negligence), breach of statutory duty or otherwise, for any loss of profits, "
            "loss of business, loss of goodwill, loss of anticipated savings or any indirect or "
            "consequential loss arising under or in connection with this Agreement.",
            "Subject to the first paragraph of this clause, each party's total liability to the other in "
            "each contract year, whether in contract, tort (including negligence), breach of statutory "
            "duty or otherwise, is limited to 125% of the fees paid and payable under this Agreement in "
            "that contract year.",
            "The Supplier's liability for loss or corruption of Customer Data is limited to restoring the "
            "data from the latest back-up the Supplier was required to keep under Schedule 2, at the "
            "Supplier's own cost.",
        ],
    ),
    (
        "10. Data Protection",
        [
            "The Supplier shall process personal data only on the Customer's documented instructions, "
            "keep it within the United Kingdom, and notify the Customer without undue delay, and in any "
            "event within 48 hours, after becoming aware of a personal data breach.",
        ],
    ),
    (
        "11. Governing Law",
        [
            "This Agreement and any dispute arising out of it are governed by the law of England and "
            "Wales, and the courts of England have exclusive jurisdiction.",
        ],
    ),
    (
        "12. General",
        [
            "Subject to clause 9, neither party may assign this Agreement without the other party's prior "
            "written consent. Notices must be in writing and sent to the addresses in Schedule 3.",
            "This Agreement is the entire agreement between the parties and supersedes all earlier "
            "agreements, promises and understandings relating to its subject matter.",
        ],
    ),
]

CLAUSES_ZH: list[tuple[str, list[str]]] = [
    ("第一条 定义", ["本合同所称\u201c服务\u201d是指附件一所列的货运数据分析服务，\u201c客户数据\u201d是指客户提供给服务方的全部数据。",
                  "除第九条另有约定外，本合同中提及的条款均指本合同的条款，标题不影响本合同的解释。"]),
    ("第二条 服务内容", ["服务方应自起始日起以同类服务提供者应有的技能和谨慎提供服务，并符合服务水平的要求。",
                    "除第九条另有约定外，未经客户事先书面同意，服务方不得将任何服务分包给第三方。"]),
    ("第三条 服务水平", ["服务方应保证分析平台在每个自然月内的可用率不低于99.5%，每周日凌晨二时至四时的维护时段除外。",
                    "任一月份可用率低于上述标准的，每低一个百分点，客户有权获得当月服务费5%的服务抵扣，累计不超过25%。"]),
    ("第四条 服务费用", ["客户每月向服务方支付固定服务费人民币十二万元，服务方每个合同年度最多调整一次费用，调整幅度不超过居民消费价格指数的涨幅。"]),
    ("第五条 付款方式", ["服务方按月在服务期满后开具发票，客户应在收到无争议发票之日起三十日内付款。",
                    "除第九条另有约定外，逾期付款的，客户应自到期日起按每日万分之三支付逾期利息。"]),
    ("第六条 合同期限", ["本合同自2027年3月1日起生效，初始期限为三年，期满后自动续期十二个月，但任何一方依第七条发出通知的除外。"]),
    ("第七条 合同解除", ["任何一方可在初始期限或任一续期届满时解除本合同，但应至少提前九十日书面通知对方。",
                    "一方严重违约且在收到通知后三十日内未予纠正的，另一方有权立即解除本合同。"]),
    ("第八条 保密义务", ["双方应对另一方的保密信息严格保密，仅为履行本合同之目的使用，并仅向有必要知悉且负有同等保密义务的员工和顾问披露。",
                    "除第九条另有约定外，本条在本合同终止后五年内继续有效。"]),
    ("第九条 责任限制", ["本合同的任何约定均不限制任何一方因其过失造成人身伤亡、因欺诈或依法不得限制或排除的其他责任。",
                    "除前款规定外，任何一方均不对另一方因本合同产生或与本合同有关的利润损失、业务损失、商誉损失、预期节约损失或任何间接损失承担责任，无论该责任基于合同、侵权（包括过失）、违反法定义务或其他原因。",
                    "除本条第一款规定外，每一合同年度内任何一方对另一方承担的责任总额，以该合同年度内已付及应付服务费的百分之一百二十五为限。",
                    "服务方对客户数据丢失或损坏的责任，以其自费按照附件二要求保存的最近一次备份恢复数据为限。"]),
    ("第十条 数据保护", ["服务方仅应按照客户的书面指示处理个人信息，不得将个人信息传输至境外，并应在知悉个人信息泄露后四十八小时内通知客户。"]),
    ("第十一条 适用法律", ["本合同及因本合同引起的任何争议适用中华人民共和国法律，由客户所在地人民法院管辖。"]),
    ("第十二条 其他", ["除第九条另有约定外，未经对方事先书面同意，任何一方不得转让本合同。通知应以书面形式发送至附件三所列地址。",
                  "本合同构成双方就其标的达成的完整协议，取代此前的一切协议、承诺和谅解。"]),
]  # fmt: skip

FURNITURE = {
    "reportlab_tight": (re.compile(rf"{TITLE} between {PARTIES}"), re.compile(r"Page \d+ of \d+")),
    "reportlab_tight_zh": (re.compile(rf"{TITLE_ZH}（北风货运有限公司与羽田分析有限合伙）"), re.compile(r"第 \d+ 页 共 \d+ 页")),
    "browser": (re.compile(rf"\d+/\d+/\d+, \d+:\d+ [AP]M {TITLE}"), re.compile(r"(?:ﬁ|fi)le:///\S+ \d+/\d+")),
    "browser_zh": (re.compile(rf"\d+/\d+/\d+, \d+:\d+ [AP]M {TITLE_ZH}"), re.compile(r"(?:ﬁ|fi)le:///\S+ \d+/\d+")),
    "libreoffice": (re.compile(rf"{TITLE} – Northwind / Quillfield"), re.compile(r"Page \d+ of \d+")),
    "libreoffice_zh": (re.compile(rf"{TITLE_ZH}（北风货运与羽田分析）"), re.compile(r"第 \d+ 页 共 \d+ 页")),
}  # fmt: skip
"""Per printed file: the running header and footer lines, the only text that may be skipped."""


def clauses(name: str) -> list[tuple[str, list[str]]]:
    """The clauses a printed file holds (Chinese for names ending ``_zh``).

    Every clause but 9 ends with the same boilerplate sentence, differing only
    in its numbers: read with the digits collapsed, as the furniture test
    reads lines, these paragraphs are identical, and wherever two of them
    fall at a page's edge they look like a running footer or header.
    """
    if name.endswith("_zh"):
        return [
            (
                h,
                ps
                if n == 9
                else [*ps, f"除第9条另有约定外，本条第{n}款的义务在本合同终止后{n + 1}年内继续有效。"],
            )
            for n, (h, ps) in enumerate(CLAUSES_ZH, start=1)
        ]
    return [
        (
            h,
            ps
            if n == 9
            else [*ps, f"Subject to clause 9, the obligations in clause {n} survive for {n + 1} years."],
        )
        for n, (h, ps) in enumerate(CLAUSES, start=1)
    ]


def markdown(name: str) -> str:
    """The contract as markdown: the text the printed file should read as."""
    head = f"# {TITLE_ZH}" if name.endswith("_zh") else f"# {TITLE}"
    return "\n\n".join([head] + [f"## {h}\n\n" + "\n\n".join(ps) for h, ps in clauses(name)]) + "\n"


def _reportlab(chinese: bool) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    from fixtures_docs import pdf_fonts

    body_font, bold_font = pdf_fonts(chinese)
    wrap = "CJK" if chinese else None
    # Tight: no space between paragraphs, headings in the body's size: only the lines show the layout.
    body = ParagraphStyle("b", fontName=body_font, fontSize=12, leading=16, spaceAfter=2, wordWrap=wrap)
    head = ParagraphStyle("h", fontName=bold_font, fontSize=12, leading=16, spaceBefore=4, wordWrap=wrap)
    title = ParagraphStyle("t", fontName=bold_font, fontSize=12, leading=16, wordWrap=wrap)
    name = "reportlab_tight_zh" if chinese else "reportlab_tight"
    header = f"{TITLE_ZH}（北风货运有限公司与羽田分析有限合伙）" if chinese else f"{TITLE} between {PARTIES}"

    def story() -> list:  # type: ignore[type-arg]
        out = [Paragraph(TITLE_ZH if chinese else TITLE, title)]
        for h, ps in clauses(name):
            out.append(Paragraph(h, head))
            out += [Paragraph(p, body) for p in ps]
        return out

    def build(total: int) -> tuple[bytes, int]:
        buffer = io.BytesIO()
        pages = [0]
        top, bottom = 190, 180

        def furniture(canvas, document) -> None:  # type: ignore[no-untyped-def]
            pages[0] = document.page
            canvas.saveState()
            canvas.setFont(body_font, 12)
            # The frame's first baseline is about one leading below its top: the header sits one pitch above.
            canvas.drawString(72, A4[1] - top + 6 - 16 + 16, header)
            footer = f"第 {document.page} 页 共 {total} 页" if chinese else f"Page {document.page} of {total}"
            canvas.drawString(72, bottom - 16 + 6, footer)
            canvas.restoreState()

        SimpleDocTemplate(buffer, pagesize=A4, topMargin=top, bottomMargin=bottom).build(
            story(), onFirstPage=furniture, onLaterPages=furniture
        )
        return buffer.getvalue(), pages[0]

    _, total = build(0)
    data, _ = build(total)
    return data


def _html(name: str) -> str:
    from html import escape

    chinese = name.endswith("_zh")
    style = (
        "body{font-family:'WenQuanYi Micro Hei',serif;font-size:17pt;line-height:1.7}"
        if chinese
        else "body{font-family:serif;font-size:17pt;line-height:1.6}"
    )
    parts = [
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{TITLE_ZH if chinese else TITLE}</title>",
        f"<style>{style} h2{{font-size:14pt;margin:14pt 0 4pt}} p{{margin:0 0 6pt}}</style></head><body>",
        f"<h1>{TITLE_ZH if chinese else TITLE}</h1>",
    ]
    for h, ps in clauses(name):
        parts.append(f"<h2>{escape(h)}</h2>")
        parts += [f"<p>{escape(p)}</p>" for p in ps]
    return "".join(parts) + "</body></html>"


def _chromium(name: str, folder: Path) -> bytes:
    page = folder / f"{name}.html"
    page.write_text(_html(name), encoding="utf-8")
    out = folder / f"{name}.pdf"
    browser = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if browser is None:
        raise RuntimeError("chromium is needed to print the browser fixtures")
    subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", f"--print-to-pdf={out}", page.as_uri()],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return out.read_bytes()


def _docx(name: str) -> bytes:
    from docx import Document
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    chinese = name.endswith("_zh")
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.size = Pt(12)
    normal.font.name = "Liberation Serif"
    if chinese:
        normal.element.rPr.rFonts.set(qn("w:eastAsia"), "WenQuanYi Micro Hei")
    section = doc.sections[0]
    section.header.paragraphs[0].text = (
        f"{TITLE_ZH}（北风货运与羽田分析）" if chinese else f"{TITLE} – Northwind / Quillfield"
    )
    footer = section.footer.paragraphs[0]

    def field(code: str) -> None:
        run = footer.add_run()
        for kind, text in (("begin", None), (None, code), ("separate", None), (None, "1"), ("end", None)):
            if kind:
                el = OxmlElement("w:fldChar")
                el.set(qn("w:fldCharType"), kind)
                run._r.append(el)
            elif text == code:
                el = OxmlElement("w:instrText")
                el.set(qn("xml:space"), "preserve")
                el.text = f" {code} "
                run._r.append(el)
            else:
                el = OxmlElement("w:t")
                el.text = text
                run._r.append(el)

    footer.add_run("第 " if chinese else "Page ")
    field("PAGE")
    footer.add_run(" 页 共 " if chinese else " of ")
    field("NUMPAGES")
    if chinese:
        footer.add_run(" 页")
    doc.add_heading(TITLE_ZH if chinese else TITLE, level=0)
    for h, ps in clauses(name):
        doc.add_heading(h, level=1)
        for p in ps:
            doc.add_paragraph(p)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _libreoffice(name: str, folder: Path) -> bytes:
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        raise RuntimeError("LibreOffice (soffice) is needed to print the Word fixtures")
    source = folder / f"{name}.docx"
    source.write_bytes(_docx(name))
    subprocess.run(
        [office, "--headless", "--convert-to", "pdf", "--outdir", str(folder), str(source)],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return (folder / f"{name}.pdf").read_bytes()


def build_all() -> list[Path]:
    """Print every fixture into :data:`OUT`; returns the files written."""
    OUT.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        made = {
            "reportlab_tight": lambda: _reportlab(False),
            "reportlab_tight_zh": lambda: _reportlab(True),
            "browser": lambda: _chromium("browser", folder),
            "browser_zh": lambda: _chromium("browser_zh", folder),
            "libreoffice": lambda: _libreoffice("libreoffice", folder),
            "libreoffice_zh": lambda: _libreoffice("libreoffice_zh", folder),
        }
        for name, make in made.items():
            path = OUT / f"{name}.pdf"
            path.write_bytes(make())
            written.append(path)
    return written


if __name__ == "__main__":
    for path in build_all():
        print(path, path.stat().st_size, file=sys.stderr)
