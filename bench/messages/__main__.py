"""Message scanner benchmark: ``python -m bench.messages [--mb 55]``.

Generates (once, under bench/.cache/messages/) an SMS / push log of at least 50 MB in zh-TW and English:
most messages clean or masked, a few with unmasked IDs, phones, e-mails, cards, accounts, passwords and
codes. Then, on the same file in one run:
1. a plain regular-expression baseline: one pattern per kind, each run on every line, no validation
   (what a quick script does);
2. the csmguard message scanner (read, detect with checksums / Luhn / masking, findings).
Prints MB/s of both and the ratio (target: the scanner at 20 MB/s or more)."""

from __future__ import annotations

import argparse
import os
import random
import re
import time
from pathlib import Path

from csmguard.scanners.messages.config import MessagesSettings
from csmguard.services.messages_scan import MessagesOptions, load_messages_rules, scan_messages

CACHE = Path(__file__).resolve().parents[1] / ".cache" / "messages"

TEMPLATES = (
    "【範例證券】您的委託已成交：{stock} 股票 {qty} 股，成交價 {price} 元，帳號 ****{a4}。",
    "【範例證券】您的驗證碼為 {otp}，5 分鐘內有效，請勿告知他人。",
    "【範例證券】親愛的客戶 A12****789 您好，您本月對帳單已寄送至 a****@example.com.tw。",
    "【範例證券】信用卡 **** **** **** {a4} 定期定額扣款 {price} 元成功。",
    "【範例證券】市場公告：{stock} 今日除息，請留意您的庫存變化。客服專線 0800-000-123。",
    "Example Securities: your order for {qty} shares of {stock} was filled at NT${price}.",
    "Example Securities: your statement for account ****{a4} is ready in the app.",
    "【範例證券】提醒您：本公司不會以電話要求您提供密碼，如有疑問請洽營業員。",
    "【範例證券】您綁定的手機 0912-***-{p3} 已完成變更。",
    # rare, unmasked: the scanner must find these
    "【範例證券】{nid} 您好，您的開戶申請已核准。",
    "【範例證券】您的手機 09{p8} 已綁定。",
    "【範例證券】您的臨時密碼：Ab{otp}，請於首次登入後變更。",
)
WEIGHTS = (20, 15, 10, 8, 12, 10, 8, 6, 8, 1, 1, 1)
NIDS = ("A123456789", "F123456784", "B223456782", "A823456783")

BASELINE = [re.compile(p) for p in (
    r"[A-Z][12]\d{8}",                       # national ID
    r"09\d{2}-?\d{3}-?\d{3}",                 # mobile
    r"[\w.+-]+@[\w-]+\.[\w.]+",               # e-mail
    r"\d{4}[ -]?\d{4}[ -]?\d{4}[ -]?\d{4}",   # card
    r"帳號\s*[:：]?\s*\d{7,16}",               # account
    r"(?:密碼|password)\s*[:：=為]\s*\S+",      # password
    r"(?:驗證碼|OTP|code)\D{0,3}\d{4,8}",       # one-time code
)]


def generate(path: Path, megabytes: int) -> None:
    """Write the log once; the same seed gives the same file."""
    rng = random.Random(20261129)
    target = megabytes * 1024 * 1024
    written = 0
    with path.open("w", encoding="utf-8") as out:
        while written < target:
            template = rng.choices(TEMPLATES, WEIGHTS)[0]
            line = template.format(stock=rng.choice(("2330 台積電", "2317 鴻海", "0050 元大台灣50")),
                                   qty=rng.randint(1, 50) * 1000, price=rng.randint(10, 999),
                                   a4=f"{rng.randint(0, 9999):04d}", otp=f"{rng.randint(0, 999999):06d}",
                                   p3=f"{rng.randint(0, 999):03d}", p8=f"{rng.randint(0, 99999999):08d}",
                                   nid=rng.choice(NIDS))
            stamp = f"2026-11-{rng.randint(1, 28):02d} {rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}"
            record = f"{stamp} SMS {line}\n"
            out.write(record)
            written += len(record.encode("utf-8"))


def baseline(path: Path) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds and matches of the plain-regex baseline."""
    start = time.perf_counter()
    cpu = time.process_time()
    matches = 0
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            for pattern in BASELINE:
                for _ in pattern.finditer(line):
                    matches += 1
    return time.perf_counter() - start, time.process_time() - cpu, matches


def main() -> None:
    """Run both on the same input and print throughput and the ratio."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mb", type=int, default=55, help="size of the generated log in MB (default 55)")
    args = parser.parse_args()
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"sms-{args.mb}mb.log"
    if not path.exists():
        generate(path, args.mb)
    size_mb = path.stat().st_size / 1e6
    base_seconds, base_cpu, base_matches = baseline(path)
    rules = load_messages_rules()
    start = time.perf_counter()
    cpu = time.process_time()
    result = scan_messages([path], rules)
    scan_seconds = time.perf_counter() - start
    scan_cpu = time.process_time() - cpu
    start = time.perf_counter()
    scan_messages([path], rules, MessagesOptions(settings=MessagesSettings(workers=0)))
    parallel_seconds = time.perf_counter() - start
    fails = sum(1 for f in result.findings if f.failing)
    print(f"input: {path} ({size_mb:.1f} MB, {result.stats['records_read']} messages)")
    print(f"{'tool':<34}{'seconds':>10}{'MB/s':>10}{'CPU s':>8}{'MB/CPU-s':>10}  result")
    print(f"{'plain regex (7 patterns per line)':<34}{base_seconds:>10.2f}{size_mb / base_seconds:>10.1f}"
          f"{base_cpu:>8.2f}{size_mb / base_cpu:>10.1f}  {base_matches} raw matches, nothing validated or masked")
    print(f"{'csmguard scan messages':<34}{scan_seconds:>10.2f}{size_mb / scan_seconds:>10.1f}"
          f"{scan_cpu:>8.2f}{size_mb / scan_cpu:>10.1f}  {fails} failing findings listed, "
          f"detections {result.stats['detections']}")
    print(f"{'csmguard, workers=0 (one per CPU)':<34}{parallel_seconds:>10.2f}{size_mb / parallel_seconds:>10.1f}  "
          f"same findings, detection split over {os.cpu_count()} processes")
    best = min(scan_seconds, parallel_seconds)
    print(f"ratio (csmguard / baseline throughput): {base_seconds / scan_seconds:.2f}x wall, "
          f"{base_cpu / scan_cpu:.2f}x CPU, {base_seconds / parallel_seconds:.2f}x parallel wall; "
          f"target 20 MB/s: {'met' if size_mb / best >= 20 else 'NOT met'} wall, "
          f"{'met' if size_mb / scan_cpu >= 20 else 'NOT met'} per CPU-second "
          f"(load average now {os.getloadavg()[0]:.1f}; other processes share the CPUs)")


if __name__ == "__main__":
    main()
