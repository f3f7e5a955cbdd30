"""The Alibaba Cloud regions ``askc`` knows: a region outside them is an input error.

An unknown region (a typo such as ``cn-hangzou``, or ``../../etc``) used to be priced as a lower
bound with every price "not found"; now it is refused with the closest known region. The list is
offline on purpose: the preview and cost engines never call the network.
"""

from __future__ import annotations

import difflib
from typing import Final

KNOWN_REGIONS: Final = frozenset(
    {
        # aliyun/terraform-provider-alicloud, alicloud/connectivity/regions.go, `ValidRegions`
        # (the provider pulumi-alicloud is bridged from; snapshot 81c43b67, 2026-08-21).
        "cn-hangzhou",
        "cn-qingdao",
        "cn-beijing",
        "cn-shenzhen",
        "cn-hongkong",
        "cn-shanghai",
        "cn-zhangjiakou",
        "cn-huhehaote",
        "cn-chengdu",
        "cn-heyuan",
        "cn-wulanchabu",
        "cn-guangzhou",
        "cn-nanjing",
        "cn-fuzhou",
        "cn-zhongwei",
        "us-west-1",
        "us-east-1",
        "us-southeast-1",
        "na-south-1",
        "ap-northeast-1",
        "ap-northeast-2",
        "ap-southeast-1",
        "ap-southeast-2",
        "ap-southeast-3",
        "ap-southeast-5",
        "ap-southeast-6",
        "ap-southeast-7",
        "ap-southeast-8",
        "ap-south-1",
        "me-east-1",
        "me-central-1",
        "eu-central-1",
        "eu-west-1",
        "rus-west-1",
        "cn-north-2-gov-1",
        "cn-shenzhen-finance-1",
        "cn-szfinance",
        "cn-shenzhen-finance",
        "cn-shanghai-finance-1-pub",
        "cn-shanghai-finance-1",
        "cn-hangzhou-finance",
        "cn-hzfinance",
        "cn-hzjbp",
        "cn-beijing-finance-1",
        "cn-beijing-finance-1-pub",
    }
)
"""Every region id ``askc`` accepts (``alicloud:region``, ``--region``, a preview's config)."""


def region_problem(region: object) -> str | None:
    """Why ``region`` is not a known Alibaba Cloud region id, or ``None`` when it is one.

    Args:
        region: the value given for a region (any type: config values arrive as they were written).
    """
    if isinstance(region, str) and region in KNOWN_REGIONS:
        return None
    if not isinstance(region, str):
        return f"{region!r} is not a region id (a text such as cn-hangzhou)"
    close = difflib.get_close_matches(region, sorted(KNOWN_REGIONS), n=1, cutoff=0.8)
    hint = f" (did you mean {close[0]}?)" if close else ""
    return f"{region!r} is not a known Alibaba Cloud region{hint}"


__all__ = ["KNOWN_REGIONS", "region_problem"]
