"""Write the one-page team report as a PDF with fpdf2.

fpdf2 is pure Python: it needs no system libraries, browser or service, so
the same report comes out of `make run`, a worker and CI. The map is drawn
with the PDF's own lines and circles from the same positions as the page.
"""

from django.utils.translation import gettext as _
from fpdf import FPDF

from network.colours import UNKNOWN_COLOUR as NO_SECTOR
from network.colours import sector_colours
from participants.drawing import LEVEL_STYLES

PAGE_WIDTH = 210
MARGIN = 14
INK = (29, 42, 58)
MUTED = (90, 102, 117)
ACCENT = (11, 110, 105)
# The built-in PDF fonts know Latin-1 only; a few typographic characters are
# spelled out so any name prints.
SPELLED = {"—": "-", "–": "-", "‘": "'", "’": "'", "“": '"', "”": '"', "…": "..."}


def plain(text):
    """Return text the built-in fonts can print."""
    text = str(text)
    for char, spelled in SPELLED.items():
        text = text.replace(char, spelled)
    return text.encode("latin-1", "replace").decode("latin-1")


def rgb(colour):
    colour = colour.lstrip("#")
    return tuple(int(colour[i : i + 2], 16) for i in (0, 2, 4))


def _heading(pdf, text):
    pdf.set_font("Helvetica", "B", 11)
    pdf.set_text_color(*ACCENT)
    pdf.cell(0, 7, plain(text), new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(*INK)
    pdf.set_font("Helvetica", "", 9)


def _map(pdf, ego, left, top, size):
    colours = sector_colours()
    span = max([max(abs(n["x"]), abs(n["y"])) for n in ego.nodes] + [1.0])
    # Room beside the ring for partners' names; the ring becomes an ellipse.
    scale_x = (size / 2 - 27) / span
    scale_y = (size / 2 - 8) / span
    points = {
        n["id"]: (
            left + size / 2 + n["x"] * scale_x,
            top + size / 2 + n["y"] * scale_y,
        )
        for n in ego.nodes
    }
    for tie in ego.ties:
        colour, width = LEVEL_STYLES.get(tie["level"], LEVEL_STYLES["communication"])
        pdf.set_draw_color(*rgb(colour))
        pdf.set_line_width(width * 0.18)
        (x1, y1), (x2, y2) = points[tie["source"]], points[tie["target"]]
        if tie["confirmed"]:
            pdf.line(x1, y1, x2, y2)
        else:
            pdf.set_dash_pattern(dash=1.2, gap=1)
            pdf.line(x1, y1, x2, y2)
            pdf.set_dash_pattern()
    for node in sorted(ego.nodes, key=lambda n: -n["ring"]):
        x, y = points[node["id"]]
        radius = {0: 3.2, 1: 2.0, 2: 1.3}[node["ring"]]
        pdf.set_fill_color(*rgb(colours.get(node["sector"], NO_SECTOR)))
        pdf.set_draw_color(*(INK if node["ring"] == 0 else (255, 255, 255)))
        pdf.set_line_width(0.7 if node["ring"] == 0 else 0.3)
        pdf.circle(x=x, y=y, radius=radius, style="FD")
    partners = [n for n in ego.nodes if n["ring"] == 1]
    if len(partners) <= 24:
        _labels(pdf, partners, points, left + size / 2)


def _labels(pdf, nodes, points, middle):
    """Name each partner beside its dot, away from the middle of the map."""
    pdf.set_font("Helvetica", "", 6.5)
    pdf.set_text_color(*INK)
    for node in nodes:
        x, y = points[node["id"]]
        text = plain(
            node["label"] if len(node["label"]) <= 30 else node["label"][:28] + "..."
        )
        width = pdf.get_string_width(text)
        if abs(x - middle) < 4:
            pdf.text(x - width / 2, y - 3, text)
        elif x > middle:
            pdf.text(x + 3, y + 1, text)
        else:
            pdf.text(x - 3 - width, y + 1, text)


def _legend(pdf, ego, left, top):
    colours = sector_colours()
    present = {n["sector"] for n in ego.nodes if n["ring"]}
    pdf.set_xy(left, top)
    pdf.set_font("Helvetica", "", 7.5)
    for sector, colour in colours.items():
        if sector not in present:
            continue
        y = pdf.get_y()
        pdf.set_fill_color(*rgb(colour))
        pdf.circle(x=left + 1.5, y=y + 2, radius=1.3, style="F")
        pdf.set_x(left + 4)
        pdf.cell(50, 4, plain(sector), new_x="LEFT", new_y="NEXT")
        pdf.set_x(left)
    for level in ("communication", "coordination", "collaboration"):
        colour, width = LEVEL_STYLES[level]
        y = pdf.get_y()
        pdf.set_draw_color(*rgb(colour))
        pdf.set_line_width(width * 0.18)
        pdf.line(left, y + 2, left + 3.5, y + 2)
        pdf.set_x(left + 4)
        pdf.cell(50, 4, plain(_(level.capitalize())), new_x="LEFT", new_y="NEXT")
        pdf.set_x(left)


def _figures(pdf, place, left, top, width):
    figures = [
        (_("partners"), place["partners"]),
        (_("confirmed by both"), place["confirmed"]),
        (_("sectors connected"), len(place["sectors"])),
    ]
    if place["degree_percentile"] is not None:
        figures.append((_("percentile by partners"), place["degree_percentile"]))
    pdf.set_xy(left, top)
    for label, value in figures:
        pdf.set_x(left)
        pdf.set_font("Helvetica", "B", 16)
        pdf.cell(22, 8, plain(value))
        pdf.set_font("Helvetica", "", 9)
        pdf.cell(width - 22, 8, plain(label), new_x="LMARGIN", new_y="NEXT")


def _sentences(pdf, context, left, width):
    place, change = context["place"], context["change"]
    lines = []
    if place["measures_shown"]:
        lines.append(
            _("More partners than %(p)s%% of the network's organizations.")
            % {"p": place["degree_percentile"]}
        )
        lines += [
            _("Brokerage: %(words)s (%(n)s pairs).")
            % {"words": role["words"], "n": role["count"]}
            for role in place["roles"][:2]
        ]
    if change:
        lines.append(
            _("Since round %(round)s: %(more)s new partners, %(lost)s not named again.")
            % {
                "round": change["round"].name,
                "more": len(change["new"]),
                "lost": len(change["lost"]),
            }
        )
    pdf.set_y(pdf.get_y() + 3)
    pdf.set_font("Helvetica", "", 8)
    pdf.set_text_color(*INK)
    for line in lines:
        pdf.set_x(left)
        pdf.multi_cell(width, 3.8, plain(line), align="L", new_x="LEFT", new_y="NEXT")
        pdf.set_y(pdf.get_y() + 0.8)


def _partners(pdf, context):
    _heading(pdf, _("Our partners by collaboration level"))
    level_names = {
        "collaboration": _("Collaboration"),
        "coordination": _("Coordination"),
        "communication": _("Communication"),
    }
    for level, partners in context["partners_by_level"]:
        if not partners:
            continue
        names = []
        for p in partners:
            marks = []
            if p.we_refer and p.they_refer:
                marks.append(_("referrals both ways"))
            elif p.we_refer:
                marks.append(_("we refer to them"))
            elif p.they_refer:
                marks.append(_("they refer to us"))
            if p.data_agreement == "signed":
                marks.append(_("data-use agreement"))
            names.append(p.label + (f" ({', '.join(marks)})" if marks else ""))
        pdf.set_font("Helvetica", "B", 9)
        pdf.cell(0, 5, plain(f"{level_names[level]} ({len(partners)})"))
        pdf.ln(5)
        pdf.set_font("Helvetica", "", 8.5)
        pdf.multi_cell(
            0, 4.2, plain("; ".join(names)), align="L", new_x="LMARGIN", new_y="NEXT"
        )
        pdf.ln(1)


def _suggestions(pdf, context):
    found = context["suggestions"]
    lines = [
        _("Deepen: %(name)s (you marked it)") % {"name": p.label}
        for p in found["deepen"]
    ]
    lines += [
        _("Both want to work together: %(name)s") % {"name": m["label"]}
        for m in found["mutual"]
    ]
    lines += [
        _("%(name)s offers %(services)s (through %(via)s)")
        % {
            "name": o["label"],
            "services": ", ".join(o["services"]),
            "via": ", ".join(o["via"]),
        }
        for o in found["offers"][:4]
    ]
    if not lines:
        return
    _heading(pdf, _("Where to go next"))
    for line in lines[:8]:
        pdf.multi_cell(
            0, 4.4, plain("- " + line), align="L", new_x="LMARGIN", new_y="NEXT"
        )


def report_pdf(context):
    """Return the team report of `context` (see organization_context) as PDF."""
    organization, round = context["organization"], context["round"]
    ego, place = context["ego"], context["place"]
    pdf = FPDF(format="A4")
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_auto_page_break(True, margin=MARGIN)
    pdf.set_title(plain(f"{organization.name} - {round.name}"))
    pdf.add_page()

    pdf.set_font("Helvetica", "", 8)
    pdf.set_text_color(*MUTED)
    pdf.cell(0, 5, plain(_("EDN team report · round %(round)s") % {"round": round}))
    pdf.ln(6)
    pdf.set_font("Helvetica", "B", 18)
    pdf.set_text_color(*INK)
    pdf.multi_cell(0, 8, plain(organization.name), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)

    top = pdf.get_y()
    size = 96
    pdf.set_draw_color(230, 227, 220)
    pdf.set_line_width(0.3)
    pdf.rect(MARGIN, top, size, size)
    _map(pdf, ego, MARGIN, top, size)
    right = MARGIN + size + 6
    _figures(pdf, place, right, top + 2, PAGE_WIDTH - MARGIN - right)
    _legend(pdf, ego, right, top + 40)
    _sentences(pdf, context, right, PAGE_WIDTH - MARGIN - right)
    pdf.set_y(max(top + size + 4, pdf.get_y() + 3))

    _partners(pdf, context)
    _suggestions(pdf, context)

    pdf.set_y(-MARGIN - 6)
    pdf.set_font("Helvetica", "", 7)
    pdf.set_text_color(*MUTED)
    pdf.cell(
        0,
        4,
        plain(
            _(
                "Only what our organization may see: other organizations' "
                "answers appear as far as they allowed."
            )
        ),
    )
    return bytes(pdf.output())
