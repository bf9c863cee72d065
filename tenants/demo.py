"""Demo data for tenants: the real industry clusters and partners of the tower, plus demo companies."""

import hashlib

from .models import IndustryCluster, TenantCompany
from .services import cluster_save, company_save
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

# The first strategic partners of 2025-03-28, with the cluster each fits best and, as demo values,
# whether it also rents space in the tower.
_TENANT, _PROSPECT, _NEGOTIATING = (
    TenantCompany.Status.TENANT,
    TenantCompany.Status.PROSPECT,
    TenantCompany.Status.NEGOTIATING,
)
PARTNERS = [
    ("北京文创板发展有限公司", "北京文创板", "Beijing Cultural Innovation Board Development Co., Ltd.", "finance", _TENANT),
    ("腾讯云计算（北京）有限责任公司", "腾讯云", "Tencent Cloud", "cloud", _TENANT),
    ("美团", "美团", "Meituan", "big-data", _PROSPECT),
    ("美的集团股份有限公司", "美的集团", "Midea Group", "robots", _PROSPECT),
    ("广州酷狗计算机科技有限公司", "酷狗音乐", "Kugou Music", "digital-music", _TENANT),
    ("映宇宙集团有限公司", "映宇宙", "Inke Metaverse Group", "live-streaming", _TENANT),
    ("东超科技", "东超科技", "Dongchao Technology", "metaverse", _TENANT),
    ("米粿AI", "米粿AI", "Migo AI", "ai", _TENANT),
    ("广东程视视觉科技股份有限公司", "程视视觉", "Guangdong Chengshi Vision Technology", "audiovisual", _TENANT),
    ("爱莎国际教育集团", "爱莎国际教育", "Aisha International Education Group", "digital-creative", _PROSPECT),
    ("招商银行股份有限公司", "招商银行", "China Merchants Bank", "finance", _NEGOTIATING),
    ("广州越秀物业发展有限公司", "越秀物业", "Guangzhou Yuexiu Property", "big-data", _PROSPECT),
]

# The company that runs the Lingnan Culture Big Data Center housed in the tower.
BIG_DATA_CENTER = ("广东岭创数字科技有限公司", "岭创数字", "Guangdong Lingchuang Digital Technology", "big-data", _TENANT)

_DEMO_STEMS = ["岭南", "羊城", "珠江", "越秀", "花城", "南粤", "湾区", "五羊", "云山", "天河", "琶洲", "海珠"]
_DEMO_TRADES = {
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

DEMO_NOTE = "演示数据 (demo data); credit code is a generated demo value."


def demo_credit_code(name: str) -> str:
    """A well-formed code under Guangzhou's region prefix (91 4401), derived from the name so that
    every run gives the same one: a demo value, not the company's real code."""
    digits = str(int(hashlib.sha256(name.encode()).hexdigest(), 16))[:11]
    body = "914401" + digits
    return body + credit_code_check_character(body)


def seed_clusters() -> dict[str, IndustryCluster]:
    clusters = {}
    for order, (code, name_zh, name_en, colour) in enumerate(CLUSTERS, start=1):
        cluster = IndustryCluster.objects.filter(code=code).first() or IndustryCluster(code=code)
        cluster.name_zh, cluster.name_en, cluster.colour, cluster.order = name_zh, name_en, colour, order
        clusters[code] = cluster_save(cluster=cluster)
    return clusters


def _company(clusters, name, short_name, name_en, cluster_code, status) -> TenantCompany:
    company = TenantCompany.objects.filter(name=name).first()
    if company is None:
        company = TenantCompany(name=name, credit_code=demo_credit_code(name))
    company.short_name, company.name_en = short_name, name_en
    company.primary_cluster = clusters[cluster_code]
    company.status = status
    company.is_demo = True
    company.notes = DEMO_NOTE
    return company_save(company=company)


def seed_companies(*, clusters: dict[str, IndustryCluster], demo_tenants: int = 48) -> list[TenantCompany]:
    """The partners, the Big Data Center's operator and ``demo_tenants`` invented tenants."""
    companies = [
        _company(clusters, *BIG_DATA_CENTER),
        *(_company(clusters, *partner) for partner in PARTNERS),
    ]
    cluster_codes = [code for code, *_ in CLUSTERS]
    for index in range(demo_tenants):
        code = cluster_codes[index % len(cluster_codes)]
        stem = _DEMO_STEMS[index % len(_DEMO_STEMS)]
        word, trade = _DEMO_TRADES[code]
        short_name = f"{stem}{word}"
        name = f"广州{short_name}{trade}有限公司"
        name_en = f"Guangzhou {stem} {code.replace('-', ' ').title()} Co., Ltd. (demo)"
        companies.append(_company(clusters, name, short_name, name_en, code, _TENANT))
    return companies
