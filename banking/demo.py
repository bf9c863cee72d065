"""A demo bank statement in the queue: transfers that name a bill, that come from a tenant's name,
from a stranger, and money out (demo values)."""

import datetime

from billing.models import Bill

from .models import StatementLayout
from .services import statement_import

HEADINGS = "交易日期,交易时间,对方户名,对方账号,对方开户行,借方金额,贷方金额,余额,摘要,流水号"


def seed_bank_statement(*, on: datetime.date) -> None:
    """Import a China Merchants Bank export of the last days (a second run imports nothing twice)."""
    layout = StatementLayout.objects.get(name__startswith="招商银行")
    open_bills = list(Bill.objects.open().filter(resident_name="").select_related("company").order_by("due_on")[:3])
    day = on - datetime.timedelta(days=1)
    lines = ["招商银行交易明细（演示）", HEADINGS]
    for index, bill in enumerate(open_bills):
        payer = "某某科技财务部" if index == 0 else bill.company.name
        remark = f"房租 {bill.number}" if index == 0 else "房租"
        lines.append(
            f"{day},1{index}:00:00,{payer},62258800000{index:05d},招商银行,,{bill.outstanding_amount:.2f},0,"
            f"{remark},DEMO{day:%Y%m%d}{index:03d}"
        )
    lines.append(f"{day},15:00:00,某某贸易有限公司,6222000099990000,建设银行,,3200.00,0,货款,DEMO{day:%Y%m%d}101")
    lines.append(f"{day},16:00:00,广州供电局,4400000000000001,工商银行,18500.00,,0,电费,DEMO{day:%Y%m%d}102")
    lines.append("合计,,,,,,,,,")
    statement_import(layout=layout, content="\r\n".join(lines).encode("gb18030"), filename="demo-cmb.csv")
