"""Demo data for tenants: the real industry clusters and partners of the tower, plus demo companies.

Facts (cluster names, partner names, the two detailed agreements) come from the building's press
reports of 2025-03-28; everything else — credit codes, figures, contacts, milestones' dates, the
invented companies — is demo data, marked as such.
"""

import datetime
import hashlib
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django.utils import timezone

from .models import (
    CompanyContact,
    CompanyYearFigure,
    IndustryCluster,
    Milestone,
    PartnerAgreement,
    TenantCompany,
    TenantMembership,
    Visitor,
)
from .services import (
    agreement_save,
    cluster_save,
    company_save,
    contact_save,
    membership_save,
    milestone_save,
    visitor_check_in,
    visitor_register,
    year_figure_save,
)
from .validators import credit_code_check_character

# (code, Chinese, English, chart colour): the clusters the tower targets and the existing park's.
CLUSTERS = [
    ("ai", "人工智能", "Artificial intelligence", "#1f77b4"),
    ("big-data", "大数据", "Big data", "#ff7f0e"),
    ("cloud", "云计算", "Cloud computing", "#2ca02c"),
    ("metaverse", "元宇宙", "Metaverse", "#d62728"),
    ("robots", "智能机器人", "Intelligent robots", "#9467bd"),
    ("games-animation", "游戏动漫", "Games and animation", "#8c564b"),
    ("short-drama", "微短剧", "Micro short dramas", "#e377c2"),
    ("finance", "投资金融", "Investment and finance", "#7f7f7f"),
    ("digital-creative", "数字创意", "Digital creativity", "#bcbd22"),
    ("audiovisual", "数字娱乐视听", "Digital entertainment and audiovisual", "#17becf"),
    ("live-streaming", "互联网直播", "Internet live streaming", "#393b79"),
    ("digital-music", "数字音乐", "Digital music", "#e6550d"),
    ("digital-advertising", "数字广告", "Digital advertising", "#637939"),
]

_TENANT, _PROSPECT, _NEGOTIATING, _FORMER = (
    TenantCompany.Status.TENANT,
    TenantCompany.Status.PROSPECT,
    TenantCompany.Status.NEGOTIATING,
    TenantCompany.Status.FORMER,
)

# The first strategic partners of 2025-03-28 (fact), with the cluster each fits best and, as demo
# values, whether it also rents space in the tower and its company-admin login.
PARTNERS = [
    (
        "北京文创板发展有限公司",
        "北京文创板",
        "Beijing Cultural Innovation Board Development Co., Ltd.",
        "finance",
        _TENANT,
        "wenchuangban",
    ),
    ("腾讯云计算（北京）有限责任公司", "腾讯云", "Tencent Cloud", "cloud", _TENANT, "tencentcloud"),
    ("美团", "美团", "Meituan", "big-data", _NEGOTIATING, None),
    ("美的集团股份有限公司", "美的集团", "Midea Group", "robots", _PROSPECT, None),
    ("广州酷狗计算机科技有限公司", "酷狗音乐", "Kugou Music", "digital-music", _TENANT, "kugou"),
    ("映宇宙集团有限公司", "映宇宙", "Inke Metaverse Group", "live-streaming", _TENANT, "inke"),
    ("东超科技", "东超科技", "Dongchao Technology", "metaverse", _TENANT, "dongchao"),
    ("米粿AI", "米粿AI", "Migo AI", "ai", _TENANT, "migoai"),
    (
        "广东程视视觉科技股份有限公司",
        "程视视觉",
        "Guangdong Chengshi Vision Technology",
        "audiovisual",
        _TENANT,
        "chengshi",
    ),
    ("爱莎国际教育集团", "爱莎国际教育", "Aisha International Education Group", "digital-creative", _PROSPECT, None),
    ("招商银行股份有限公司", "招商银行", "China Merchants Bank", "finance", _NEGOTIATING, None),
    ("广州越秀物业发展有限公司", "越秀物业", "Guangzhou Yuexiu Property", "big-data", _PROSPECT, None),
]

# The company that runs the Lingnan Culture Big Data Center housed in the tower (fact).
BIG_DATA_CENTER = (
    "广东岭创数字科技有限公司",
    "岭创数字",
    "Guangdong Lingchuang Digital Technology",
    "big-data",
    _TENANT,
    "lingchuang",
)

_STEMS = [
    ("岭南", "lingnan"),
    ("羊城", "yangcheng"),
    ("珠江", "zhujiang"),
    ("越秀", "yuexiu"),
    ("花城", "huacheng"),
    ("南粤", "nanyue"),
    ("湾区", "wanqu"),
    ("五羊", "wuyang"),
    ("云山", "yunshan"),
    ("天河", "tianhe"),
    ("琶洲", "pazhou"),
    ("海珠", "haizhu"),
]
_TRADES = {
    "ai": ("智算", "科技"),
    "big-data": ("数据", "科技"),
    "cloud": ("云链", "信息技术"),
    "metaverse": ("元境", "数字科技"),
    "robots": ("智行", "机器人"),
    "games-animation": ("星游", "动漫"),
    "short-drama": ("微光", "影视传媒"),
    "finance": ("创投", "投资管理"),
    "digital-creative": ("创意", "文化科技"),
    "audiovisual": ("声影", "视听科技"),
    "live-streaming": ("直播", "网络科技"),
    "digital-music": ("律动", "音乐科技"),
    "digital-advertising": ("广告", "数字营销"),
}
DEMO_COMPANY_COUNT = 60
_DEMO_STATUSES = [_TENANT] * 8 + [_PROSPECT, _NEGOTIATING]  # one in ten is still a prospect or negotiating
_EXCHANGES = [TenantCompany.Exchange.SZSE, TenantCompany.Exchange.SSE, TenantCompany.Exchange.HKEX]
_SURNAMES = "陈李张黄王林刘吴郑梁何罗"
_GIVEN = ["晓明", "嘉欣", "志强", "丽华", "俊杰", "雅婷", "建国", "子涵", "伟", "敏"]
DEMO_NOTE = "演示数据 (demo data): credit code, figures and contacts are generated demo values."


def _digest(text: str) -> int:
    return int(hashlib.sha256(text.encode()).hexdigest(), 16)


def demo_credit_code(name: str) -> str:
    """A well-formed code under Guangzhou's region prefix (91 4401), derived from the name so that
    every run gives the same one: a demo value, not the company's real code."""
    body = "914401" + str(_digest(name))[:11]
    return body + credit_code_check_character(body)


def demo_companies() -> list[dict]:
    """Specifications of every demo company, partners first (names and clusters of partners are facts)."""
    specs = [
        {"name": n, "short_name": s, "name_en": e, "cluster": c, "status": st, "login": login, "partner": True}
        for n, s, e, c, st, login in PARTNERS
    ]
    name, short, english, cluster, status, login = BIG_DATA_CENTER
    specs.insert(
        0,
        {
            "name": name,
            "short_name": short,
            "name_en": english,
            "cluster": cluster,
            "status": status,
            "login": login,
            "partner": False,
        },
    )
    clusters = [code for code, *_ in CLUSTERS]
    for index in range(DEMO_COMPANY_COUNT):
        cluster = clusters[index % len(clusters)]
        stem, pinyin = _STEMS[index % len(_STEMS)]
        word, trade = _TRADES[cluster]
        status = _DEMO_STATUSES[index % len(_DEMO_STATUSES)]
        specs.append(
            {
                "name": f"广州{stem}{word}{trade}有限公司",
                "short_name": f"{stem}{word}",
                "name_en": f"Guangzhou {pinyin.title()} {cluster.replace('-', ' ').title()} Co., Ltd. (demo)",
                "cluster": cluster,
                "status": status,
                "login": f"{pinyin}-{cluster}" if status == _TENANT else None,
                "partner": False,
                "listed": index % 7 == 3,
                "incubated": index % 4 == 1,
            }
        )
    return specs


def seed_clusters() -> dict[str, IndustryCluster]:
    clusters = {}
    for order, (code, name_zh, name_en, colour) in enumerate(CLUSTERS, start=1):
        cluster = IndustryCluster.objects.filter(code=code).first() or IndustryCluster(code=code)
        cluster.name_zh, cluster.name_en, cluster.colour, cluster.order = name_zh, name_en, colour, order
        clusters[code] = cluster_save(cluster=cluster)
    return clusters


def _seed_company(spec: dict, clusters: dict[str, IndustryCluster]) -> TenantCompany:
    company = TenantCompany.objects.filter(name=spec["name"]).first()
    if company is None:
        company = TenantCompany(name=spec["name"], credit_code=demo_credit_code(spec["name"]))
    seed = _digest(spec["name"])
    company.short_name, company.name_en = spec["short_name"], spec["name_en"]
    company.primary_cluster = clusters[spec["cluster"]]
    company.status = spec["status"]
    company.headcount = 20 + seed % 480
    company.registered_capital = Decimal(1_000_000 + (seed % 99) * 500_000)
    company.is_incubated_in_park = spec.get("incubated", False)
    if spec.get("listed"):
        company.stock_exchange = _EXCHANGES[seed % len(_EXCHANGES)]
        company.ticker = f"{300000 + seed % 9999:06d}" if company.stock_exchange != "HKEX" else f"{seed % 9999:04d}"
    company.is_demo = True
    company.notes = DEMO_NOTE
    secondary = [] if spec["partner"] else [clusters[CLUSTERS[(seed >> 8) % len(CLUSTERS)][0]]]
    return company_save(company=company, secondary_clusters=secondary)


def _seed_profile(company: TenantCompany) -> None:
    seed = _digest(company.name)
    if not company.contacts.exists():
        name = _SURNAMES[seed % len(_SURNAMES)] + _GIVEN[(seed >> 4) % len(_GIVEN)]
        contact_save(
            contact=CompanyContact(
                company=company,
                name=name,
                role="行政总监",
                phone=f"+86 138 {seed % 10000:04d} {(seed >> 16) % 10000:04d}",
                email=f"contact{seed % 1000}@example.com",
                is_primary=True,
            )
        )
    base = Decimal(5_000_000 + (seed % 200) * 1_000_000)
    growth = Decimal("1.08") + Decimal(seed % 30) / 100
    for offset, year in enumerate(range(2022, 2026)):
        if CompanyYearFigure.objects.filter(company=company, year=year).exists():
            continue
        output = (base * growth**offset).quantize(Decimal("0.01"))
        year_figure_save(
            figure=CompanyYearFigure(
                company=company,
                year=year,
                output_value=output,
                revenue=(output * Decimal("0.8")).quantize(Decimal("0.01")),
                headcount=max(10, (company.headcount or 50) - (3 - offset) * 12),
                patents=(seed >> offset) % 12,
                copyrights=(seed >> (offset + 4)) % 30,
            )
        )


def seed_companies(*, clusters: dict[str, IndustryCluster]) -> list[TenantCompany]:
    companies = []
    for spec in demo_companies():
        company = _seed_company(spec, clusters)
        _seed_profile(company)
        companies.append(company)
    return companies


@transaction.atomic
def seed_tenant_logins(*, password: str) -> list[tuple[str, TenantCompany]]:
    """A company-admin login for every tenant company, ``kugou`` for 酷狗音乐.

    The logins share one password hash, computed once: hashing is slow on purpose, and fifty-odd
    hashes would make every run of seed_demo slow.
    """
    user_model = get_user_model()
    specs = [spec for spec in demo_companies() if spec["login"]]
    users = [
        user_model.objects.get_or_create(username=spec["login"], defaults={"email": f"{spec['login']}@example.com"})[0]
        for spec in specs
    ]
    hashes = {user.password for user in users}
    shared = hashes.pop() if len(hashes) == 1 else ""
    if not (shared and check_password(password, shared)):
        user_model.objects.filter(pk__in=[user.pk for user in users]).update(password=make_password(password))
    logins = []
    for spec, user in zip(specs, users, strict=True):
        company = TenantCompany.objects.get(name=spec["name"])
        membership = TenantMembership.objects.filter(user=user).first() or TenantMembership(user=user)
        membership.company, membership.role = company, TenantMembership.Role.ADMIN
        membership_save(membership=membership)
        logins.append((spec["login"], company))
    return logins


SIGNING_DAY = datetime.date(2025, 3, 28)
D = datetime.date
# Milestones of the two agreements the press described; the projects are facts, owners and dates demo values.
DETAILED_AGREEMENTS = {
    "广州酷狗计算机科技有限公司": (
        "共建“音乐硅谷”战略合作协议",
        "以 AI 作曲、版权交易、沉浸式文化地标等六大引擎共建“音乐硅谷”，目标三年内音乐科技产值突破 500 亿元；"
        "项目包括 AI 作曲实验室、丝路音乐计划、数字音乐版权交易中心与全息粤剧。",
        [
            (
                "AI 作曲实验室揭牌运营",
                "酷狗音乐",
                D(2025, 9, 30),
                Milestone.Status.DONE,
                D(2025, 9, 20),
                "实验室揭牌新闻稿与入驻确认书",
            ),
            ("数字音乐版权交易中心上线", "酷狗音乐 · 运营方", D(2026, 6, 30), Milestone.Status.IN_PROGRESS, None, ""),
            ("丝路音乐计划首批项目发布", "酷狗音乐", D(2026, 12, 15), Milestone.Status.PLANNED, None, ""),
            ("全息粤剧沉浸式演出首演", "运营方", D(2027, 3, 31), Milestone.Status.PLANNED, None, ""),
            ("音乐科技产值三年目标（500 亿元）评估", "双方", D(2028, 3, 28), Milestone.Status.PLANNED, None, ""),
        ],
    ),
    "北京文创板发展有限公司": (
        "京粤文化产业投融资合作协议（五大平台）",
        "与集团共建企业服务、上市培育、文化产业投资、互宣、企业交流五大平台，建立京粤交流与投融资机制。",
        [
            ("企业服务平台上线", "北京文创板", D(2025, 6, 30), Milestone.Status.DONE, D(2025, 6, 18), "平台上线通知"),
            (
                "上市培育平台：首批培育企业名单",
                "北京文创板 · 运营方",
                D(2026, 10, 31),
                Milestone.Status.IN_PROGRESS,
                None,
                "",
            ),
            ("文化产业投资平台：首期京粤路演", "北京文创板", D(2026, 12, 10), Milestone.Status.PLANNED, None, ""),
            (
                "互宣平台：联合宣传机制建立",
                "运营方",
                D(2025, 12, 31),
                Milestone.Status.DONE,
                D(2025, 12, 20),
                "联合宣传机制备忘录",
            ),
            ("企业交流平台：京粤交流融资机制运行", "双方", D(2027, 6, 30), Milestone.Status.PLANNED, None, ""),
        ],
    ),
}


def seed_agreements() -> list[PartnerAgreement]:
    """A strategic agreement signed with each first-batch partner on 2025-03-28, two with milestones."""
    agreements = []
    for name, *_ in PARTNERS:
        partner = TenantCompany.objects.get(name=name)
        title, scope, milestones = DETAILED_AGREEMENTS.get(
            name, ("战略合作协议", "岭南数字创意大厦首批战略合作伙伴框架协议（演示数据）。", [])
        )
        agreement = PartnerAgreement.objects.filter(partner=partner, title=title).first() or PartnerAgreement(
            partner=partner, title=title
        )
        agreement.status, agreement.signed_on = PartnerAgreement.Status.ACTIVE, SIGNING_DAY
        agreement.starts_on, agreement.ends_on = SIGNING_DAY, D(2030, 3, 27)
        agreement.scope, agreement.is_demo = scope, True
        agreement.partner_contact = partner.contacts.filter(is_primary=True).first()
        agreement_save(agreement=agreement)
        for description, owner, due_on, status, completed_on, evidence in milestones:
            if agreement.milestones.filter(description=description).exists():
                continue
            milestone_save(
                milestone=Milestone(
                    agreement=agreement,
                    description=description,
                    owner=owner,
                    due_on=due_on,
                    status=status,
                    completed_on=completed_on,
                    evidence=evidence,
                )
            )
        agreements.append(agreement)
    return agreements


# (company's short name, visitor, organisation, host, day from today, from hour, until hour, arrived)
DEMO_VISITORS = [
    ("酷狗音乐", "周晓彤", "广州日报社", "李经理", 0, 9, 12, True),
    ("酷狗音乐", "陈国栋", "华南理工大学", "王总监", 1, 14, 17, False),
    ("腾讯云", "吴嘉欣", "越秀区科工信局", "赵主任", 2, 10, 11, False),
]


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@transaction.atomic
def seed_visitors() -> None:
    """Registered visitors of today and the next days; idempotent by company, name and day. Today's
    is left out when the demo is seeded after the visit ended (it could not be registered)."""
    today = timezone.localdate()
    for short_name, name, organisation, host, days, start, end, arrived in DEMO_VISITORS:
        company = TenantCompany.objects.get(short_name=short_name)
        day = today + datetime.timedelta(days=days)
        if (
            _at(day, end) <= timezone.now()
            or Visitor.objects.filter(company=company, name=name, expected_from__date=day).exists()
        ):
            continue
        admin = company.memberships.filter(role=TenantMembership.Role.ADMIN).select_related("user").first()
        visitor = visitor_register(
            visitor=Visitor(
                company=company,
                registered_by=admin.user,
                name=name,
                phone="13800138000",
                email=f"visitor-{hashlib.sha256(name.encode()).hexdigest()[:8]}@example.com",
                organisation=organisation,
                host=host,
                expected_from=_at(day, start),
                expected_until=_at(day, end),
            )
        )
        if arrived and _at(day, start) <= timezone.now():
            visitor_check_in(visitor=visitor)
