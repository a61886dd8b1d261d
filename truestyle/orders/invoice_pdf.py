"""An issued invoice as a PDF (fpdf2, built-in Helvetica: no font files or system binaries needed).

Only the invoice's own snapshot is read, so the PDF of an old invoice never changes.
Helvetica has no ₹ glyph, so amounts are printed as "Rs." (the PDF text stays extractable).
"""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone
from fpdf import FPDF

from truestyle.orders.models import Invoice

_COLUMNS = (("Item", 62), ("Qty", 10), ("Price", 20), ("Discount", 18), ("Taxable", 22), ("GST", 12), ("Tax", 18),
            ("Total", 24))


def _latin(text: str) -> str:
    return str(text).replace("₹", "Rs.").encode("latin-1", "replace").decode("latin-1")


def _rs(value) -> str:
    return f"{Decimal(value):,.2f}"


def invoice_pdf_render(*, invoice: Invoice) -> bytes:
    pdf = FPDF(format="A4")
    pdf.set_title(f"Tax invoice {invoice.number}")
    pdf.set_creator("TrueStyle")
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    pdf.cell(0, 10, "Tax invoice", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 10)
    seller = invoice.seller
    issued = timezone.localtime(invoice.issued_at).strftime("%d %b %Y")
    for text in (f"Invoice number: {invoice.number}", f"Date: {issued}", f"Order: {invoice.order_number}",
                 f"Payment: {invoice.payment_method.upper()}", "",
                 f"Sold by: {seller.get('name', '')}", f"GSTIN: {seller.get('gstin', '')}",
                 seller.get("address", ""), ""):
        pdf.cell(0, 5, _latin(text), new_x="LMARGIN", new_y="NEXT")
    address = invoice.buyer.get("address", {})
    buyer_lines = [f"Bill and ship to: {invoice.buyer.get('name', '')}", address.get("line1", ""),
                   address.get("line2", ""), f"{address.get('city', '')}, {address.get('state', '')} "
                                             f"{address.get('pincode', '')}", f"Phone: {address.get('phone', '')}"]
    for text in filter(None, buyer_lines):
        pdf.cell(0, 5, _latin(text), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)

    pdf.set_font("Helvetica", "B", 9)
    for title, width in _COLUMNS:
        pdf.cell(width, 7, title, border=1, align="C")
    pdf.ln()
    pdf.set_font("Helvetica", "", 8)
    for row in invoice.lines:
        values = (row["description"][:40], str(row["quantity"]), _rs(row["unit_price"]), _rs(row["discount"]),
                  _rs(row["taxable"]), f"{Decimal(row['gst_rate']):g}%", _rs(row["tax"]), _rs(row["net"]))
        for (_, width), value in zip(_COLUMNS, values):
            pdf.cell(width, 6, _latin(value), border=1, align="L" if width == 62 else "R")
        pdf.ln()
    pdf.ln(3)
    pdf.set_font("Helvetica", "", 10)
    totals = [("Items", invoice.subtotal), ("Coupon discount", -invoice.discount), ("Shipping", invoice.shipping_fee),
              (f"Total ({invoice.currency}, GST included)", invoice.total), ("of which GST", invoice.tax_total)]
    for label, value in totals:
        pdf.cell(150, 6, _latin(label), align="R")
        sign = "- " if value < 0 else ""
        pdf.cell(36, 6, f"{sign}Rs. {_rs(abs(value))}", align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("Helvetica", "I", 8)
    pdf.multi_cell(0, 4, "Prices include GST: 5% on apparel up to Rs. 2,500 a piece, 18% above. "
                         "This is a computer-generated invoice and needs no signature.")
    return bytes(pdf.output())
