"""What a question's words ask of a fact: the role of a person, the unit of a
number, the topic of an amount.

Design choice: small tables of the words releases use, in both languages, read by
pattern (see `binding.read_subject`): asked for the CTO, a person must stand next to
"CTO" or 最高技術責任者; asked how many employees, a number must carry 名, 人 or
"people"; asked for revenue, an amount's sentence must say 売上 or "revenue". A
table entry is general press-release language, never one company's words.
"""

from __future__ import annotations

import re

# Role -> the forms releases use for it, English (lower case) and Japanese.
ROLES = {
    "ceo": ("ceo", "chief executive officer", "最高経営責任者"),
    "cto": ("cto", "chief technology officer", "chief technical officer", "最高技術責任者", "技術責任者"),
    "cfo": ("cfo", "chief financial officer", "最高財務責任者", "財務責任者"),
    "coo": ("coo", "chief operating officer", "最高執行責任者"),
    "cso": ("cso", "chief strategy officer", "最高戦略責任者"),
    "president": ("president", "社長"),
    # 創業し (創業した, 創業しました) and "founded" name the founding by its founder;
    # 創業家 (the founder's family) does not.
    "founder": ("founder", "founded", "co-founded", "創業者", "創設者", "ファウンダー", "創業し"),
    # "Who will chair the group?" asks for its chairman.
    "chairman": ("chairman", "chairperson", "chairwoman", "chair", "会長"),
    "director": ("director", "局長", "部長", "ディレクター", "本部長", "取締役"),
    "manager": ("manager", "マネージャー", "マネジャー", "課長"),
    "representative": ("representative director", "代表取締役"),
    "cro": ("cro", "chief revenue officer", "最高収益責任者"),
    "prime minister": ("prime minister", "首相", "総理大臣", "内閣総理大臣"),
    "minister": ("minister", "大臣"),
    "ambassador": ("ambassador", "大使"),
    "governor": ("governor", "知事"),
    "mayor": ("mayor", "市長"),
}
# Latin forms are bounded by non-letters, not \b: "CEO＆Founder袴田武史" names a founder.
ROLE_PATTERNS = {role: re.compile("|".join(
    (r"(?<![A-Za-z])" + re.escape(form) + r"(?![A-Za-z])") if form.isascii() else re.escape(form) for form in forms),
    re.IGNORECASE) for role, forms in ROLES.items()}
# A counted noun of a how-many question -> the units its number is written with.
COUNTED = (
    # A share asked for first: "報酬の何％" in a question about staff cuts asks a percentage.
    (re.compile(r"\b(percentage|percent|ratio|what share of|what proportion)\b|割合|比率|何[%％]|何パーセント|\d+[%％]の|率は"),
     ("%", "％", "percent", "パーセント", "割")),
    # "How much more productive than…": a comparison is answered by a ratio, not by a
    # quantity of the thing compared (73 GWh).
    (re.compile(r"\bhow much (more|less|higher|lower|faster|slower|bigger|larger|smaller|greater|better|cheaper)\b"),
     ("%", "％", "percent", "パーセント", "割", "倍", "times", "fold")),
    (re.compile(r"\bshares?\b(?! of)|株式?数|何株"), ("株", "shares", "share")),
    (re.compile(r"\b(employees?|people|staff|workers|personnel|headcount|jobs?)\b|従業員|社員|スタッフ|人員|雇用|何人|何名"),
     ("名", "人", "people", "employees", "staff", "persons", "workers", "jobs", "job")),
    (re.compile(r"\bcountries\b|何か国|何カ国|何ヶ国|国数"), ("か国", "カ国", "ヶ国", "ヵ国", "countries", "nations")),
    (re.compile(r"\bmilestones?\b|段階|サクセス|マイルストーン"), ("段階", "つ", "milestones", "milestone", "success")),
    (re.compile(r"\b(kilometers|kilometres|km|miles|distance|far)\b|距離|何キロ|何km"),
     ("km", "キロ", "kilometers", "kilometres", "miles", "マイル", "meters", "metres", "メートル")),
    # "How long", "how many days", 何日間: a duration, never the date it started.
    # A time asked "how much" (飛行時間はどれくらい, 工期はどの程度) is a duration too.
    (re.compile(r"\bhow long\b(?! ago)|\bhow many (days|weeks|months|years|hours|minutes)\b|期間|何日間|何週間|何か月|"
                r"何カ月|何ヶ月|何年間|何時間|(?:時間|工期|寿命|リードタイム)(?:は|が|を)?[^。？?]{0,6}?"
                r"(?:どれくらい|どのくらい|どれぐらい|どのぐらい|どれほど|どの程度)"),
     ("days", "day", "weeks", "week", "months", "month", "years", "year", "hours", "minutes", "日間", "週間", "か月",
      "カ月", "ヶ月", "ヵ月", "年間", "時間", "分間", "分", "秒")),
    (re.compile(r"\bhow many times\b|何回|回数"), ("回", "times")),
    (re.compile(r"\b(weigh|weighs|weight|mass|how heavy)\b|重さ|重量|質量"),
     ("kg", "キロ", "トン", "グラム", "kilograms", "kilogram", "grams", "gram", "tons", "tonnes", "pounds", "lbs")),
    (re.compile(r"\b(companies|firms)\b|何社|社数"), ("社", "companies")),
    (re.compile(r"\b(floor area|site area|land area|acres|hectares|square (?:meters|metres|feet))\b|面積|敷地|延床|延べ床"),
     ("m2", "m²", "㎡", "平方メートル", "ヘクタール", "ha", "acres", "acre", "hectares", "square meters", "square metres",
      "square feet", "sq", "坪")),
    # Stores counted: 52店舗, not the 30 trucks that serve them.
    (re.compile(r"\bhow many (?:[a-z-]+\s+)?(stores|shops|outlets|supermarkets|branches)\b|店舗数|何店|いくつの店舗"),
     ("店舗", "店", "stores", "store", "shops", "outlets", "supermarkets", "branches")),
    (re.compile(r"\b(vessels|ships|ferries|boats)\b|何隻|隻数"), ("隻", "vessels", "vessel", "ships", "ship", "ferries", "boats")),
)
# What an amount of money is for: the quote must say it (revenue is not funding).
MONEY_TOPICS = (
    (re.compile(r"\b(revenue|sales|turnover)\b|売上|売り上げ|収益|営業収益"), ("revenue", "sales", "売上", "売り上げ", "収益")),
    (re.compile(r"\b(profit|income|earnings|loss|losses)\b|利益|損失|赤字|黒字"),
     ("profit", "income", "earnings", "loss", "利益", "損失", "赤字", "黒字")),
    (re.compile(r"\b(price|per share)\b|価格|株価|1株当たり|単価"), ("price", "per share", "価格", "株価", "1株当たり", "単価")),
    (re.compile(r"\b(valuation|valued)\b|評価額|時価総額"), ("valuation", "valued", "評価額", "時価総額")),
)
# The noun a how-many question counts: the last word before its verb.
HOW_MANY = re.compile(r"\bhow many\s+((?:[A-Za-z-]+\s+){0,3}?[A-Za-z-]+?)\s+(?:were|are|was|is|did|does|do|has|have|had|"
                       r"will|would|can|could|in|on|for|of|at|to|by)\b", re.IGNORECASE)
# "How many are in Japan?": a verb or a pronoun is no counted noun.
NOT_COUNTED = frozenset("are is were was be been do does did have has had will would can could there they it "
                         "of them".split())
COUNT_QUESTION = re.compile(r"\bhow many\b|何[人名社株台基件個回機隻店]|いくつ|何か所|何カ所|何ヶ所", re.IGNORECASE)
CURRENCY = re.compile(r"\b(yen|dollars?|euros?|pounds|usd|jpy|eur)\b|円|ドル|ユーロ|ポンド|[$€¥£]", re.IGNORECASE)
INDIVIDUAL = re.compile(r"\b(individually|each|apiece|per (bank|company|investor|lender))\b|それぞれ|個別|各社|各行",
                         re.IGNORECASE)


def roles_of(text: str) -> tuple[str, ...]:
    found = [role for role, pattern in ROLE_PATTERNS.items() if pattern.search(text)]
    # A representative director is no plain director, a prime minister no plain minister.
    return tuple(role for role in found if not (role == "director" and "representative" in found)
                 and not (role == "minister" and "prime minister" in found))
