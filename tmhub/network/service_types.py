"""The service types of the catalogue (issue 14 item 1): data seeded by migration 0002 and
editable in the admin afterwards. (code, category, 中文, English)."""

SERVICE_TYPES = [
    ("patent_drafting", "professional", "专利撰写与申请", "Patent drafting and filing"),
    ("fto_search", "professional", "自由实施（FTO）检索分析", "Freedom-to-operate search"),
    ("patent_strategy", "professional", "专利布局与导航", "Patent portfolio strategy"),
    ("valuation", "professional", "技术评估与作价", "Technology valuation"),
    ("legal_dd", "professional", "法律尽职调查", "Legal due diligence"),
    ("contract_drafting", "professional", "技术合同起草与审查", "Contract drafting and review"),
    ("audit", "professional", "审计与财务咨询", "Audit and financial advisory"),
    ("tech_brokerage", "professional", "技术经纪与供需对接", "Technology brokerage"),
    ("poc_funding", "platform", "概念验证资助", "Proof-of-concept funding"),
    ("pilot_testing", "platform", "中试熟化", "Pilot-scale testing"),
    ("testing", "platform", "检验检测与认证", "Testing and certification"),
    ("incubation_space", "platform", "孵化空间与创业辅导", "Incubation space and coaching"),
    ("angel", "financing", "天使投资", "Angel investment"),
    ("venture", "financing", "创业投资", "Venture capital"),
    ("guarantee", "financing", "融资担保", "Loan guarantee"),
    ("bank_loan", "financing", "科技信贷", "Bank credit for technology firms"),
]
