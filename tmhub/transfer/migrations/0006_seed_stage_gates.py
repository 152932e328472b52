"""Seed the stage gates: which evidence lets a project enter 评价, 交易 and 落地.

Gates are rules as data (editable in the administration afterwards, a change is a new row
from its start date). They are the platform's reading of the law, not an official figure, so
they are seeded unconfirmed until the city adopts them.
"""

import datetime

from django.db import migrations

from tmhub.core.rules import seed_rows

FROM = datetime.date(2020, 1, 1)

EVALUATION_BASIS = (
    "《中华人民共和国促进科技成果转化法》（2015年修订）第十八条：国家设立的研究开发机构、"
    "高等院校对其持有的科技成果，可以自主决定转让、许可或者作价投资，但应当通过协议定价、"
    "在技术交易市场挂牌交易、拍卖等方式确定价格；协议定价的，应当在本单位公示科技成果名称"
    "和拟交易价格。价格的依据是一份评估或评价报告（资产评估报告或成果评价报告），记录出具"
    "单位、日期和记录人。平台规则，待市级主管部门确认。"
    "Law on Promoting the Transformation of Scientific and Technological Achievements (2015), "
    "Article 18: the price is set on the basis of a valuation or an evaluation report. "
    "Platform rule, pending the city's confirmation."
)
TRANSACTION_BASIS = (
    "《中华人民共和国民法典》第八百五十一条、第八百六十三条：技术开发合同、技术转让合同和"
    "技术许可合同应当采用书面形式。项目进入交易阶段须有一份与本项目关联、已签订的技术合同。"
    "平台规则，待市级主管部门确认。"
    "Civil Code, Articles 851 and 863: technology contracts are made in writing; a project enters "
    "the transaction stage with a signed contract linked to it. Platform rule, pending the "
    "city's confirmation."
)
LANDING_BASIS = (
    "《中华人民共和国促进科技成果转化法》（2015年修订）第十六条：科技成果转化的方式包括自行"
    "投资实施转化、向他人转让、许可他人使用、以该科技成果作为合作条件与他人共同实施转化、"
    "以该科技成果作价投资折算股份或者出资比例。落地的依据是合同已履行并有到账记录、或已"
    "设立企业、或已完成投资。平台规则，待市级主管部门确认。"
    "Law on Promoting the Transformation of Scientific and Technological Achievements (2015), "
    "Article 16: a project has landed when a contract is performed with a receipt, a company "
    "is founded or an investment is made. Platform rule, pending the city's confirmation."
)

ROWS = [
    {
        "stage": stage,
        "evidence_kind": kind,
        "effective_from": FROM,
        "legal_basis": basis,
        "confirmed": False,
    }
    for stage, kinds, basis in [
        ("evaluation", ["valuation_report", "evaluation_report"], EVALUATION_BASIS),
        ("transaction", ["signed_contract"], TRANSACTION_BASIS),
        ("landing", ["contract_receipt", "company_founded", "investment_made"], LANDING_BASIS),
    ]
    for kind in kinds
]

forwards, backwards = seed_rows("transfer.StageGate", ROWS, keys=("stage", "evidence_kind"))


class Migration(migrations.Migration):
    dependencies = [("transfer", "0005_stage_gates_and_evidence")]
    operations = [migrations.RunPython(forwards, backwards)]
