"""Traditional characters → simplified, one character for one, so every offset stays valid.

Hong Kong, Macao and Taiwan texts and old scans use traditional characters (第一條 …); the segmenter
and the citation finder read simplified ones. :func:`to_simplified` maps character by character
(the result has the same length as the input, so an offset into it is an offset into the original);
:func:`looks_traditional` says whether a text needs it. The table covers the characters of legal
drafting (structure words, verbs of obligation and penalty, institutions, places), not all of
Chinese: a character not in it is kept as it is. Where OpenCC is installed, its single-character
table extends ours (phrase rules are not used: they could change the length).
"""

from __future__ import annotations

from functools import lru_cache

# pairs "traditional simplified", space separated; one character each
_PAIRS = (
    "條条 節节 編编 則则 項项 規规 範范 應应 當当 機机 關关 國国 華华 與与 為为 於于 處处 罰罚 權权 證证 "
    "許许 負负 責责 務务 門门 會会 員员 議议 決决 實实 區区 縣县 鄉乡 鎮镇 業业 單单 們们 個个 這这 對对 "
    "經经 濟济 發发 護护 環环 標标 準准 違违 導导 據据 歸归 屬属 級级 設设 構构 組组 織织 勞劳 動动 "
    "險险 財财 產产 稅税 費费 貨货 幣币 價价 格格 買买 賣卖 質质 監监 督督 檢检 驗验 醫医 藥药 衛卫 "
    "生生 療疗 學学 習习 書书 報报 記记 錄录 計计 劃划 畫画 廣广 電电 車车 輛辆 運运 輸输 鐵铁 航航 "
    "郵邮 網网 絡络 訊讯 說说 認认 識识 調调 査查 查查 訴诉 訟讼 審审 判判 裁裁 執执 請请 願愿 "
    "讓让 從从 來来 過过 還还 進进 選选 舉举 義义 務务 職职 徵征 收收 稅税 稱称 謂谓 種种 類类 "
    "總总 務务 長长 時时 間间 開开 閉闭 問问 題题 號号 碼码 數数 額额 萬万 億亿 兩两 參参 與与 "
    "內内 外外 並并 無无 於于 後后 從从 據据 響响 聯联 繫系 係系 務务 備备 條条 例例 辦办 條条 "
    "規规 章章 總总 則则 附附 責责 任任 法法 律律 罰罚 款款 沒没 吊吊 銷销 營营 許许 可可 證证 "
    "強强 製制 執执 行行 復复 議议 賠赔 償偿 補补 稟禀 訂订 廢废 止止 修修 改改 頒颁 佈布 "
    "佈布 體体 們们 傳传 統统 億亿 飛飞 鳥鸟 魚鱼 馬马 龍龙 門门 風风 雲云 氣气 陽阳 陰阴 圖图 "
    "書书 畫画 樂乐 藝艺 術术 歷历 史史 紀纪 念念 館馆 園园 場场 廠厂 礦矿 業业 農农 林林 漁渔 "
    "牧牧 畜畜 獸兽 蟲虫 災灾 難难 險险 損损 壞坏 殘残 疾疾 障障 礙碍 嚴严 厲厉 禁禁 決决 斷断 "
    "繼继 續续 維维 護护 優优 惠惠 獎奖 勵励 懲惩 戒戒 監监 測测 評评 估估 預预 警警 隊队 軍军 "
    "戰战 爭争 團团 結结 黨党 幹干 線线 車车 軌轨 橋桥 閘闸 壩坝 灣湾 島岛 嶼屿 縣县 鄉乡 莊庄 "
    "東东 南南 西西 北北 廣广 蘇苏 浙浙 滬沪 閩闽 贛赣 魯鲁 豫豫 鄂鄂 湘湘 粵粤 瓊琼 貴贵 雲云 "
    "陝陕 甘甘 寧宁 靑青 青青 疆疆 藏藏 臺台 台台 灣湾 澳澳 門门 港港 遼辽 吉吉 黑黑 龍龙 蒙蒙 "
    "齊齐 燕燕 趙赵 魏魏 韓韩 楚楚 吳吴 越越 陳陈 劉刘 楊杨 黃黄 張张 王王 李李 鄭郑 錢钱 孫孙 "
    "衝冲 突突 爭争 議议 協协 調调 談谈 判判 約约 簽签 訂订 託托 託托 委委 撤撤 銷销 註注 冊册 "
    "記记 載载 異异 動动 變变 更更 遷迁 移移 轉转 讓让 繳缴 納纳 滯滞 罰罚 徵征 聽听 證证 陳陈 "
    "述述 申申 辯辩 覆复 複复 歲岁 齡龄 兒儿 童童 婦妇 女女 老老 殘残 孤孤 寡寡 貧贫 困困 濟济 "
    "給给 養养 撫抚 恤恤 葬葬 殯殡 墓墓 屍尸 體体 權权 益益 隱隐 私私 個个 資资 訊讯 息息 "
    "據据 庫库 檔档 案案 錄录 製制 作作 響响 應应 該该 須须 得得 準准 確确 認认 視视 為为 "
    "歸归 類类 範范 圍围 節节 約约 費费 用用 總总 計计 須须 知知 頁页 號号 覽览 閱阅 讀读 寫写 "
    "壓压 縮缩 擴扩 張张 減减 輕轻 重重 點点 線线 麵面 積积 檢检 疫疫 傳传 染染 病病 預预 防防 "
    "滅灭 蟲虫 鼠鼠 衛卫 殺杀 毒毒 菸烟 煙烟 酒酒 飲饮 食食 餐餐 飯饭 館馆 廳厅 樓楼 層层 "
    "電电 梯梯 燈灯 燒烧 煤煤 氣气 熱热 溫温 濕湿 潔洁 淨净 汙污 污污 廢废 棄弃 圾圾 垃垃 "
    "倉仓 儲储 裝装 卸卸 搬搬 運运 遞递 郵邮 寄寄 遺遗 產产 繼继 承承 贈赠 與与 借借 貸贷 "
    "銀银 行行 債债 務务 擔担 保保 險险 證证 券券 貿贸 易易 進进 齣出 舖铺 鋪铺 攤摊 販贩 "
    "廣广 告告 標标 誌志 識识 牌牌 匾匾 噪噪 聲声 響响 亂乱 擾扰 鬧闹 樂乐 遊游 覽览 觀观 "
    "瞭了 誤误 錯错 譯译 語语 詞词 謹谨 慎慎 讚赞 議议 論论 評评 審审 閱阅 紙纸 筆笔 墨墨 "
)


@lru_cache(maxsize=1)
def table() -> dict[int, str]:
    """The traditional → simplified map for ``str.translate`` (single characters only)."""
    out: dict[int, str] = {}
    for pair in _PAIRS.split():
        if len(pair) == 2 and pair[0] != pair[1]:
            out[ord(pair[0])] = pair[1]
    try:  # OpenCC's character table, where installed: single characters that map to one character
        import opencc  # type: ignore[import-not-found]

        conv = opencc.OpenCC("t2s")
        for code in range(0x4E00, 0xA000):
            ch = chr(code)
            if code in out:
                continue
            s = conv.convert(ch)
            if len(s) == 1 and s != ch:
                out[code] = s
    except Exception:  # not installed, or an API this module does not know: our table alone
        pass
    return out


def to_simplified(text: str) -> str:
    """``text`` with traditional characters replaced by simplified ones; same length as ``text``."""
    return text.translate(table())


def traditional_share(text: str, sample: int = 20000) -> float:
    """The share of CJK characters in ``text`` (the first ``sample``) that are traditional forms."""
    t = table()
    cjk = trad = 0
    for ch in text[:sample]:
        o = ord(ch)
        if 0x4E00 <= o <= 0x9FFF:
            cjk += 1
            if o in t:
                trad += 1
    return trad / cjk if cjk else 0.0


def looks_traditional(text: str, threshold: float = 0.05) -> bool:
    """True when enough of the text is in traditional characters to need :func:`to_simplified`."""
    return traditional_share(text) >= threshold
